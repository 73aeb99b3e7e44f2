package dev.wharf.identity;

import java.time.Instant;

/** A long-term access key of an IAM user, or of an account's root user when userName is null. */
public record AccessKey(String accessKeyId, String accountId, String userName, Status status, Instant createdAt) {

  /** AWS spells these with a capital letter on the wire. */
  public enum Status {
    Active,
    Inactive
  }

  public boolean isRootKey() {
    return userName == null;
  }
}
