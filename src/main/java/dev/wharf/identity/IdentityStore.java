package dev.wharf.identity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of accounts, IAM users, access keys, roles and policies. Implementations know
 * nothing of policy evaluation or HTTP; names are matched case-insensitively as IAM does.
 */
public interface IdentityStore {

  /** How a guarded delete ended. */
  enum DeleteOutcome {
    DELETED,
    NOT_FOUND,
    HAS_ACCESS_KEYS,
    HAS_INLINE_POLICIES,
    HAS_ATTACHED_POLICIES,
    ATTACHED_TO_ENTITIES,
    /** A group that has users, or a user that is in groups. */
    HAS_GROUP_MEMBERS,
    /** A managed policy with versions besides the default one. */
    HAS_VERSIONS,
    /** The default version of a managed policy. */
    IS_DEFAULT_VERSION,
    /** A user with a console password (login profile). */
    HAS_LOGIN_PROFILE
  }

  /** How a guarded insert (access key, policy attachment) ended. */
  enum InsertOutcome {
    INSERTED,
    LIMIT_REACHED,
    NO_SUCH_ENTITY,
    ALREADY_EXISTS
  }

  /** How a rename ended. */
  enum RenameOutcome {
    RENAMED,
    NOT_FOUND,
    NAME_TAKEN
  }

  /** An inline policy: its name and document. */
  record InlinePolicy(String policyName, String document) {}

  /** An access key and its encrypted secret. */
  record StoredAccessKey(AccessKey key, String secretCiphertext) {}

  /** When an access key last signed an accepted request, for which service (signing name) and region. */
  record AccessKeyUse(String accessKeyId, Instant at, String service, String region) {}

  /** A user's login profile and the hash of its password (a PHC string, see {@code dev.wharf.crypto.PasswordHashes}). */
  record StoredLoginProfile(LoginProfile profile, String passwordHash) {}

  /** A user, group or role that uses a managed policy: attached to it, or ({@code boundary}) as its boundary. */
  record PolicyEntity(PrincipalType type, String name, String id, String path, boolean boundary) {}

  // settings
  Optional<String> setting(String name);

  /** Stores the setting unless one exists; returns the value now stored. */
  String putSettingIfAbsent(String name, String value);

  // accounts
  boolean insertAccount(Account account);

  Optional<Account> findAccount(String accountId);

  List<Account> listAccounts();

  // users
  boolean insertUser(IamUser user);

  Optional<IamUser> findUser(String accountId, String userName);

  List<IamUser> listUsers(String accountId, String pathPrefix);

  /**
   * Deletes the user (with its tags and password history) only when no login profile, access key, inline policy,
   * attachment or group membership remains.
   */
  DeleteOutcome deleteUser(String accountId, String userName);

  /**
   * Renames a user and/or moves it to another path (null keeps each), carrying its access keys, policies,
   * attachments, tags, login profile and password history along, in one transaction.
   */
  RenameOutcome updateUser(String accountId, String userName, String newUserName, String newPath);

  // login profiles (console passwords)
  /** Inserts the user's login profile unless the user no longer exists (NO_SUCH_ENTITY) or has one (ALREADY_EXISTS). */
  InsertOutcome insertLoginProfile(LoginProfile profile, String passwordHash);

  /** The user's login profile (with the user's name as stored) and password hash; empty when it has none. */
  Optional<StoredLoginProfile> findLoginProfile(String accountId, String userName);

  /**
   * Replaces the user's password hash with {@code newHash}, set at {@code now}, only while the hash is still
   * {@code expectedHash} (compare and set, so a password checked against the old hash cannot overwrite one changed
   * meanwhile), and sets the reset flag. The replaced hash joins the user's password history, of which the latest
   * {@code historyKept} stay. False when the profile is gone or its password changed meanwhile.
   */
  boolean replacePassword(String accountId, String userName, String expectedHash, String newHash,
      boolean passwordResetRequired, Instant now, int historyKept);

  /** Sets whether the user must choose a new password at the next sign-in; false when the user has no login profile. */
  boolean setPasswordResetRequired(String accountId, String userName, boolean required);

  /**
   * Records a console sign-in with the password at {@code at}; with a {@code rehashed} hash (the same password under
   * new hash parameters), also puts it in place of the stored one if that is still {@code expectedHash}.
   */
  void recordPasswordUse(String accountId, String userName, Instant at, String expectedHash, String rehashed);

  /** Deletes the user's login profile; its hash joins the password history (the latest {@code historyKept} stay). */
  boolean deleteLoginProfile(String accountId, String userName, Instant now, int historyKept);

  /** The hashes of the user's earlier passwords (not the current one), latest first, at most {@code limit}. */
  List<String> passwordHistory(String accountId, String userName, int limit);

  // the account password policy
  Optional<PasswordPolicy> findPasswordPolicy(String accountId);

  /** Stores the account's password policy, replacing any it had. */
  void putPasswordPolicy(String accountId, PasswordPolicy policy);

  /** False when the account had no password policy. */
  boolean deletePasswordPolicy(String accountId);

  // access keys
  /**
   * Inserts the key unless its owner (the user, or the root user when the key has no user) already has
   * {@code maxKeysPerOwner} keys; counting and inserting are one atomic step, so concurrent requests cannot pass
   * the limit together. Returns false when the limit was reached.
   */
  /** Inserts the key unless its owner has maxKeysPerOwner keys already or (for a user) no longer exists. */
  InsertOutcome insertAccessKey(AccessKey key, String secretCiphertext, int maxKeysPerOwner);

  Optional<StoredAccessKey> findAccessKey(String accessKeyId);

