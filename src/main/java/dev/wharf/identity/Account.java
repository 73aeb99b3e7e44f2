package dev.wharf.identity;

import java.time.Instant;

/** An account: owns IAM users, roles, policies and (later) domains. The first one is the management account. */
public record Account(String accountId, String name, boolean management, Instant createdAt) {}
