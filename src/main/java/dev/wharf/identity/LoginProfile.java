package dev.wharf.identity;

import java.time.Instant;

/**
 * An IAM user's console password, without the password: IAM's LoginProfile.
 *
 * @param createdAt when the user's password was first created (IAM's CreateDate)
 * @param passwordChangedAt when the current password was set (a password policy's MaxPasswordAge counts from it)
 * @param passwordLastUsedAt when the password last signed the user in to the console, or null
 */
public record LoginProfile(String accountId, String userName, Instant createdAt, boolean passwordResetRequired,
    Instant passwordChangedAt, Instant passwordLastUsedAt) {}
