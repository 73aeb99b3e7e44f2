package dev.wharf.identity;

import java.time.Instant;

/** An IAM group: a set of users whose members all receive the group's policies. */
public record IamGroup(String accountId, String groupName, String groupId, String path, Instant createdAt) {
  public String arn() {
    return IamArns.group(accountId, path, groupName);
  }
}
