package dev.wharf.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a request: an account's root user, an IAM user, a role session, or a federated user
 * (GetFederationToken). Temporary credentials carry their {@link Session}: when it began and ends,
 * and what limits it; long-term credentials have none.
 */
public sealed interface Principal
    permits Principal.Root, Principal.User, Principal.AssumedRole, Principal.FederatedUser {

  String accountId();

  /** The ARN that GetCallerIdentity reports and that policies name. */
  String arn();

  /** The unique id GetCallerIdentity reports as UserId (and aws:userid). */
  String userId();

  /** The value of aws:PrincipalType. */
  String principalType();

  /** The temporary session these credentials belong to, or null for long-term credentials. */
  default Session session() {
    return null;
  }

  /**
   * A temporary session: STS issued it at {@code issuedAt} (aws:TokenIssueTime), it ends at
   * {@code expiresAt}, and its {@code scope} limits what it may do.
   */
  record Session(Instant issuedAt, Instant expiresAt, SessionScope scope) {
    public Session {
      Objects.requireNonNull(issuedAt, "issuedAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /** The root user of an account: not governed by identity policies in its own account. */
  record Root(String accountId) implements Principal {
    @Override
    public String arn() {
      return IamArns.root(accountId);
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

  /**
   * An IAM user: with long-term access keys ({@code session} null), or with GetSessionToken's
   * temporary credentials, which act as the user with the user's policies.
   */
  record User(String accountId, String userName, String userId, String path, Session session) implements Principal {
    /** The user with long-term credentials. */
    public User(String accountId, String userName, String userId, String path) {
      this(accountId, userName, userId, path, null);
    }

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
  record AssumedRole(String accountId, String roleName, String roleId, String rolePath, String sessionName,
      Session session) implements Principal {
    public AssumedRole {
      Objects.requireNonNull(session, "session");
    }

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

    public Instant issuedAt() {
      return session.issuedAt();
    }

    public Instant expiresAt() {
      return session.expiresAt();
    }
  }

  /**
   * A federated user from GetFederationToken: named by the caller, acting with the permissions of the IAM
   * user {@code user} that asked for it, limited by the session policies it was given (none given: none
   * allowed through identity policies).
   */
  record FederatedUser(String accountId, String name, User user, Session session) implements Principal {
    public FederatedUser {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(session, "session");
    }

    @Override
    public String arn() {
      return "arn:aws:sts::" + accountId + ":federated-user/" + name;
    }

    @Override
    public String userId() {
      return accountId + ":" + name;
    }

    @Override
    public String principalType() {
      return "FederatedUser";
    }
  }
}
