package dev.wharf.identity;

import java.time.Instant;

/**
 * An IAM role: who may assume it (trust policy) and for how long at most.
 *
 * @param permissionsBoundary the ARN of the managed policy that limits the role's identity policies, or null
 */
public record Role(
    String accountId,
    String roleName,
    String roleId,
    String path,
    String trustPolicy,
    int maxSessionDuration,
    String description,
    Instant createdAt,
    String permissionsBoundary) {

  /** A role without a permissions boundary. */
  public Role(String accountId, String roleName, String roleId, String path, String trustPolicy,
      int maxSessionDuration, String description, Instant createdAt) {
    this(accountId, roleName, roleId, path, trustPolicy, maxSessionDuration, description, createdAt, null);
  }

  public String arn() {
    return IamArns.role(accountId, path, roleName);
  }
}
