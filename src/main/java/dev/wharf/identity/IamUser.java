package dev.wharf.identity;

import java.time.Instant;

/**
 * An IAM user.
 *
 * @param permissionsBoundary the ARN of the managed policy that limits the user's identity policies, or null
 */
public record IamUser(String accountId, String userName, String userId, String path, Instant createdAt,
    String permissionsBoundary) {

  /** A user without a permissions boundary. */
  public IamUser(String accountId, String userName, String userId, String path, Instant createdAt) {
    this(accountId, userName, userId, path, createdAt, null);
  }

  public String arn() {
    return IamArns.user(accountId, path, userName);
  }

  public Principal.User principal() {
    return new Principal.User(accountId, userName, userId, path);
  }
}
