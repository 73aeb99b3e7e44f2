package dev.wharf.identity;

import java.time.Instant;

/** A managed policy, attachable to users, groups and roles. {@code document} is the default version's. AWS-managed ones have account id "aws". */
public record ManagedPolicy(
    String arn,
    String accountId,
    String policyName,
    String policyId,
    String path,
    String description,
    String document,
    Instant createdAt,
    Instant updatedAt,
    int attachmentCount,
    String defaultVersionId) {}