  /** Keys of a user, or of the root user when userName is null. */
  List<AccessKey> listAccessKeys(String accountId, String userName);

  boolean updateAccessKeyStatus(String accountId, String userName, String accessKeyId, AccessKey.Status status);

  boolean deleteAccessKey(String accountId, String userName, String accessKeyId);

  /** Records the latest uses of access keys; an older use than the one stored leaves it as it is. */
  void recordAccessKeyUses(Collection<AccessKeyUse> uses);

  /** The latest recorded use of an access key; empty when it was never used (or does not exist). */
  Optional<AccessKeyUse> accessKeyLastUsed(String accessKeyId);

  // roles
  boolean insertRole(Role role);

  Optional<Role> findRole(String accountId, String roleName);

  List<Role> listRoles(String accountId, String pathPrefix);

  /** Deletes the role (and its tags) only when no inline policy or attachment remains. */
  DeleteOutcome deleteRole(String accountId, String roleName);

  // groups
  /** Inserts the group unless one of that name exists or the account has maxGroups already. */
  InsertOutcome insertGroup(IamGroup group, int maxGroups);

  Optional<IamGroup> findGroup(String accountId, String groupName);

  List<IamGroup> listGroups(String accountId, String pathPrefix);

  /**
   * Renames the group and/or changes its path; its users and policies follow. INSERTED when done,
   * ALREADY_EXISTS when another group has the new name, NO_SUCH_ENTITY when the group is gone.
   */
  InsertOutcome updateGroup(String accountId, String groupName, String newGroupName, String newPath);

  /** Deletes the group only when it has no users, inline policies or attachments. */
  DeleteOutcome deleteGroup(String accountId, String groupName);

  /**
   * Adds the user to the group (idempotently) unless the user is in maxGroupsPerUser other groups already, or the
   * user or group no longer exists.
   */
  InsertOutcome addUserToGroup(String accountId, String groupName, String userName, int maxGroupsPerUser);

  boolean removeUserFromGroup(String accountId, String groupName, String userName);

  List<IamUser> listGroupMembers(String accountId, String groupName);

  List<IamGroup> listGroupsForUser(String accountId, String userName);

  /** Writes the role's trust policy, maximum session duration and description; false when it does not exist. */
  boolean updateRole(Role role);

  // permissions boundaries
  /** Sets (or with null, removes) the permissions boundary of a user or role; false when it does not exist. */
  boolean setPermissionsBoundary(String accountId, PrincipalType type, String name, String policyArn);

  /** The account's users, groups and roles that use the managed policy, ordered by type and name. */
  List<PolicyEntity> listEntitiesForPolicy(String accountId, String policyArn);

  // tags
  /** The entity's tags ordered by key; {@code entityKey} is the user or role name, or the policy ARN. */
  List<Tag> listTags(String accountId, TaggedEntity entity, String entityKey);

  /**
   * Adds the tags, replacing any with the same key regardless of case, unless the entity no longer exists or would
   * then have more than {@code maxTags}; the check and the write are one atomic step.
   */
  InsertOutcome putTags(String accountId, TaggedEntity entity, String entityKey, List<Tag> tags, int maxTags);

  /** Whether the tagged entity exists (for an OpenID Connect provider, which this store does not read otherwise). */
  boolean taggedEntityExists(String accountId, TaggedEntity entity, String entityKey);

  /** Removes the tags with these keys (regardless of case; absent keys are ignored); false when there is no entity. */
  boolean removeTags(String accountId, TaggedEntity entity, String entityKey, List<String> keys);

  // inline policies
  void putInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName, String document);

  Optional<InlinePolicy> findInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName);

  List<InlinePolicy> listInlinePolicies(String accountId, PrincipalType type, String principalName);

  boolean deleteInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName);

  // managed policies
  boolean insertManagedPolicy(ManagedPolicy policy);

  Optional<ManagedPolicy> findManagedPolicy(String policyArn);

  /** Policies of an account; with includeAwsManaged, also the AWS-managed ones. */
  List<ManagedPolicy> listManagedPolicies(String accountId, boolean includeAwsManaged, String pathPrefix);

  /**
   * Deletes the policy (with its one remaining version and its tags) only when it is attached to nothing, has no
   * other version and is no one's permissions boundary.
   */
  DeleteOutcome deleteManagedPolicy(String policyArn);

  // managed policy versions
  /**
   * Adds the next version (v2, v3, … never reusing a number) unless the policy has maxVersions already or no
   * longer exists (then empty); as default, its document becomes the policy's.
   */
  Optional<PolicyVersion> insertPolicyVersion(String policyArn, String document, boolean setAsDefault, int maxVersions,
      Instant now);

  Optional<PolicyVersion> findPolicyVersion(String policyArn, String versionId);

  /** Newest first, as IAM lists them. */
  List<PolicyVersion> listPolicyVersions(String policyArn);

  /** Deletes a version other than the default one. */
  DeleteOutcome deletePolicyVersion(String policyArn, String versionId);

  /** Makes the version the default (the one evaluated); false when there is no such version. */
  boolean setDefaultPolicyVersion(String policyArn, String versionId, Instant now);

  // attachments
  /** Attaches (idempotently) unless the entity has maxAttached others already or no longer exists. */
  InsertOutcome attachPolicy(String accountId, PrincipalType type, String principalName, String policyArn, int maxAttached);

  boolean detachPolicy(String accountId, PrincipalType type, String principalName, String policyArn);

  List<ManagedPolicy> listAttachedPolicies(String accountId, PrincipalType type, String principalName);
}
