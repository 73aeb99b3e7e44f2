package dev.wharf.identity;

import java.time.Instant;

/** An IAM user. */
public record IamUser(String accountId, String userName, String userId, String path, Instant createdAt) {
  public String arn() {
    return IamArns.user(accountId, path, userName);
  }

  public Principal.User principal() {
    return new Principal.User(accountId, userName, userId, path);
  }
}
