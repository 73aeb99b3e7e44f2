package dev.wharf.identity;

import java.time.Instant;

/**
 * A managed policy, attachable to users and roles. AWS-managed ones have account id "aws".
 *
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
    int boundaryUsageCount) {

  /** A policy as created, or read where boundary usage does not matter. */
  public ManagedPolicy(String arn, String accountId, String policyName, String policyId, String path,
      String description, String document, Instant createdAt, Instant updatedAt, int attachmentCount) {
    this(arn, accountId, policyName, policyId, path, description, document, createdAt, updatedAt, attachmentCount, 0);
  }

  /** Whether AWS manages it (it is in every installation and cannot be changed or deleted). */
  public boolean awsManaged() {
    return accountId.equals("aws");
  }
}
