package dev.wharf.identity;

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
    ATTACHED_TO_ENTITIES
  }

  /** How a guarded insert (access key, policy attachment) ended. */
  enum InsertOutcome {
    INSERTED,
    LIMIT_REACHED,
    NO_SUCH_ENTITY
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

  /** Deletes the user (and its tags) only when no access key, inline policy or attachment remains. */
  DeleteOutcome deleteUser(String accountId, String userName);

  /**
   * Renames a user and/or moves it to another path (null keeps each), carrying its access keys, policies,
   * attachments and tags along, in one transaction.
   */
  RenameOutcome updateUser(String accountId, String userName, String newUserName, String newPath);

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

  // roles
  boolean insertRole(Role role);

  Optional<Role> findRole(String accountId, String roleName);

  List<Role> listRoles(String accountId, String pathPrefix);

  /** Deletes the role (and its tags) only when no inline policy or attachment remains. */
  DeleteOutcome deleteRole(String accountId, String roleName);

  /** Writes the role's trust policy, maximum session duration and description; false when it does not exist. */
  boolean updateRole(Role role);

  // permissions boundaries
  /** Sets (or with null, removes) the permissions boundary of a user or role; false when it does not exist. */
  boolean setPermissionsBoundary(String accountId, PrincipalType type, String name, String policyArn);

  // tags
  /** The entity's tags ordered by key; {@code entityKey} is the user or role name, or the policy ARN. */
  List<Tag> listTags(String accountId, TaggedEntity entity, String entityKey);

  /**
   * Adds the tags, replacing any with the same key regardless of case, unless the entity no longer exists or would
   * then have more than {@code maxTags}; the check and the write are one atomic step.
   */
  InsertOutcome putTags(String accountId, TaggedEntity entity, String entityKey, List<Tag> tags, int maxTags);

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

  /** Deletes the policy (and its tags) only when it is attached to nothing and is no one's permissions boundary. */
  DeleteOutcome deleteManagedPolicy(String policyArn);

  // attachments
  /** Attaches (idempotently) unless the entity has maxAttached others already or no longer exists. */
  InsertOutcome attachPolicy(String accountId, PrincipalType type, String principalName, String policyArn, int maxAttached);

  boolean detachPolicy(String accountId, PrincipalType type, String principalName, String policyArn);

  List<ManagedPolicy> listAttachedPolicies(String accountId, PrincipalType type, String principalName);
}
