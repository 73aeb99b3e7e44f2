package dev.wharf.identity;

import java.time.Instant;

/** An IAM role: who may assume it (trust policy) and for how long at most. */
public record Role(
    String accountId,
    String roleName,
    String roleId,
    String path,
    String trustPolicy,
    int maxSessionDuration,
    String description,
    Instant createdAt) {
  public String arn() {
    return IamArns.role(accountId, path, roleName);
  }
}
