package dev.wharf.identity;

import java.time.Instant;

/** Who made a request: an account's root user, an IAM user, or a role session. */
public sealed interface Principal permits Principal.Root, Principal.User, Principal.AssumedRole {

  String accountId();

  /** The ARN that GetCallerIdentity reports and that policies name. */
  String arn();

  /** The unique id GetCallerIdentity reports as UserId (and aws:userid). */
  String userId();

  /** The value of aws:PrincipalType. */
  String principalType();

  /** The root user of an account: not governed by identity policies in its own account. */
  record Root(String accountId) implements Principal {
    @Override
    public String arn() {
      return "arn:aws:iam::" + accountId + ":root";
    }

    @Override
    public String userId() {
      return accountId;
    }

    @Override
    public String principalType() {
      return "Account";
    }
  }

  /** An IAM user with long-term access keys. */
  record User(String accountId, String userName, String userId, String path) implements Principal {
    @Override
    public String arn() {
      return IamArns.user(accountId, path, userName);
    }

    @Override
    public String principalType() {
      return "User";
    }
  }

  /** A session of an assumed role; its credentials expire with the session. */
  record AssumedRole(
      String accountId,
      String roleName,
      String roleId,
      String rolePath,
      String sessionName,
      Instant issuedAt,
      Instant expiresAt)
      implements Principal {
    @Override
    public String arn() {
      return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
    }

    @Override
    public String userId() {
      return roleId + ":" + sessionName;
    }

    @Override
    public String principalType() {
      return "AssumedRole";
    }

    public String roleArn() {
      return IamArns.role(accountId, rolePath, roleName);
    }
  }
}
