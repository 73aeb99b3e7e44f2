package dev.wharf.identity;

import java.time.Instant;

/**
 * A managed policy, attachable to users, groups and roles. {@code document} is the default version's. AWS-managed
 * ones have account id "aws".
 *
 * @param defaultVersionId the version whose document applies, e.g. {@code v1}
 * @param boundaryUsageCount how many users and roles have it as permissions boundary
 */
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
    String defaultVersionId,
    int boundaryUsageCount) {

  /** A policy as created, or read where boundary usage does not matter. */
  public ManagedPolicy(String arn, String accountId, String policyName, String policyId, String path,
      String description, String document, Instant createdAt, Instant updatedAt, int attachmentCount,
      String defaultVersionId) {
    this(arn, accountId, policyName, policyId, path, description, document, createdAt, updatedAt, attachmentCount,
        defaultVersionId, 0);
  }

  /** Whether AWS manages it (it is in every installation and cannot be changed or deleted). */
  public boolean awsManaged() {
    return accountId.equals("aws");
  }
}
