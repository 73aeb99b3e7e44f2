package dev.wharf.identity.infrastructure;

import dev.wharf.identity.AccessKey;
import dev.wharf.identity.Account;
import dev.wharf.identity.IamGroup;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.LoginProfile;
import dev.wharf.identity.PasswordPolicy;
import dev.wharf.identity.ManagedPolicy;
import dev.wharf.identity.PolicyVersion;
import dev.wharf.identity.PrincipalType;
import dev.wharf.identity.Role;
import dev.wharf.identity.Tag;
import dev.wharf.identity.TaggedEntity;
import dev.wharf.naming.WireNames;
import dev.wharf.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link IdentityStore} on JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class SqlIdentityStore implements IdentityStore {
  private static final String POLICY_COLUMNS =
      "p.policy_arn, p.account_id, p.policy_name, p.policy_id, p.path, p.description, p.document, p.created_at, p.updated_at,"
          + " p.default_version_id,"
          + " (SELECT COUNT(*) FROM policy_attachments a WHERE a.policy_arn = p.policy_arn) AS attachment_count,"
          + " (SELECT COUNT(*) FROM iam_users u WHERE u.permissions_boundary = p.policy_arn)"
          + " + (SELECT COUNT(*) FROM iam_roles r WHERE r.permissions_boundary = p.policy_arn) AS boundary_usage_count";
  /** The rows of inline_policies or policy_attachments that belong to one user, group or role (see {@link #bindPrincipal}). */
  private static final String PRINCIPAL_MATCH =
      "account_id = :account AND principal_type = :type AND principal_name_lower = :principal";

  private final Jdbi jdbi;
  private final Database.Dialect dialect;

  public SqlIdentityStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    this.dialect = database.dialect();
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Binds the user or role a policy row belongs to: :account, :type and :principal (the lower-cased name). */
  private static <T extends SqlStatement<T>> T bindPrincipal(T statement, String accountId, PrincipalType type,
      String principalName) {
    return statement.bind("account", accountId).bind("type", type.column()).bind("principal", lower(principalName));
  }

  private static String likePrefix(String prefix) {
    String escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    return escaped + "%";
  }

  /**
   * The table of users, groups or roles and its column of lower-cased names: the tables are alike
   * otherwise (account_id, path, created_at), so users, groups and roles are found, listed and deleted alike.
   */
  private record EntityTable(String table, String nameColumn) {
    static final EntityTable USERS = new EntityTable("iam_users", "user_name_lower");
    static final EntityTable ROLES = new EntityTable("iam_roles", "role_name_lower");
    static final EntityTable GROUPS = new EntityTable("iam_groups", "group_name_lower");

    static EntityTable of(PrincipalType type) {
      return switch (type) {
        case USER -> USERS;
        case ROLE -> ROLES;
        case GROUP -> GROUPS;
      };
    }

    /** Counts the entity named :n in account :a (0 or 1). */
    String countSql() {
      return "SELECT COUNT(*) FROM " + table + " WHERE account_id = :a AND " + nameColumn + " = :n";
    }
  }

  private <T> Optional<T> findEntity(EntityTable entities, String accountId, String name, RowMapper<T> mapper) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM " + entities.table() + " WHERE account_id = :account AND " + entities.nameColumn() + " = :lower")
        .bind("account", accountId).bind("lower", lower(name)).map(mapper).findOne());
  }

  private <T> List<T> listEntities(EntityTable entities, String accountId, String pathPrefix, RowMapper<T> mapper) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + entities.table()
            + " WHERE account_id = :account AND path LIKE :prefix ESCAPE '!' ORDER BY " + entities.nameColumn())
        .bind("account", accountId).bind("prefix", likePrefix(pathPrefix)).map(mapper).list());
  }

  /**
   * Deletes a user, group or role unless something still depends on it: a user's login profile, then its access
   * keys, then group memberships (a user's groups, a group's users), then inline policies, then attached ones.
   */
  private DeleteOutcome deleteEntity(PrincipalType type, String accountId, String entityName) {
    EntityTable entities = EntityTable.of(type);
    String name = lower(entityName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      if (count(h, entities.countSql(), accountId, name) == 0) {
        return DeleteOutcome.NOT_FOUND;
      }
      if (type == PrincipalType.USER && count(h,
          "SELECT COUNT(*) FROM iam_login_profiles WHERE account_id = :a AND user_name_lower = :n", accountId, name) > 0) {
        return DeleteOutcome.HAS_LOGIN_PROFILE;
      }
      if (type == PrincipalType.USER && count(h,
          "SELECT COUNT(*) FROM access_keys WHERE account_id = :a AND user_name_lower = :n", accountId, name) > 0) {
        return DeleteOutcome.HAS_ACCESS_KEYS;
      }
      if (type != PrincipalType.ROLE && count(h, "SELECT COUNT(*) FROM iam_group_members WHERE account_id = :a AND "
          + entities.nameColumn() + " = :n", accountId, name) > 0) {
        return DeleteOutcome.HAS_GROUP_MEMBERS;
      }
      if (principalRows(h, "inline_policies", accountId, type, name) > 0) {
        return DeleteOutcome.HAS_INLINE_POLICIES;
      }
      if (principalRows(h, "policy_attachments", accountId, type, name) > 0) {
        return DeleteOutcome.HAS_ATTACHED_POLICIES;
      }
      h.createUpdate("DELETE FROM " + entities.table() + " WHERE account_id = :a AND " + entities.nameColumn() + " = :n")
          .bind("a", accountId).bind("n", name).execute();
      if (type != PrincipalType.GROUP) { // groups have no tags
        deleteTags(h, accountId, TaggedEntity.of(type), name);
      }
      if (type == PrincipalType.USER) {
        h.createUpdate("DELETE FROM iam_password_history WHERE account_id = :a AND user_name_lower = :n")
            .bind("a", accountId).bind("n", name).execute();
      }
      return DeleteOutcome.DELETED;
    });
  }

  /** The rows of inline_policies or policy_attachments that belong to the user or role (lower-cased name). */
  private static long principalRows(Handle h, String table, String accountId, PrincipalType type, String name) {
    return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE account_id = :a AND principal_type = :t"
            + " AND principal_name_lower = :n")
        .bind("a", accountId).bind("t", type.column()).bind("n", name).mapTo(Long.class).one();
  }

  @Override
  public Optional<String> setting(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT value FROM wharf_settings WHERE name = :name")
        .bind("name", name).mapTo(String.class).findOne());
  }

  @Override
  public String putSettingIfAbsent(String name, String value) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("INSERT INTO wharf_settings (name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING")
          .bind("name", name).bind("value", value).execute();
      return h.createQuery("SELECT value FROM wharf_settings WHERE name = :name")
          .bind("name", name).mapTo(String.class).one();
    });
  }

  @Override
  public boolean insertAccount(Account account) {
    return jdbi.withHandle(h -> h.createUpdate(
            "INSERT INTO accounts (account_id, name, management, created_at) VALUES (:id, :name, :management, :created)"
                + " ON CONFLICT (account_id) DO NOTHING")
        .bind("id", account.accountId()).bind("name", account.name())
        .bind("management", account.management() ? 1 : 0)
        .bind("created", account.createdAt().toEpochMilli()).execute()) == 1;
  }

  @Override
  public Optional<Account> findAccount(String accountId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM accounts WHERE account_id = :id")
        .bind("id", accountId).map((rs, ctx) -> account(rs)).findOne());
  }

  @Override
  public List<Account> listAccounts() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM accounts ORDER BY created_at, account_id")
        .map((rs, ctx) -> account(rs)).list());
  }

  private static Account account(ResultSet rs) throws SQLException {
    return new Account(rs.getString("account_id"), rs.getString("name"), rs.getInt("management") == 1,
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  @Override
  public boolean insertUser(IamUser user) {
    return jdbi.withHandle(h -> h.createUpdate(
            "INSERT INTO iam_users (account_id, user_name, user_name_lower, user_id, path, created_at, permissions_boundary)"
                + " VALUES (:account, :name, :lower, :id, :path, :created, :boundary)"
                + " ON CONFLICT (account_id, user_name_lower) DO NOTHING")
        .bind("account", user.accountId()).bind("name", user.userName()).bind("lower", lower(user.userName()))
        .bind("id", user.userId()).bind("path", user.path()).bind("created", user.createdAt().toEpochMilli())
        .bind("boundary", user.permissionsBoundary()).execute()) == 1;
  }

  @Override
  public Optional<IamUser> findUser(String accountId, String userName) {
    return findEntity(EntityTable.USERS, accountId, userName, (rs, ctx) -> user(rs));
  }

  @Override
  public List<IamUser> listUsers(String accountId, String pathPrefix) {
    return listEntities(EntityTable.USERS, accountId, pathPrefix, (rs, ctx) -> user(rs));
  }

  private static IamUser user(ResultSet rs) throws SQLException {
    return new IamUser(rs.getString("account_id"), rs.getString("user_name"), rs.getString("user_id"),
        rs.getString("path"), Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("permissions_boundary"));
  }

  @Override
  public DeleteOutcome deleteUser(String accountId, String userName) {
    return deleteEntity(PrincipalType.USER, accountId, userName);
  }

  private static long count(Handle h, String sql, String accountId, String name) {
    return h.createQuery(sql).bind("a", accountId).bind("n", name).mapTo(Long.class).one();
  }

  @Override
  public InsertOutcome insertAccessKey(AccessKey key, String secretCiphertext, int maxKeysPerOwner) {
    String owner = key.userName() == null ? null : lower(key.userName());
    return jdbi.inTransaction(h -> {
      lockAccount(h, key.accountId());
      if (owner != null && count(h, EntityTable.USERS.countSql(), key.accountId(), owner) == 0) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      var count = h.createQuery("SELECT COUNT(*) FROM access_keys WHERE account_id = :a AND "
          + (owner == null ? "user_name_lower IS NULL" : "user_name_lower = :n")).bind("a", key.accountId());
      if (owner != null) {
        count.bind("n", owner);
      }
      long existing = count.mapTo(Long.class).one();
      if (existing >= maxKeysPerOwner) {
        return InsertOutcome.LIMIT_REACHED;
      }
      h.createUpdate(
              "INSERT INTO access_keys (access_key_id, account_id, user_name_lower, secret_ciphertext, status, created_at)"
                  + " VALUES (:id, :account, :user, :secret, :status, :created)")
          .bind("id", key.accessKeyId()).bind("account", key.accountId())
          .bind("user", owner)
          .bind("secret", secretCiphertext).bind("status", key.status().name())
          .bind("created", key.createdAt().toEpochMilli()).execute();
      return InsertOutcome.INSERTED;
    });
  }

  /**
   * Serializes changes to one account's entities and their dependents (keys, attachments,
   * deletions): SQLite's IMMEDIATE transactions already hold the write lock; PostgreSQL locks the
   * account row.
   */
  private void lockAccount(Handle h, String accountId) {
    if (dialect == Database.Dialect.POSTGRESQL) {
      h.createQuery("SELECT account_id FROM accounts WHERE account_id = :a FOR UPDATE")
          .bind("a", accountId).mapTo(String.class).findOne();
    }
  }

  @Override
  public Optional<StoredAccessKey> findAccessKey(String accessKeyId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT k.*, u.user_name FROM access_keys k LEFT JOIN iam_users u"
                + " ON u.account_id = k.account_id AND u.user_name_lower = k.user_name_lower WHERE k.access_key_id = :id")
        .bind("id", accessKeyId)
        .map((rs, ctx) -> new StoredAccessKey(accessKey(rs), rs.getString("secret_ciphertext"))).findOne());
  }

  @Override
  public void recordAccessKeyUses(Collection<AccessKeyUse> uses) {
    if (uses.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      var batch = h.prepareBatch("UPDATE access_keys SET last_used_at = :at, last_used_service = :service,"
          + " last_used_region = :region WHERE access_key_id = :id AND (last_used_at IS NULL OR last_used_at < :at)");
      uses.forEach(use -> batch.bind("id", use.accessKeyId()).bind("at", use.at().toEpochMilli())
          .bind("service", use.service()).bind("region", use.region()).add());
      batch.execute();
    });
  }

  @Override
  public Optional<AccessKeyUse> accessKeyLastUsed(String accessKeyId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT last_used_at, last_used_service, last_used_region FROM access_keys"
            + " WHERE access_key_id = :id AND last_used_at IS NOT NULL")
        .bind("id", accessKeyId)
        .map((rs, ctx) -> new AccessKeyUse(accessKeyId, Instant.ofEpochMilli(rs.getLong("last_used_at")),
            rs.getString("last_used_service"), rs.getString("last_used_region")))
        .findOne());
  }

  @Override
  public List<AccessKey> listAccessKeys(String accountId, String userName) {
    String sql = "SELECT k.*, u.user_name FROM access_keys k LEFT JOIN iam_users u"
        + " ON u.account_id = k.account_id AND u.user_name_lower = k.user_name_lower WHERE k.account_id = :account AND "
        + (userName == null ? "k.user_name_lower IS NULL" : "k.user_name_lower = :user") + " ORDER BY k.created_at";
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql).bind("account", accountId);
      if (userName != null) {
        query.bind("user", lower(userName));
      }
      return query.map((rs, ctx) -> accessKey(rs)).list();
    });
  }

  private static AccessKey accessKey(ResultSet rs) throws SQLException {
    return new AccessKey(rs.getString("access_key_id"), rs.getString("account_id"), rs.getString("user_name"),
        AccessKey.Status.valueOf(rs.getString("status")), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static String ownerClause(String userName) {
    return userName == null ? "user_name_lower IS NULL" : "user_name_lower = :user";
  }

  @Override
  public boolean updateAccessKeyStatus(String accountId, String userName, String accessKeyId, AccessKey.Status status) {
    return jdbi.withHandle(h -> {
      var update = h.createUpdate("UPDATE access_keys SET status = :status WHERE access_key_id = :id"
              + " AND account_id = :account AND " + ownerClause(userName))
          .bind("status", status.name()).bind("id", accessKeyId).bind("account", accountId);
      if (userName != null) {
        update.bind("user", lower(userName));
      }
      return update.execute() == 1;
    });
  }

  @Override
  public boolean deleteAccessKey(String accountId, String userName, String accessKeyId) {
    return jdbi.withHandle(h -> {
      var update = h.createUpdate("DELETE FROM access_keys WHERE access_key_id = :id AND account_id = :account AND "
              + ownerClause(userName))
          .bind("id", accessKeyId).bind("account", accountId);
      if (userName != null) {
        update.bind("user", lower(userName));
      }
      return update.execute() == 1;
    });
  }

  // ---------------------------------------------------------------- login profiles and the password policy

  @Override
  public InsertOutcome insertLoginProfile(LoginProfile profile, String passwordHash) {
    String user = lower(profile.userName());
    return jdbi.inTransaction(h -> {
      lockAccount(h, profile.accountId());
      if (count(h, EntityTable.USERS.countSql(), profile.accountId(), user) == 0) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      int inserted = h.createUpdate("INSERT INTO iam_login_profiles (account_id, user_name_lower, password_hash,"
              + " password_reset_required, created_at, password_changed_at) VALUES (:a, :n, :hash, :reset, :created,"
              + " :created) ON CONFLICT (account_id, user_name_lower) DO NOTHING")
          .bind("a", profile.accountId()).bind("n", user).bind("hash", passwordHash)
          .bind("reset", profile.passwordResetRequired() ? 1 : 0).bind("created", profile.createdAt().toEpochMilli())
          .execute();
      return inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.ALREADY_EXISTS;
    });
  }

  @Override
  public Optional<StoredLoginProfile> findLoginProfile(String accountId, String userName) {
    return jdbi.withHandle(h -> h.createQuery("SELECT p.*, u.user_name FROM iam_login_profiles p JOIN iam_users u"
            + " ON u.account_id = p.account_id AND u.user_name_lower = p.user_name_lower"
            + " WHERE p.account_id = :a AND p.user_name_lower = :n")
        .bind("a", accountId).bind("n", lower(userName))
        .map((rs, ctx) -> new StoredLoginProfile(loginProfile(rs), rs.getString("password_hash"))).findOne());
  }

  private static LoginProfile loginProfile(ResultSet rs) throws SQLException {
    long lastUsed = rs.getLong("password_last_used_at");
    Instant passwordLastUsed = rs.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
    return new LoginProfile(rs.getString("account_id"), rs.getString("user_name"),
        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getInt("password_reset_required") == 1,
        Instant.ofEpochMilli(rs.getLong("password_changed_at")), passwordLastUsed);
  }

  @Override
  public boolean replacePassword(String accountId, String userName, String expectedHash, String newHash,
      boolean passwordResetRequired, Instant now, int historyKept) {
    String user = lower(userName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      int updated = h.createUpdate("UPDATE iam_login_profiles SET password_hash = :hash, password_reset_required = :reset,"
              + " password_changed_at = :now WHERE account_id = :a AND user_name_lower = :n AND password_hash = :expected")
          .bind("hash", newHash).bind("reset", passwordResetRequired ? 1 : 0).bind("now", now.toEpochMilli())
          .bind("a", accountId).bind("n", user).bind("expected", expectedHash).execute();
      if (updated == 1) {
        remember(h, accountId, user, expectedHash, now, historyKept);
      }
      return updated == 1;
    });
  }

  /**
   * Adds a replaced password's hash to the user's history and keeps only the latest {@code historyKept}. Its time
   * is later than any before it, even within one millisecond (or under a clock that stands still), so that "latest"
   * is always well defined.
   */
  private static void remember(Handle h, String accountId, String user, String passwordHash, Instant at,
      int historyKept) {
    long latest = h.createQuery("SELECT COALESCE(MAX(replaced_at), 0) FROM iam_password_history WHERE account_id = :a"
            + " AND user_name_lower = :n").bind("a", accountId).bind("n", user).mapTo(Long.class).one();
    h.createUpdate("INSERT INTO iam_password_history (account_id, user_name_lower, password_hash, replaced_at)"
            + " VALUES (:a, :n, :hash, :at) ON CONFLICT DO NOTHING")
        .bind("a", accountId).bind("n", user).bind("hash", passwordHash)
        .bind("at", Math.max(at.toEpochMilli(), latest + 1)).execute();
    h.createUpdate("DELETE FROM iam_password_history WHERE account_id = :a AND user_name_lower = :n AND password_hash"
            + " NOT IN (SELECT password_hash FROM iam_password_history WHERE account_id = :a AND user_name_lower = :n"
            + " ORDER BY replaced_at DESC, password_hash LIMIT :kept)")
        .bind("a", accountId).bind("n", user).bind("kept", historyKept).execute();
  }

  @Override
  public boolean setPasswordResetRequired(String accountId, String userName, boolean required) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE iam_login_profiles SET password_reset_required = :reset"
            + " WHERE account_id = :a AND user_name_lower = :n")
        .bind("reset", required ? 1 : 0).bind("a", accountId).bind("n", lower(userName)).execute()) == 1;
  }

  @Override
  public void recordPasswordUse(String accountId, String userName, Instant at, String expectedHash, String rehashed) {
    jdbi.useHandle(h -> {
      h.createUpdate("UPDATE iam_login_profiles SET password_last_used_at = :at WHERE account_id = :a"
              + " AND user_name_lower = :n AND (password_last_used_at IS NULL OR password_last_used_at < :at)")
          .bind("at", at.toEpochMilli()).bind("a", accountId).bind("n", lower(userName)).execute();
      if (rehashed != null) {
        h.createUpdate("UPDATE iam_login_profiles SET password_hash = :hash WHERE account_id = :a"
                + " AND user_name_lower = :n AND password_hash = :expected")
            .bind("hash", rehashed).bind("a", accountId).bind("n", lower(userName)).bind("expected", expectedHash)
            .execute();
      }
    });
  }

  @Override
  public boolean deleteLoginProfile(String accountId, String userName, Instant now, int historyKept) {
    String user = lower(userName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      Optional<String> hash = h.createQuery("SELECT password_hash FROM iam_login_profiles WHERE account_id = :a"
              + " AND user_name_lower = :n").bind("a", accountId).bind("n", user).mapTo(String.class).findOne();
      if (hash.isEmpty()) {
        return false;
      }
      h.createUpdate("DELETE FROM iam_login_profiles WHERE account_id = :a AND user_name_lower = :n")
          .bind("a", accountId).bind("n", user).execute();
      remember(h, accountId, user, hash.get(), now, historyKept);
      return true;
    });
  }

  @Override
  public List<String> passwordHistory(String accountId, String userName, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM iam_password_history WHERE account_id = :a"
            + " AND user_name_lower = :n ORDER BY replaced_at DESC, password_hash LIMIT :limit")
        .bind("a", accountId).bind("n", lower(userName)).bind("limit", limit).mapTo(String.class).list());
  }

  @Override
  public Optional<PasswordPolicy> findPasswordPolicy(String accountId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM iam_password_policies WHERE account_id = :a")
        .bind("a", accountId)
        .map((rs, ctx) -> new PasswordPolicy(rs.getInt("minimum_password_length"), rs.getInt("require_symbols") == 1,
            rs.getInt("require_numbers") == 1, rs.getInt("require_uppercase_characters") == 1,
            rs.getInt("require_lowercase_characters") == 1, rs.getInt("allow_users_to_change_password") == 1,
            rs.getInt("max_password_age"), rs.getInt("password_reuse_prevention"), rs.getInt("hard_expiry") == 1))
        .findOne());
  }

  @Override
  public void putPasswordPolicy(String accountId, PasswordPolicy policy) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO iam_password_policies (account_id, minimum_password_length,"
            + " require_symbols, require_numbers, require_uppercase_characters, require_lowercase_characters,"
            + " allow_users_to_change_password, max_password_age, password_reuse_prevention, hard_expiry) VALUES (:a,"
            + " :length, :symbols, :numbers, :upper, :lower, :change, :age, :reuse, :hard) ON CONFLICT (account_id) DO"
            + " UPDATE SET minimum_password_length = excluded.minimum_password_length, require_symbols ="
            + " excluded.require_symbols, require_numbers = excluded.require_numbers, require_uppercase_characters ="
            + " excluded.require_uppercase_characters, require_lowercase_characters ="
            + " excluded.require_lowercase_characters, allow_users_to_change_password ="
            + " excluded.allow_users_to_change_password, max_password_age = excluded.max_password_age,"
            + " password_reuse_prevention = excluded.password_reuse_prevention, hard_expiry = excluded.hard_expiry")
        .bind("a", accountId).bind("length", policy.minimumPasswordLength())
        .bind("symbols", policy.requireSymbols() ? 1 : 0).bind("numbers", policy.requireNumbers() ? 1 : 0)
        .bind("upper", policy.requireUppercaseCharacters() ? 1 : 0)
        .bind("lower", policy.requireLowercaseCharacters() ? 1 : 0)
        .bind("change", policy.allowUsersToChangePassword() ? 1 : 0).bind("age", policy.maxPasswordAge())
        .bind("reuse", policy.passwordReusePrevention()).bind("hard", policy.hardExpiry() ? 1 : 0).execute());
  }

  @Override
  public boolean deletePasswordPolicy(String accountId) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM iam_password_policies WHERE account_id = :a")
        .bind("a", accountId).execute()) == 1;
  }

  @Override
  public boolean insertRole(Role role) {
    return jdbi.withHandle(h -> h.createUpdate(
            "INSERT INTO iam_roles (account_id, role_name, role_name_lower, role_id, path, trust_policy,"
                + " max_session_duration, description, created_at, permissions_boundary) VALUES (:account, :name, :lower, :id,"
                + " :path, :trust, :max, :description, :created, :boundary) ON CONFLICT (account_id, role_name_lower) DO NOTHING")
        .bind("account", role.accountId()).bind("name", role.roleName()).bind("lower", lower(role.roleName()))
        .bind("id", role.roleId()).bind("path", role.path()).bind("trust", role.trustPolicy())
        .bind("max", role.maxSessionDuration()).bind("description", role.description())
        .bind("created", role.createdAt().toEpochMilli()).bind("boundary", role.permissionsBoundary()).execute()) == 1;
  }

  @Override
  public Optional<Role> findRole(String accountId, String roleName) {
    return findEntity(EntityTable.ROLES, accountId, roleName, (rs, ctx) -> role(rs));
  }

  @Override
  public List<Role> listRoles(String accountId, String pathPrefix) {
    return listEntities(EntityTable.ROLES, accountId, pathPrefix, (rs, ctx) -> role(rs));
  }

  private static Role role(ResultSet rs) throws SQLException {
    return new Role(rs.getString("account_id"), rs.getString("role_name"), rs.getString("role_id"),
        rs.getString("path"), rs.getString("trust_policy"), rs.getInt("max_session_duration"),
        rs.getString("description"), Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("permissions_boundary"));
  }

  @Override
  public DeleteOutcome deleteRole(String accountId, String roleName) {
    return deleteEntity(PrincipalType.ROLE, accountId, roleName);
  }

  @Override
  public void putInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName, String document) {
    jdbi.useHandle(h -> bindPrincipal(h.createUpdate(
            "INSERT INTO inline_policies (account_id, principal_type, principal_name_lower, policy_name, policy_name_lower, document)"
                + " VALUES (:account, :type, :principal, :name, :lower, :document)"
                + " ON CONFLICT (account_id, principal_type, principal_name_lower, policy_name_lower)"
                + " DO UPDATE SET document = excluded.document, policy_name = excluded.policy_name"),
            accountId, type, principalName)
        .bind("name", policyName).bind("lower", lower(policyName)).bind("document", document).execute());
  }

  @Override
  public Optional<InlinePolicy> findInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName) {
    return jdbi.withHandle(h -> bindPrincipal(h.createQuery("SELECT policy_name, document FROM inline_policies WHERE "
            + PRINCIPAL_MATCH + " AND policy_name_lower = :lower"), accountId, type, principalName)
        .bind("lower", lower(policyName)).map((rs, ctx) -> inlinePolicy(rs)).findOne());
  }

  @Override
  public List<InlinePolicy> listInlinePolicies(String accountId, PrincipalType type, String principalName) {
    return jdbi.withHandle(h -> bindPrincipal(h.createQuery("SELECT policy_name, document FROM inline_policies WHERE "
            + PRINCIPAL_MATCH + " ORDER BY policy_name_lower"), accountId, type, principalName)
        .map((rs, ctx) -> inlinePolicy(rs)).list());
  }

  private static InlinePolicy inlinePolicy(ResultSet rs) throws SQLException {
    return new InlinePolicy(rs.getString("policy_name"), rs.getString("document"));
  }

  @Override
  public boolean deleteInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName) {
    return jdbi.withHandle(h -> bindPrincipal(h.createUpdate("DELETE FROM inline_policies WHERE " + PRINCIPAL_MATCH
            + " AND policy_name_lower = :lower"), accountId, type, principalName)
        .bind("lower", lower(policyName)).execute()) == 1;
  }

  @Override
  public boolean insertManagedPolicy(ManagedPolicy policy) {
    return jdbi.inTransaction(h -> {
      int inserted = h.createUpdate(
              "INSERT INTO managed_policies (policy_arn, account_id, policy_name, policy_name_lower, policy_id, path,"
                  + " description, document, created_at, updated_at, default_version_id, next_version_number)"
                  + " VALUES (:arn, :account, :name, :lower, :id, :path, :description, :document, :created, :updated,"
                  + " 'v1', 2) ON CONFLICT DO NOTHING")
          .bind("arn", policy.arn()).bind("account", policy.accountId()).bind("name", policy.policyName())
          .bind("lower", lower(policy.policyName())).bind("id", policy.policyId()).bind("path", policy.path())
          .bind("description", policy.description()).bind("document", policy.document())
          .bind("created", policy.createdAt().toEpochMilli()).bind("updated", policy.updatedAt().toEpochMilli())
          .execute();
      if (inserted == 1) {
        h.createUpdate("INSERT INTO managed_policy_versions (policy_arn, version_id, document, created_at)"
                + " VALUES (:arn, 'v1', :document, :created)")
            .bind("arn", policy.arn()).bind("document", policy.document())
            .bind("created", policy.createdAt().toEpochMilli()).execute();
      }
      return inserted == 1;
    });
  }

  @Override
  public Optional<ManagedPolicy> findManagedPolicy(String policyArn) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + POLICY_COLUMNS + " FROM managed_policies p WHERE p.policy_arn = :arn")
        .bind("arn", policyArn).map((rs, ctx) -> managedPolicy(rs)).findOne());
  }

  @Override
  public List<ManagedPolicy> listManagedPolicies(String accountId, boolean includeAwsManaged, String pathPrefix) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + POLICY_COLUMNS + " FROM managed_policies p WHERE"
            + " (p.account_id = :account OR (:aws = 1 AND p.account_id = 'aws')) AND p.path LIKE :prefix ESCAPE '!'"
            + " ORDER BY p.account_id, p.policy_name_lower")
        .bind("account", accountId).bind("aws", includeAwsManaged ? 1 : 0).bind("prefix", likePrefix(pathPrefix))
        .map((rs, ctx) -> managedPolicy(rs)).list());
  }

  private static ManagedPolicy managedPolicy(ResultSet rs) throws SQLException {
    return new ManagedPolicy(rs.getString("policy_arn"), rs.getString("account_id"), rs.getString("policy_name"),
        rs.getString("policy_id"), rs.getString("path"), rs.getString("description"), rs.getString("document"),
        Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
        rs.getInt("attachment_count"), rs.getString("default_version_id"), rs.getInt("boundary_usage_count"));
  }

  @Override
  public DeleteOutcome deleteManagedPolicy(String policyArn) {
    return jdbi.inTransaction(h -> {
      long exists = h.createQuery("SELECT COUNT(*) FROM managed_policies WHERE policy_arn = :arn")
          .bind("arn", policyArn).mapTo(Long.class).one();
      if (exists == 0) {
        return DeleteOutcome.NOT_FOUND;
      }
      long attached = h.createQuery("SELECT (SELECT COUNT(*) FROM policy_attachments WHERE policy_arn = :arn)"
              + " + (SELECT COUNT(*) FROM iam_users WHERE permissions_boundary = :arn)"
              + " + (SELECT COUNT(*) FROM iam_roles WHERE permissions_boundary = :arn)")
          .bind("arn", policyArn).mapTo(Long.class).one();
      if (attached > 0) {
        return DeleteOutcome.ATTACHED_TO_ENTITIES;
      }
      long versions = h.createQuery("SELECT COUNT(*) FROM managed_policy_versions WHERE policy_arn = :arn")
          .bind("arn", policyArn).mapTo(Long.class).one();
      if (versions > 1) {
        return DeleteOutcome.HAS_VERSIONS;
      }
      h.createUpdate("DELETE FROM managed_policy_versions WHERE policy_arn = :arn").bind("arn", policyArn).execute();
      String accountId = h.createQuery("SELECT account_id FROM managed_policies WHERE policy_arn = :arn")
          .bind("arn", policyArn).mapTo(String.class).one();
      h.createUpdate("DELETE FROM managed_policies WHERE policy_arn = :arn").bind("arn", policyArn).execute();
      deleteTags(h, accountId, TaggedEntity.POLICY, policyArn);
      return DeleteOutcome.DELETED;
    });
  }

  @Override
  public InsertOutcome attachPolicy(String accountId, PrincipalType type, String principalName, String policyArn,
      int maxAttached) {
    String name = lower(principalName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      if (count(h, EntityTable.of(type).countSql(), accountId, name) == 0) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      long others = h.createQuery("SELECT COUNT(*) FROM policy_attachments WHERE account_id = :a AND principal_type = :t"
              + " AND principal_name_lower = :n AND policy_arn <> :arn")
          .bind("a", accountId).bind("t", type.column()).bind("n", name).bind("arn", policyArn).mapTo(Long.class).one();
      if (others >= maxAttached) {
        return InsertOutcome.LIMIT_REACHED;
      }
      h.createUpdate("INSERT INTO policy_attachments (account_id, principal_type, principal_name_lower, policy_arn)"
              + " VALUES (:account, :type, :principal, :arn) ON CONFLICT DO NOTHING")
          .bind("account", accountId).bind("type", type.column()).bind("principal", name).bind("arn", policyArn).execute();
      return InsertOutcome.INSERTED;
    });
  }

  @Override
  public boolean detachPolicy(String accountId, PrincipalType type, String principalName, String policyArn) {
    return jdbi.withHandle(h -> bindPrincipal(h.createUpdate("DELETE FROM policy_attachments WHERE " + PRINCIPAL_MATCH
            + " AND policy_arn = :arn"), accountId, type, principalName)
        .bind("arn", policyArn).execute()) == 1;
  }

  @Override
  public List<ManagedPolicy> listAttachedPolicies(String accountId, PrincipalType type, String principalName) {
    return jdbi.withHandle(h -> bindPrincipal(h.createQuery("SELECT " + POLICY_COLUMNS + " FROM managed_policies p"
            + " JOIN policy_attachments t ON t.policy_arn = p.policy_arn WHERE t.account_id = :account"
            + " AND t.principal_type = :type AND t.principal_name_lower = :principal ORDER BY p.policy_name_lower"),
            accountId, type, principalName)
        .map((rs, ctx) -> managedPolicy(rs)).list());
  }

  @Override
  public List<PolicyEntity> listEntitiesForPolicy(String accountId, String policyArn) {
    List<String> selects = new ArrayList<>();
    for (PrincipalType type : PrincipalType.values()) {
      String kind = type.column();
      String columns = "SELECT '" + kind + "' AS kind, e." + kind + "_name AS name, e." + kind + "_id AS id, e.path AS path";
      selects.add(columns + ", 0 AS boundary FROM " + EntityTable.of(type).table() + " e JOIN policy_attachments a"
          + " ON a.account_id = e.account_id AND a.principal_type = '" + kind + "' AND a.principal_name_lower = e."
          + kind + "_name_lower WHERE e.account_id = :a AND a.policy_arn = :arn");
      if (type != PrincipalType.GROUP) {
        selects.add(columns + ", 1 AS boundary FROM " + EntityTable.of(type).table()
            + " e WHERE e.account_id = :a AND e.permissions_boundary = :arn");
      }
    }
    return jdbi.withHandle(h -> h.createQuery(String.join(" UNION ALL ", selects) + " ORDER BY kind, name")
        .bind("a", accountId).bind("arn", policyArn)
        .map((rs, ctx) -> new PolicyEntity(principalType(rs.getString("kind")), rs.getString("name"),
            rs.getString("id"), rs.getString("path"), rs.getInt("boundary") == 1))
        .list());
  }

  private static PrincipalType principalType(String column) {
    return WireNames.find(PrincipalType.class, PrincipalType::column, column)
        .orElseThrow(() -> new IllegalStateException("unknown principal type " + column));
  }

  @Override
  public InsertOutcome insertGroup(IamGroup group, int maxGroups) {
    return jdbi.inTransaction(h -> {
      lockAccount(h, group.accountId());
      if (count(h, EntityTable.GROUPS.countSql(), group.accountId(), lower(group.groupName())) > 0) {
        return InsertOutcome.ALREADY_EXISTS;
      }
      long groups = h.createQuery("SELECT COUNT(*) FROM iam_groups WHERE account_id = :a")
          .bind("a", group.accountId()).mapTo(Long.class).one();
      if (groups >= maxGroups) {
        return InsertOutcome.LIMIT_REACHED;
      }
      int inserted = h.createUpdate("INSERT INTO iam_groups (account_id, group_name, group_name_lower, group_id, path,"
              + " created_at) VALUES (:account, :name, :lower, :id, :path, :created)"
              + " ON CONFLICT (account_id, group_name_lower) DO NOTHING")
          .bind("account", group.accountId()).bind("name", group.groupName()).bind("lower", lower(group.groupName()))
          .bind("id", group.groupId()).bind("path", group.path()).bind("created", group.createdAt().toEpochMilli())
          .execute();
      return inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.ALREADY_EXISTS;
    });
  }

  @Override
  public Optional<IamGroup> findGroup(String accountId, String groupName) {
    return findEntity(EntityTable.GROUPS, accountId, groupName, (rs, ctx) -> group(rs));
  }

  @Override
  public List<IamGroup> listGroups(String accountId, String pathPrefix) {
    return listEntities(EntityTable.GROUPS, accountId, pathPrefix, (rs, ctx) -> group(rs));
  }

  @Override
  public InsertOutcome updateGroup(String accountId, String groupName, String newGroupName, String newPath) {
    String from = lower(groupName);
    String to = lower(newGroupName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      if (count(h, EntityTable.GROUPS.countSql(), accountId, from) == 0) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      if (!to.equals(from) && count(h, EntityTable.GROUPS.countSql(), accountId, to) > 0) {
        return InsertOutcome.ALREADY_EXISTS;
      }
      renameMember(h, PrincipalType.GROUP, accountId, from, to, () -> h.createUpdate(
              "UPDATE iam_groups SET group_name = :name, group_name_lower = :to, path = :path"
                  + " WHERE account_id = :a AND group_name_lower = :from")
          .bind("name", newGroupName).bind("to", to).bind("path", newPath).bind("a", accountId).bind("from", from)
          .execute());
      return InsertOutcome.INSERTED;
    });
  }

  /**
   * Renames a user or a group ({@code rename} updates its row): group memberships reference its lower-cased
   * name, so they step aside while it changes and come back under the new one; its inline and attached
   * policies follow it.
   */
  private static void renameMember(Handle h, PrincipalType type, String accountId, String from, String to,
      Runnable rename) {
    String own = EntityTable.of(type).nameColumn();
    String other = type == PrincipalType.USER ? EntityTable.GROUPS.nameColumn() : EntityTable.USERS.nameColumn();
    List<String> others = h.createQuery("SELECT " + other + " FROM iam_group_members WHERE account_id = :a AND "
        + own + " = :n").bind("a", accountId).bind("n", from).mapTo(String.class).list();
    h.createUpdate("DELETE FROM iam_group_members WHERE account_id = :a AND " + own + " = :n")
        .bind("a", accountId).bind("n", from).execute();
    rename.run();
    for (String member : others) {
      h.createUpdate("INSERT INTO iam_group_members (account_id, " + own + ", " + other + ") VALUES (:a, :to, :o)")
          .bind("a", accountId).bind("to", to).bind("o", member).execute();
    }
    if (!to.equals(from)) {
      for (String table : List.of("inline_policies", "policy_attachments")) {
        h.createUpdate("UPDATE " + table + " SET principal_name_lower = :to WHERE account_id = :a"
                + " AND principal_type = :t AND principal_name_lower = :from")
            .bind("to", to).bind("a", accountId).bind("t", type.column()).bind("from", from).execute();
      }
    }
  }

  private static IamGroup group(ResultSet rs) throws SQLException {
    return new IamGroup(rs.getString("account_id"), rs.getString("group_name"), rs.getString("group_id"),
        rs.getString("path"), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  @Override
  public DeleteOutcome deleteGroup(String accountId, String groupName) {
    return deleteEntity(PrincipalType.GROUP, accountId, groupName);
  }

  @Override
  public InsertOutcome addUserToGroup(String accountId, String groupName, String userName, int maxGroupsPerUser) {
    String group = lower(groupName);
    String user = lower(userName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      if (count(h, EntityTable.GROUPS.countSql(), accountId, group) == 0
          || count(h, EntityTable.USERS.countSql(), accountId, user) == 0) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      long others = h.createQuery("SELECT COUNT(*) FROM iam_group_members WHERE account_id = :a AND user_name_lower = :u"
              + " AND group_name_lower <> :g")
          .bind("a", accountId).bind("u", user).bind("g", group).mapTo(Long.class).one();
      if (others >= maxGroupsPerUser) {
        return InsertOutcome.LIMIT_REACHED;
      }
      h.createUpdate("INSERT INTO iam_group_members (account_id, group_name_lower, user_name_lower)"
              + " VALUES (:a, :g, :u) ON CONFLICT DO NOTHING")
          .bind("a", accountId).bind("g", group).bind("u", user).execute();
      return InsertOutcome.INSERTED;
    });
  }

  @Override
  public boolean removeUserFromGroup(String accountId, String groupName, String userName) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM iam_group_members WHERE account_id = :a"
            + " AND group_name_lower = :g AND user_name_lower = :u")
        .bind("a", accountId).bind("g", lower(groupName)).bind("u", lower(userName)).execute()) == 1;
  }

  @Override
  public List<IamUser> listGroupMembers(String accountId, String groupName) {
    return acrossMemberships(EntityTable.USERS, EntityTable.GROUPS, accountId, groupName, (rs, ctx) -> user(rs));
  }

  @Override
  public List<IamGroup> listGroupsForUser(String accountId, String userName) {
    return acrossMemberships(EntityTable.GROUPS, EntityTable.USERS, accountId, userName, (rs, ctx) -> group(rs));
  }

  /**
   * The users of a group or the groups of a user, in name order: iam_group_members names its
   * columns as the two tables do (user_name_lower, group_name_lower).
   */
  private <T> List<T> acrossMemberships(EntityTable listed, EntityTable of, String accountId, String name,
      RowMapper<T> mapper) {
    return jdbi.withHandle(h -> h.createQuery("SELECT e.* FROM " + listed.table() + " e JOIN iam_group_members m"
            + " ON m.account_id = e.account_id AND m." + listed.nameColumn() + " = e." + listed.nameColumn()
            + " WHERE m.account_id = :a AND m." + of.nameColumn() + " = :n ORDER BY e." + listed.nameColumn())
        .bind("a", accountId).bind("n", lower(name)).map(mapper).list());
  }

  @Override
  public Optional<PolicyVersion> insertPolicyVersion(String policyArn, String document, boolean setAsDefault,
      int maxVersions, Instant now) {
    return jdbi.inTransaction(h -> {
      // Locks the policy row (PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock): the count and
      // the version number are read and advanced in one step.
      Optional<Integer> next = h.createQuery("SELECT next_version_number FROM managed_policies WHERE policy_arn = :arn"
              + (dialect == Database.Dialect.POSTGRESQL ? " FOR UPDATE" : ""))
          .bind("arn", policyArn).mapTo(Integer.class).findOne();
      if (next.isEmpty()) {
        return Optional.empty();
      }
      long versions = h.createQuery("SELECT COUNT(*) FROM managed_policy_versions WHERE policy_arn = :arn")
          .bind("arn", policyArn).mapTo(Long.class).one();
      if (versions >= maxVersions) {
        return Optional.empty();
      }
      String versionId = "v" + next.get();
      h.createUpdate("INSERT INTO managed_policy_versions (policy_arn, version_id, document, created_at)"
              + " VALUES (:arn, :version, :document, :created)")
          .bind("arn", policyArn).bind("version", versionId).bind("document", document)
          .bind("created", now.toEpochMilli()).execute();
      h.createUpdate("UPDATE managed_policies SET next_version_number = next_version_number + 1 WHERE policy_arn = :arn")
          .bind("arn", policyArn).execute();
      if (setAsDefault) {
        makeDefault(h, policyArn, versionId, now);
      }
      return Optional.of(new PolicyVersion(policyArn, versionId, document, setAsDefault, now));
    });
  }

  /** Copies the version's document into the policy row, which evaluation reads. */
  private static boolean makeDefault(Handle h, String policyArn, String versionId, Instant now) {
    return h.createUpdate("UPDATE managed_policies SET default_version_id = :version, updated_at = :now,"
            + " document = (SELECT v.document FROM managed_policy_versions v WHERE v.policy_arn = :arn"
            + " AND v.version_id = :version) WHERE policy_arn = :arn AND EXISTS (SELECT 1 FROM managed_policy_versions v"
            + " WHERE v.policy_arn = :arn AND v.version_id = :version)")
        .bind("arn", policyArn).bind("version", versionId).bind("now", now.toEpochMilli()).execute() == 1;
  }

  private static final String VERSION_COLUMNS = "SELECT v.policy_arn, v.version_id, v.document, v.created_at,"
      + " (v.version_id = p.default_version_id) AS is_default FROM managed_policy_versions v"
      + " JOIN managed_policies p ON p.policy_arn = v.policy_arn WHERE v.policy_arn = :arn";

  @Override
  public Optional<PolicyVersion> findPolicyVersion(String policyArn, String versionId) {
    return jdbi.withHandle(h -> h.createQuery(VERSION_COLUMNS + " AND v.version_id = :version")
        .bind("arn", policyArn).bind("version", versionId).map((rs, ctx) -> policyVersion(rs)).findOne());
  }

  @Override
  public List<PolicyVersion> listPolicyVersions(String policyArn) {
    return jdbi.withHandle(h -> h.createQuery(VERSION_COLUMNS + " ORDER BY CAST(SUBSTR(v.version_id, 2) AS INTEGER) DESC")
        .bind("arn", policyArn).map((rs, ctx) -> policyVersion(rs)).list());
  }

  private static PolicyVersion policyVersion(ResultSet rs) throws SQLException {
    return new PolicyVersion(rs.getString("policy_arn"), rs.getString("version_id"), rs.getString("document"),
        rs.getBoolean("is_default"), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  @Override
  public DeleteOutcome deletePolicyVersion(String policyArn, String versionId) {
    return jdbi.inTransaction(h -> {
      Optional<String> defaultVersion = h.createQuery("SELECT default_version_id FROM managed_policies"
              + " WHERE policy_arn = :arn" + (dialect == Database.Dialect.POSTGRESQL ? " FOR UPDATE" : ""))
          .bind("arn", policyArn).mapTo(String.class).findOne();
      if (defaultVersion.isPresent() && defaultVersion.get().equals(versionId)) {
        return DeleteOutcome.IS_DEFAULT_VERSION;
      }
      int deleted = h.createUpdate("DELETE FROM managed_policy_versions WHERE policy_arn = :arn AND version_id = :version")
          .bind("arn", policyArn).bind("version", versionId).execute();
      return deleted == 1 ? DeleteOutcome.DELETED : DeleteOutcome.NOT_FOUND;
    });
  }

  @Override
  public boolean setDefaultPolicyVersion(String policyArn, String versionId, Instant now) {
    return jdbi.inTransaction(h -> makeDefault(h, policyArn, versionId, now));
  }

  // ---------------------------------------------------------------- updates, boundaries and tags

  @Override
  public RenameOutcome updateUser(String accountId, String userName, String newUserName, String newPath) {
    String name = lower(userName);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      Optional<IamUser> user = h.createQuery("SELECT * FROM iam_users WHERE account_id = :a AND user_name_lower = :n")
          .bind("a", accountId).bind("n", name).map((rs, ctx) -> user(rs)).findOne();
      if (user.isEmpty()) {
        return RenameOutcome.NOT_FOUND;
      }
      String renamed = newUserName == null ? user.get().userName() : newUserName;
      String to = lower(renamed);
      if (!to.equals(name) && count(h, EntityTable.USERS.countSql(), accountId, to) > 0) {
        return RenameOutcome.NAME_TAKEN;
      }
      renameMember(h, PrincipalType.USER, accountId, name, to, () -> h.createUpdate(
              "UPDATE iam_users SET user_name = :name, user_name_lower = :to, path = :path"
                  + " WHERE account_id = :a AND user_name_lower = :n")
          .bind("name", renamed).bind("to", to).bind("path", newPath == null ? user.get().path() : newPath)
          .bind("a", accountId).bind("n", name).execute());
      if (!to.equals(name)) {
        // Everything else that names the user by its lower-cased name follows it.
        for (String sql : List.of(
            "UPDATE access_keys SET user_name_lower = :to WHERE account_id = :a AND user_name_lower = :n",
            "UPDATE iam_tags SET entity_key = :to WHERE account_id = :a AND entity_type = 'user' AND entity_key = :n",
            "UPDATE iam_login_profiles SET user_name_lower = :to WHERE account_id = :a AND user_name_lower = :n",
            "UPDATE iam_password_history SET user_name_lower = :to WHERE account_id = :a AND user_name_lower = :n")) {
          h.createUpdate(sql).bind("to", to).bind("a", accountId).bind("n", name).execute();
        }
      }
      return RenameOutcome.RENAMED;
    });
  }

  @Override
  public boolean updateRole(Role role) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE iam_roles SET trust_policy = :trust, max_session_duration = :max,"
            + " description = :description WHERE account_id = :account AND role_name_lower = :lower")
        .bind("trust", role.trustPolicy()).bind("max", role.maxSessionDuration()).bind("description", role.description())
        .bind("account", role.accountId()).bind("lower", lower(role.roleName())).execute()) == 1;
  }

  @Override
  public boolean setPermissionsBoundary(String accountId, PrincipalType type, String name, String policyArn) {
    EntityTable entities = EntityTable.of(type);
    return jdbi.withHandle(h -> h.createUpdate("UPDATE " + entities.table() + " SET permissions_boundary = :arn"
            + " WHERE account_id = :a AND " + entities.nameColumn() + " = :n")
        .bind("arn", policyArn).bind("a", accountId).bind("n", lower(name)).execute()) == 1;
  }

  /** Users and roles are keyed by their lower-cased name, policies by their ARN. */
  private static String tagEntityKey(TaggedEntity entity, String key) {
    return entity.keyedByArn() ? key : lower(key);
  }

  @Override
  public List<Tag> listTags(String accountId, TaggedEntity entity, String entityKey) {
    return jdbi.withHandle(h -> h.createQuery("SELECT tag_key, tag_value FROM iam_tags WHERE account_id = :a"
            + " AND entity_type = :t AND entity_key = :k ORDER BY tag_key_lower")
        .bind("a", accountId).bind("t", entity.column()).bind("k", tagEntityKey(entity, entityKey))
        .map((rs, ctx) -> new Tag(rs.getString("tag_key"), rs.getString("tag_value"))).list());
  }

  @Override
  public boolean taggedEntityExists(String accountId, TaggedEntity entity, String entityKey) {
    return jdbi.withHandle(h -> tagEntityExists(h, accountId, entity, tagEntityKey(entity, entityKey)));
  }

  private static boolean tagEntityExists(Handle h, String accountId, TaggedEntity entity, String key) {
    return switch (entity) {
      case USER -> count(h, EntityTable.USERS.countSql(), accountId, key) > 0;
      case ROLE -> count(h, EntityTable.ROLES.countSql(), accountId, key) > 0;
      case POLICY -> count(h, "SELECT COUNT(*) FROM managed_policies WHERE account_id = :a AND policy_arn = :n",
          accountId, key) > 0;
      case OIDC_PROVIDER -> count(h, "SELECT COUNT(*) FROM oidc_providers WHERE account_id = :a AND provider_arn = :n",
          accountId, key) > 0;
    };
  }

  @Override
  public InsertOutcome putTags(String accountId, TaggedEntity entity, String entityKey, List<Tag> tags, int maxTags) {
    String key = tagEntityKey(entity, entityKey);
    return jdbi.inTransaction(h -> {
      lockAccount(h, accountId);
      if (!tagEntityExists(h, accountId, entity, key)) {
        return InsertOutcome.NO_SUCH_ENTITY;
      }
      List<String> present = new ArrayList<>(h.createQuery("SELECT tag_key_lower FROM iam_tags WHERE account_id = :a"
              + " AND entity_type = :t AND entity_key = :k")
          .bind("a", accountId).bind("t", entity.column()).bind("k", key).mapTo(String.class).list());
      for (Tag tag : tags) {
        if (!present.contains(lower(tag.key()))) {
          present.add(lower(tag.key()));
        }
      }
      if (present.size() > maxTags) {
        return InsertOutcome.LIMIT_REACHED;
      }
      for (Tag tag : tags) {
        h.createUpdate("INSERT INTO iam_tags (account_id, entity_type, entity_key, tag_key, tag_key_lower, tag_value)"
                + " VALUES (:a, :t, :k, :key, :lower, :value) ON CONFLICT (account_id, entity_type, entity_key, tag_key_lower)"
                + " DO UPDATE SET tag_key = excluded.tag_key, tag_value = excluded.tag_value")
            .bind("a", accountId).bind("t", entity.column()).bind("k", key).bind("key", tag.key())
            .bind("lower", lower(tag.key())).bind("value", tag.value()).execute();
      }
      return InsertOutcome.INSERTED;
    });
  }

  @Override
  public boolean removeTags(String accountId, TaggedEntity entity, String entityKey, List<String> keys) {
    String key = tagEntityKey(entity, entityKey);
    return jdbi.inTransaction(h -> {
      if (!tagEntityExists(h, accountId, entity, key)) {
        return false;
      }
      for (String tagKey : keys) {
        h.createUpdate("DELETE FROM iam_tags WHERE account_id = :a AND entity_type = :t AND entity_key = :k"
                + " AND tag_key_lower = :lower")
            .bind("a", accountId).bind("t", entity.column()).bind("k", key).bind("lower", lower(tagKey)).execute();
      }
      return true;
    });
  }

  private static void deleteTags(Handle h, String accountId, TaggedEntity entity, String key) {
    h.createUpdate("DELETE FROM iam_tags WHERE account_id = :a AND entity_type = :t AND entity_key = :k")
        .bind("a", accountId).bind("t", entity.column()).bind("k", key).execute();
  }
}
