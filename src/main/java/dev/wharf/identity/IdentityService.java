package dev.wharf.identity;

import dev.wharf.crypto.PasswordHashes;
import dev.wharf.crypto.RandomIds;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.error.WharfException;
import dev.wharf.policy.MalformedPolicyException;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * IAM: users, groups, access keys, console passwords (login profiles) and the account password policy, roles, inline
 * and managed policies (with their versions), with AWS's names, limits and errors. Callers have already been
 * authorized for the action; this service checks the request itself and the state it changes. Every change notifies
 * the listeners so caches of keys and policies drop what they hold at once (a login profile change has nothing
 * cached to drop; a password policy change does, for AllowUsersToChangePassword).
 */
public final class IdentityService {
  /** AWS: at most two access keys per user. */
  public static final int MAX_ACCESS_KEYS_PER_USER = 2;
  /** Inline policy size limits (characters, whitespace not counted), as AWS applies them. */
  public static final int USER_INLINE_POLICY_LIMIT = 2048;
  public static final int ROLE_INLINE_POLICY_LIMIT = 10240;
  public static final int GROUP_INLINE_POLICY_LIMIT = 5120;
  public static final int MANAGED_POLICY_LIMIT = 6144;
  public static final int TRUST_POLICY_LIMIT = 2048;
  public static final int MAX_MANAGED_POLICIES_ATTACHED = 10;
  /** AWS: at most 300 groups per account, a user in at most 10 groups, a managed policy with at most 5 versions. */
  public static final int MAX_GROUPS_PER_ACCOUNT = 300;
  public static final int MAX_GROUPS_PER_USER = 10;
  public static final int MAX_POLICY_VERSIONS = 5;

  /** AWS: at most 50 tags per user, role or policy; keys of 1..128 and values of 0..256 characters. */
  public static final int MAX_TAGS = 50;
  public static final int MAX_TAG_KEY_LENGTH = 128;
  public static final int MAX_TAG_VALUE_LENGTH = 256;

  private static final Pattern ENTITY_NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
  private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]*/");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final Pattern POLICY_ARN = Pattern.compile("arn:aws:iam::(\\d{12}|aws):policy/(.+/)?[\\w+=,.@-]+");

  private final IdentityStore store;
  private final SecretCipher cipher;
  private final Clock clock;
  private final PasswordHashes passwords;
  private final List<Runnable> changeListeners = new ArrayList<>();

  public IdentityService(IdentityStore store, SecretCipher cipher, Clock clock) {
    this(store, cipher, clock, new PasswordHashes());
  }

  /** With the hasher of console passwords (tests may pass cheaper parameters). */
  public IdentityService(IdentityStore store, SecretCipher cipher, Clock clock, PasswordHashes passwords) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
  }

  /** Registers a callback run after every change to keys, users, roles or policies. */
  public void onChange(Runnable listener) {
    changeListeners.add(Objects.requireNonNull(listener));
  }

  private void changed() {
    changeListeners.forEach(Runnable::run);
  }

  public IdentityStore store() {
    return store;
  }

  /** Context of an encrypted access-key secret; binds the ciphertext to its key id. */
  public static String secretContext(String accessKeyId) {
    return "access-key-secret:" + accessKeyId;
  }

  // ---------------------------------------------------------------- validation

  static void requireName(String field, String value, int max) {
    if (value == null || value.isEmpty()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at '" + field
          + "' failed to satisfy constraint: Member must not be null");
    }
    if (value.length() > max) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + value + "' at '"
          + field + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }
    if (!ENTITY_NAME.matcher(value).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + value + "' at '"
          + field + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
  }

  static String requirePath(String path) {
    if (path == null) {
      return "/";
    }
    if (path.length() > 512 || !PATH.matcher(path).matches()) {
      throw new WharfException.Invalid("ValidationError", "The specified value for path is invalid. It must begin and"
          + " end with / and contain only alphanumeric characters and/or / characters.");
    }
    return path;
  }

  private static PolicyDocument parsePolicy(String document, PolicyKind kind, int limit) {
    if (document == null || document.isBlank()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'policyDocument'"
          + " failed to satisfy constraint: Member must not be null");
    }
    long counted = document.chars().filter(c -> !Character.isWhitespace(c)).count();
    if (counted > limit) {
      throw new WharfException.LimitExceeded("LimitExceeded", "Cannot exceed quota for PolicySize: " + limit);
    }
    try {
      return PolicyDocument.parseNew(document, kind);
    } catch (MalformedPolicyException e) {
      throw new WharfException.Invalid("MalformedPolicyDocument", e.getMessage());
    }
  }

  private static WharfException.NotFound noSuchEntity(String message) {
    return new WharfException.NotFound("NoSuchEntity", message);
  }

  // ---------------------------------------------------------------- accounts

  /** Creates an account with its root user's first access key; returns the key and its secret. */
  public NewAccessKey createAccount(String accountId, String name, boolean management) {
    if (!store.insertAccount(new Account(accountId, name, management, clock.instant()))) {
      throw new WharfException.Conflict("EntityAlreadyExists", "Account " + accountId + " already exists.");
    }
    NewAccessKey key = newAccessKey(accountId, null);
    changed();
    return key;
  }

  public Optional<Account> findAccount(String accountId) {
    return store.findAccount(accountId);
  }

  // ---------------------------------------------------------------- users

  public IamUser createUser(String accountId, String userName, String path) {
    return createUser(accountId, userName, path, null, List.of());
  }

  /** Creates a user with an optional permissions boundary (a managed policy ARN, or null) and tags. */
  public IamUser createUser(String accountId, String userName, String path, String permissionsBoundary, List<Tag> tags) {
    requireName("userName", userName, 64);
    String checkedPath = requirePath(path);
    requireTags(tags);
    String boundary = permissionsBoundary == null ? null : boundaryPolicy(accountId, permissionsBoundary).arn();
    IamUser user = new IamUser(accountId, userName, RandomIds.withPrefix("AIDA"), checkedPath, clock.instant(), boundary);
    if (!store.insertUser(user)) {
      throw new WharfException.Conflict("EntityAlreadyExists", "User with name " + userName + " already exists.");
    }
    storeNewTags(accountId, TaggedEntity.USER, userName, tags);
    changed();
    return user;
  }

  /**
   * Renames a user and/or moves it to another path (null keeps each), as IAM's UpdateUser. Its access keys,
   * policies and tags follow it. Authorization tokens issued to it before stop working: they name the user
   * by its old name, and a token is honoured only while a user of that name and id exists (fail closed).
   */
  public IamUser updateUser(String accountId, String userName, String newUserName, String newPath) {
    requireName("userName", userName, 128);
    if (newUserName != null) {
      requireName("newUserName", newUserName, 64);
    }
    String path = newPath == null ? null : requirePath(newPath);
    switch (store.updateUser(accountId, userName, newUserName, path)) {
      case RENAMED -> changed();
      case NOT_FOUND -> throw noSuchEntity(PrincipalType.USER, userName);
      case NAME_TAKEN -> throw new WharfException.Conflict("EntityAlreadyExists",
          "User with name " + newUserName + " already exists.");
    }
    return getUser(accountId, newUserName == null ? userName : newUserName);
  }

  public IamUser getUser(String accountId, String userName) {
    return found(PrincipalType.USER, userName, 128, name -> store.findUser(accountId, name));
  }

  public List<IamUser> listUsers(String accountId, String pathPrefix) {
    return store.listUsers(accountId, pathPrefixOrRoot(pathPrefix));
  }

  public void deleteUser(String accountId, String userName) {
    deleted(PrincipalType.USER, userName, 128, name -> store.deleteUser(accountId, name));
  }

  /** The user, role or group of that name (IAM matches names regardless of case), or NoSuchEntity. */
  private static <T> T found(PrincipalType type, String name, int maxLength, Function<String, Optional<T>> find) {
    requireName(kind(type) + "Name", name, maxLength);
    return find.apply(name).orElseThrow(() -> noSuchEntity(type, name));
  }

  /** NoSuchEntity for the user, role or group of that name, in IAM's words. */
  private static WharfException.NotFound noSuchEntity(PrincipalType type, String name) {
    return noSuchEntity("The " + kind(type) + " with name " + name + " cannot be found.");
  }

  /** A ListUsers, ListRoles or ListGroups path prefix: all paths when none is given. */
  private static String pathPrefixOrRoot(String pathPrefix) {
    return pathPrefix == null ? "/" : pathPrefix;
  }

  /** Deletes the user, role or group of that name, answered as {@link #entityDeleted} says. */
  private void deleted(PrincipalType type, String name, int maxLength,
      Function<String, IdentityStore.DeleteOutcome> delete) {
    requireName(kind(type) + "Name", name, maxLength);
    entityDeleted(type, name, delete.apply(name));
  }

  /** Answers the deletion of a user or role as IAM does: NoSuchEntity, or DeleteConflict naming what must go first. */
  private void entityDeleted(PrincipalType type, String name, IdentityStore.DeleteOutcome outcome) {
    switch (outcome) {
      case DELETED -> changed();
      case NOT_FOUND -> throw noSuchEntity(type, name);
      case HAS_ACCESS_KEYS -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete entity, must delete access keys first.");
      case HAS_INLINE_POLICIES -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete entity, must delete policies first.");
      case HAS_ATTACHED_POLICIES -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete entity, must detach all policies first.");
      case HAS_GROUP_MEMBERS -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete entity, must remove users from group first.");
      case HAS_LOGIN_PROFILE -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete entity, must delete login profile first.");
      case ATTACHED_TO_ENTITIES, HAS_VERSIONS, IS_DEFAULT_VERSION ->
          throw new IllegalStateException("not a " + kind(type) + " outcome");
    }
  }

  // ---------------------------------------------------------------- access keys

  /** A freshly made access key: the only time its secret is seen. */
  public record NewAccessKey(AccessKey key, String secretAccessKey) {}

  /** Creates a key for the user, or for the root user when userName is null. */
  public NewAccessKey createAccessKey(String accountId, String userName) {
    if (userName != null) {
      getUser(accountId, userName);
    }
    NewAccessKey key = newAccessKey(accountId, userName);
    changed();
    return key;
  }

  private NewAccessKey newAccessKey(String accountId, String userName) {
    String canonicalName = userName == null ? null : store.findUser(accountId, userName).map(IamUser::userName).orElse(userName);
    AccessKey key = new AccessKey(RandomIds.withPrefix("AKIA"), accountId, canonicalName, AccessKey.Status.Active,
        clock.instant());
    String secret = RandomIds.secretAccessKey();
    switch (store.insertAccessKey(key, cipher.encrypt(secret, secretContext(key.accessKeyId())), MAX_ACCESS_KEYS_PER_USER)) {
      case INSERTED -> { }
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS_PER_USER);
      case NO_SUCH_ENTITY -> throw noSuchEntity(PrincipalType.USER, userName);
      case ALREADY_EXISTS -> throw new IllegalStateException("access key ids are unique");
    }
    return new NewAccessKey(key, secret);
  }

  public List<AccessKey> listAccessKeys(String accountId, String userName) {
    if (userName != null) {
      getUser(accountId, userName);
    }
    return store.listAccessKeys(accountId, userName);
  }

  public void updateAccessKey(String accountId, String userName, String accessKeyId, String status) {
    AccessKey.Status parsed;
    try {
      parsed = AccessKey.Status.valueOf(status == null ? "" : status);
    } catch (IllegalArgumentException e) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + status
          + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
    }
    if (userName != null) {
      getUser(accountId, userName);
    }
    if (!store.updateAccessKeyStatus(accountId, userName, accessKeyId, parsed)) {
      throw noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
    }
    changed();
  }

  public void deleteAccessKey(String accountId, String userName, String accessKeyId) {
    if (userName != null) {
      getUser(accountId, userName);
    }
    if (!store.deleteAccessKey(accountId, userName, accessKeyId)) {
      throw noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
    }
    changed();
  }

  /** GetAccessKeyLastUsed's answer: the key's owner (null for a root key) and its latest use, if it was used. */
  public record KeyLastUsed(String userName, Optional<IdentityStore.AccessKeyUse> use) {}

  /** An access key of the account, found by its id alone; empty when the account has no such key. */
  public Optional<AccessKey> findAccessKey(String accountId, String accessKeyId) {
    return store.findAccessKey(accessKeyId).map(IdentityStore.StoredAccessKey::key)
        .filter(key -> key.accountId().equals(accountId));
  }

  public KeyLastUsed accessKeyLastUsed(String accountId, String accessKeyId) {
    AccessKey key = findAccessKey(accountId, accessKeyId)
        .orElseThrow(() -> noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found."));
    return new KeyLastUsed(key.userName(), store.accessKeyLastUsed(accessKeyId));
  }

  // ---------------------------------------------------------------- console passwords and the password policy

  /**
   * A console sign-in whose password matched: who signed in, and whether they must set a new password before
   * anything else (the profile asks for it, or the password is older than the policy's MaxPasswordAge).
   */
  public record PasswordSignIn(Principal.User principal, boolean passwordResetRequired) {}

  /**
   * UpdateAccountPasswordPolicy's parameters; a null or false one takes its default, as in AWS (the operation does
   * not update in part).
   */
  public record PasswordPolicyUpdate(Integer minimumPasswordLength, boolean requireSymbols, boolean requireNumbers,
      boolean requireUppercaseCharacters, boolean requireLowercaseCharacters, boolean allowUsersToChangePassword,
      Integer maxPasswordAge, Integer passwordReusePrevention, boolean hardExpiry) {}

  private static final Pattern PASSWORD = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");

  /** Checks a password as IAM's passwordType: 1..128 of tab, LF, CR and U+0020..U+00FF. The value is never echoed. */
  private static void requirePassword(String field, String password) {
    if (password == null || password.isEmpty()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at '" + field
          + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (password.length() > PasswordPolicy.MAX_LENGTH) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at '" + field
          + "' failed to satisfy constraint: Member must have length less than or equal to " + PasswordPolicy.MAX_LENGTH);
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at '" + field
          + "' failed to satisfy constraint: Member must satisfy regular expression pattern:"
          + " [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    }
  }

  private static WharfException.NotFound noLoginProfile(String userName) {
    return noSuchEntity("Login Profile for User " + userName + " cannot be found.");
  }

  private static WharfException.Conflict changedMeanwhile(String userName) {
    return new WharfException.Conflict("EntityTemporarilyUnmodifiable", "Login Profile for User " + userName
        + " changed while this request was being made; try again.");
  }

  /**
   * Refuses a new password of the user (PasswordPolicyViolation, naming each rule it breaks) unless it meets the
   * account's password policy, or AWS's default policy when there is none, and, under PasswordReusePrevention N,
   * is none of the user's N latest passwords (the current one, {@code currentHash}, counts as the first).
   */
  private void requireAcceptable(IamUser user, String password, String currentHash) {
    Optional<PasswordPolicy> policy = store.findPasswordPolicy(user.accountId());
    List<String> violations = new ArrayList<>(policy.map(p -> p.violations(password))
        .orElseGet(() -> PasswordPolicy.defaultViolations(password, user.userName(),
            store.findAccount(user.accountId()).map(Account::name).orElse(null))));
    int reuse = policy.map(PasswordPolicy::passwordReusePrevention).orElse(0);
    if (violations.isEmpty() && reuse > 0) {
      List<String> latest = new ArrayList<>();
      if (currentHash != null) {
        latest.add(currentHash);
      }
      latest.addAll(store.passwordHistory(user.accountId(), user.userName(), reuse - latest.size()));
      if (latest.stream().anyMatch(hash -> passwords.verify(password, hash))) {
        violations.add("Password should not be one of the user's " + reuse + " latest passwords");
      }
    }
    if (!violations.isEmpty()) {
      throw new WharfException.Invalid("PasswordPolicyViolation", String.join("; ", violations));
    }
  }

  /** CreateLoginProfile: gives the user a console password; EntityAlreadyExists when it has one. */
  public LoginProfile createLoginProfile(String accountId, String userName, String password,
      boolean passwordResetRequired) {
    requirePassword("password", password);
    IamUser user = getUser(accountId, userName);
    if (store.findLoginProfile(accountId, user.userName()).isPresent()) {
      throw new WharfException.Conflict("EntityAlreadyExists", "Login Profile for user " + user.userName()
          + " already exists.");
    }
    requireAcceptable(user, password, null);
    Instant now = clock.instant();
    LoginProfile profile = new LoginProfile(accountId, user.userName(), now, passwordResetRequired, now, null);
    switch (store.insertLoginProfile(profile, passwords.hash(password))) {
      case INSERTED -> { }
      case ALREADY_EXISTS -> throw new WharfException.Conflict("EntityAlreadyExists", "Login Profile for user "
          + user.userName() + " already exists.");
      case NO_SUCH_ENTITY -> throw noSuchEntity(PrincipalType.USER, userName);
      case LIMIT_REACHED -> throw new IllegalStateException("a user has one login profile, no limit");
    }
    return profile;
  }

  /** GetLoginProfile: NoSuchEntity when the user does not exist or has no console password. */
  public LoginProfile getLoginProfile(String accountId, String userName) {
    IamUser user = getUser(accountId, userName);
    return store.findLoginProfile(accountId, user.userName()).map(IdentityStore.StoredLoginProfile::profile)
        .orElseThrow(() -> noLoginProfile(user.userName()));
  }

  /**
   * UpdateLoginProfile: sets a new password (checked as a new one is) and/or whether the user must change it at
   * the next sign-in; a null leaves each as it is.
   */
  public void updateLoginProfile(String accountId, String userName, String password, Boolean passwordResetRequired) {
    if (password != null) {
      requirePassword("password", password);
    }
    IamUser user = getUser(accountId, userName);
    IdentityStore.StoredLoginProfile stored = store.findLoginProfile(accountId, user.userName())
        .orElseThrow(() -> noLoginProfile(user.userName()));
    if (password == null) {
      if (passwordResetRequired != null
          && !store.setPasswordResetRequired(accountId, user.userName(), passwordResetRequired)) {
        throw noLoginProfile(user.userName());
      }
      return;
    }
    requireAcceptable(user, password, stored.passwordHash());
    boolean reset = passwordResetRequired != null ? passwordResetRequired : stored.profile().passwordResetRequired();
    if (!store.replacePassword(accountId, user.userName(), stored.passwordHash(), passwords.hash(password), reset,
        clock.instant(), PasswordPolicy.MAX_REUSE_PREVENTION)) {
      throw changedMeanwhile(user.userName());
    }
  }

  /** DeleteLoginProfile: the user can no longer sign in to the console (its access keys still work, as in AWS). */
  public void deleteLoginProfile(String accountId, String userName) {
    IamUser user = getUser(accountId, userName);
    if (!store.deleteLoginProfile(accountId, user.userName(), clock.instant(), PasswordPolicy.MAX_REUSE_PREVENTION)) {
      throw noLoginProfile(user.userName());
    }
  }

  /**
   * ChangePassword: the calling IAM user replaces its own console password, proving the current one (a wrong one
   * is AccessDenied); the new one must meet the password policy, and no reset is required afterwards.
   */
  public void changePassword(Principal.User caller, String oldPassword, String newPassword) {
    requirePassword("oldPassword", oldPassword);
    requirePassword("newPassword", newPassword);
    IamUser user = store.findUser(caller.accountId(), caller.userName())
        .filter(found -> found.userId().equals(caller.userId()))
        .orElseThrow(() -> noSuchEntity(PrincipalType.USER, caller.userName()));
    IdentityStore.StoredLoginProfile stored = store.findLoginProfile(user.accountId(), user.userName())
        .orElseThrow(() -> noLoginProfile(user.userName()));
    if (!passwords.verify(oldPassword, stored.passwordHash())) {
      throw new WharfException.AccessDenied("The old password is incorrect.");
    }
    requireAcceptable(user, newPassword, stored.passwordHash());
    if (!store.replacePassword(user.accountId(), user.userName(), stored.passwordHash(), passwords.hash(newPassword),
        false, clock.instant(), PasswordPolicy.MAX_REUSE_PREVENTION)) {
      throw changedMeanwhile(user.userName());
    }
  }

  /**
   * Checks a console sign-in: the user's principal when it has a login profile and the password matches it,
   * else empty. The password is checked against a decoy hash when the user or its profile does not exist, so that
   * the time an answer takes tells nothing of either; the password is neither logged nor kept. Under a password
   * policy with MaxPasswordAge, an expired password requires a reset, or with HardExpiry signs in no more (an
   * administrator must set a new one). A match records the use (GetUser's PasswordLastUsed) and moves a hash made
   * with older parameters to the current ones. No attempt is counted or limited here.
   */
  public Optional<PasswordSignIn> verifyConsolePassword(String accountId, String userName, String password) {
    boolean wellFormed = userName != null && !userName.isEmpty() && userName.length() <= 128
        && ENTITY_NAME.matcher(userName).matches();
    Optional<IamUser> user = wellFormed ? store.findUser(accountId, userName) : Optional.empty();
    Optional<IdentityStore.StoredLoginProfile> stored =
        user.flatMap(found -> store.findLoginProfile(accountId, found.userName()));
    String hash = stored.map(IdentityStore.StoredLoginProfile::passwordHash).orElse(passwords.decoy());
    // A missing or too long password (none can be one) is still checked, as "" or shortened: every answer takes
    // as long as any other, and a huge one costs no more.
    String checked = password == null ? ""
        : password.length() > PasswordPolicy.MAX_LENGTH ? password.substring(0, PasswordPolicy.MAX_LENGTH) : password;
    boolean matches = passwords.verify(checked, hash);
    if (!matches || !checked.equals(password) || stored.isEmpty()) {
      return Optional.empty();
    }
    LoginProfile profile = stored.get().profile();
    Instant now = clock.instant();
    Optional<PasswordPolicy> expiring = store.findPasswordPolicy(accountId).filter(PasswordPolicy::expirePasswords);
    boolean expired = expiring.isPresent()
        && !now.isBefore(profile.passwordChangedAt().plus(Duration.ofDays(expiring.get().maxPasswordAge())));
    if (expired && expiring.get().hardExpiry()) {
      return Optional.empty();
    }
    String rehashed = passwords.needsRehash(stored.get().passwordHash()) ? passwords.hash(password) : null;
    store.recordPasswordUse(accountId, profile.userName(), now, stored.get().passwordHash(), rehashed);
    return Optional.of(new PasswordSignIn(user.get().principal(), profile.passwordResetRequired() || expired));
  }

  /** UpdateAccountPasswordPolicy: replaces the account's password policy; parameters left out take their defaults. */
  public PasswordPolicy updateAccountPasswordPolicy(String accountId, PasswordPolicyUpdate update) {
    int minimumLength = update.minimumPasswordLength() == null ? PasswordPolicy.DEFAULT_MINIMUM_LENGTH
        : requireRange("minimumPasswordLength", update.minimumPasswordLength(), PasswordPolicy.MIN_MINIMUM_LENGTH,
            PasswordPolicy.MAX_LENGTH);
    int maxAge = update.maxPasswordAge() == null ? 0
        : requireRange("maxPasswordAge", update.maxPasswordAge(), 1, PasswordPolicy.MAX_PASSWORD_AGE);
    int reuse = update.passwordReusePrevention() == null ? 0
        : requireRange("passwordReusePrevention", update.passwordReusePrevention(), 1,
            PasswordPolicy.MAX_REUSE_PREVENTION);
    PasswordPolicy policy = new PasswordPolicy(minimumLength, update.requireSymbols(), update.requireNumbers(),
        update.requireUppercaseCharacters(), update.requireLowercaseCharacters(), update.allowUsersToChangePassword(),
        maxAge, reuse, update.hardExpiry());
    store.putPasswordPolicy(accountId, policy);
    changed(); // AllowUsersToChangePassword changes what users may do
    return policy;
  }

  private static int requireRange(String field, int value, int min, int max) {
    if (value < min) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + value + "' at '"
          + field + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
    }
    if (value > max) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + value + "' at '"
          + field + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
    }
    return value;
  }

  /** GetAccountPasswordPolicy: NoSuchEntity while the account has none (AWS's default policy applies then). */
  public PasswordPolicy getAccountPasswordPolicy(String accountId) {
    return store.findPasswordPolicy(accountId).orElseThrow(() -> noSuchEntity("The Password Policy with domain name "
        + accountId + " cannot be found."));
  }

  /** DeleteAccountPasswordPolicy: AWS's default policy applies again. */
  public void deleteAccountPasswordPolicy(String accountId) {
    if (!store.deletePasswordPolicy(accountId)) {
      throw noSuchEntity("The account policy with name PasswordPolicy cannot be found.");
    }
    changed();
  }

  // ---------------------------------------------------------------- inline policies

  /** The entity's name as stored (IAM matches names regardless of case); NoSuchEntity when absent. */
  private String requireEntity(String accountId, PrincipalType type, String name) {
    return switch (type) {
      case USER -> getUser(accountId, name).userName();
      case ROLE -> getRole(accountId, name).roleName();
      case GROUP -> getGroup(accountId, name).groupName();
    };
  }

  private static String kind(PrincipalType type) {
    return type.column();
  }

  /** Adds or replaces an inline policy of a user, group or role (AWS's size limit for each). */
  public void putInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName,
      String document) {
    requireName("policyName", policyName, 128);
    String name = requireEntity(accountId, type, principalName);
    parsePolicy(document, PolicyKind.IDENTITY, switch (type) {
      case USER -> USER_INLINE_POLICY_LIMIT;
      case ROLE -> ROLE_INLINE_POLICY_LIMIT;
      case GROUP -> GROUP_INLINE_POLICY_LIMIT;
    });
    store.putInlinePolicy(accountId, type, name, policyName, document);
    changed();
  }

  public void putUserPolicy(String accountId, String userName, String policyName, String document) {
    putInlinePolicy(accountId, PrincipalType.USER, userName, policyName, document);
  }

  public IdentityStore.InlinePolicy getInlinePolicy(String accountId, PrincipalType type, String principalName,
      String policyName) {
    requireName("policyName", policyName, 128);
    requireEntity(accountId, type, principalName);
    return store.findInlinePolicy(accountId, type, principalName, policyName)
        .orElseThrow(() -> noSuchEntity("The " + kind(type) + " policy with name " + policyName + " cannot be found."));
  }

  public List<IdentityStore.InlinePolicy> listInlinePolicies(String accountId, PrincipalType type, String principalName) {
    requireEntity(accountId, type, principalName);
    return store.listInlinePolicies(accountId, type, principalName);
  }

  public void deleteInlinePolicy(String accountId, PrincipalType type, String principalName, String policyName) {
    requireName("policyName", policyName, 128);
    requireEntity(accountId, type, principalName);
    if (!store.deleteInlinePolicy(accountId, type, principalName, policyName)) {
      throw noSuchEntity("The " + kind(type) + " policy with name " + policyName + " cannot be found.");
    }
    changed();
  }

  // ---------------------------------------------------------------- roles

  public Role createRole(String accountId, String roleName, String path, String trustPolicy, Integer maxSessionDuration,
      String description) {
    return createRole(accountId, roleName, path, trustPolicy, maxSessionDuration, description, null, List.of());
  }

  /** Creates a role with an optional permissions boundary (a managed policy ARN, or null) and tags. */
  public Role createRole(String accountId, String roleName, String path, String trustPolicy, Integer maxSessionDuration,
      String description, String permissionsBoundary, List<Tag> tags) {
    requireName("roleName", roleName, 64);
    parsePolicy(trustPolicy, PolicyKind.TRUST, TRUST_POLICY_LIMIT);
    int max = requireMaxSessionDuration(maxSessionDuration == null ? 3600 : maxSessionDuration);
    requireDescription(description);
    String checkedPath = requirePath(path);
    requireTags(tags);
    String boundary = permissionsBoundary == null ? null : boundaryPolicy(accountId, permissionsBoundary).arn();
    Role role = new Role(accountId, roleName, RandomIds.withPrefix("AROA"), checkedPath, trustPolicy, max,
        description, clock.instant(), boundary);
    if (!store.insertRole(role)) {
      throw new WharfException.Conflict("EntityAlreadyExists", "Role with name " + roleName + " already exists.");
    }
    storeNewTags(accountId, TaggedEntity.ROLE, roleName, tags);
    changed();
    return role;
  }

  private static int requireMaxSessionDuration(int max) {
    if (max < 3600 || max > 43200) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + max
          + "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
    }
    return max;
  }

  private static void requireDescription(String description) {
    if (description != null && description.length() > 1000) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'description'"
          + " failed to satisfy constraint: Member must have length less than or equal to 1000");
    }
  }

  /**
   * UpdateRole and UpdateRoleDescription: a null maximum session duration keeps the current one; the description
   * is replaced when {@code setDescription} (an empty one clears it, as in IAM).
   */
  public Role updateRole(String accountId, String roleName, Integer maxSessionDuration, boolean setDescription,
      String description) {
    Role role = getRole(accountId, roleName);
    int max = maxSessionDuration == null ? role.maxSessionDuration() : requireMaxSessionDuration(maxSessionDuration);
    requireDescription(description);
    String newDescription = !setDescription ? role.description()
        : description == null || description.isEmpty() ? null : description;
    return writeRole(new Role(role.accountId(), role.roleName(), role.roleId(), role.path(), role.trustPolicy(), max,
        newDescription, role.createdAt(), role.permissionsBoundary()));
  }

  /** UpdateAssumeRolePolicy: replaces the role's trust policy. */
  public Role updateAssumeRolePolicy(String accountId, String roleName, String trustPolicy) {
    Role role = getRole(accountId, roleName);
    parsePolicy(trustPolicy, PolicyKind.TRUST, TRUST_POLICY_LIMIT);
    return writeRole(new Role(role.accountId(), role.roleName(), role.roleId(), role.path(), trustPolicy,
        role.maxSessionDuration(), role.description(), role.createdAt(), role.permissionsBoundary()));
  }

  private Role writeRole(Role role) {
    if (!store.updateRole(role)) {
      throw noSuchEntity(PrincipalType.ROLE, role.roleName());
    }
    changed();
    return role;
  }

  public Role getRole(String accountId, String roleName) {
    return found(PrincipalType.ROLE, roleName, 64, name -> store.findRole(accountId, name));
  }

  public List<Role> listRoles(String accountId, String pathPrefix) {
    return store.listRoles(accountId, pathPrefixOrRoot(pathPrefix));
  }

  public void deleteRole(String accountId, String roleName) {
    deleted(PrincipalType.ROLE, roleName, 64, name -> store.deleteRole(accountId, name));
  }

  public void putRolePolicy(String accountId, String roleName, String policyName, String document) {
    putInlinePolicy(accountId, PrincipalType.ROLE, roleName, policyName, document);
  }

  // ---------------------------------------------------------------- managed policies

  public ManagedPolicy createPolicy(String accountId, String policyName, String path, String document, String description) {
    return createPolicy(accountId, policyName, path, document, description, List.of());
  }

  /** Creates a managed policy with tags. */
  public ManagedPolicy createPolicy(String accountId, String policyName, String path, String document, String description,
      List<Tag> tags) {
    requireName("policyName", policyName, 128);
    String checkedPath = requirePath(path);
    parsePolicy(document, PolicyKind.IDENTITY, MANAGED_POLICY_LIMIT);
    requireTags(tags);
    var now = clock.instant();
    ManagedPolicy policy = new ManagedPolicy(IamArns.policy(accountId, checkedPath, policyName), accountId, policyName,
        RandomIds.withPrefix("ANPA"), checkedPath, description, document, now, now, 0, "v1");
    if (!store.insertManagedPolicy(policy)) {
      throw new WharfException.Conflict("EntityAlreadyExists", "A policy called " + policyName
          + " already exists. Duplicate names are not allowed.");
    }
    storeNewTags(accountId, TaggedEntity.POLICY, policy.arn(), tags);
    changed();
    return policy;
  }

  /** A managed policy visible to the account: its own or AWS-managed. */
  public ManagedPolicy getPolicy(String accountId, String policyArn) {
    if (policyArn == null || !POLICY_ARN.matcher(policyArn).matches()) {
      throw new WharfException.Invalid("InvalidInput", "ARN " + policyArn + " is not valid.");
    }
    return store.findManagedPolicy(policyArn)
        .filter(p -> p.accountId().equals(accountId) || p.accountId().equals("aws"))
        .orElseThrow(() -> noSuchEntity("Policy " + policyArn + " does not exist or is not attachable."));
  }

  /**
   * ListEntitiesForPolicy: the account's users, groups and roles that use the policy. {@code entityFilter} is
   * User, Role, Group, LocalManagedPolicy or AWSManagedPolicy (the last two keep all entities when the policy is
   * of that kind, none otherwise); {@code usageFilter} is PermissionsPolicy or PermissionsBoundary; null keeps all.
   */
  public List<IdentityStore.PolicyEntity> listEntitiesForPolicy(String accountId, String policyArn, String entityFilter,
      String pathPrefix, String usageFilter) {
    requireEnum("entityFilter", entityFilter, List.of("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"));
    requireEnum("policyUsageFilter", usageFilter, List.of("PermissionsPolicy", "PermissionsBoundary"));
    String prefix = pathPrefix == null ? "/" : pathPrefix;
    ManagedPolicy policy = getPolicy(accountId, policyArn);
    if (("LocalManagedPolicy".equals(entityFilter) && policy.awsManaged())
        || ("AWSManagedPolicy".equals(entityFilter) && !policy.awsManaged())) {
      return List.of();
    }
    return store.listEntitiesForPolicy(accountId, policy.arn()).stream()
        .filter(e -> entityFilter == null || entityFilter.endsWith("ManagedPolicy")
            || e.type().operationName().equals(entityFilter))
        .filter(e -> usageFilter == null || e.boundary() == usageFilter.equals("PermissionsBoundary"))
        .filter(e -> e.path().startsWith(prefix))
        .toList();
  }

  private static void requireEnum(String field, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + value + "' at '"
          + field + "' failed to satisfy constraint: Member must satisfy enum value set: [" + String.join(", ", allowed)
          + "]");
    }
  }

  /** Scope: "All", "AWS" or "Local", as IAM's ListPolicies. */
  public List<ManagedPolicy> listPolicies(String accountId, String scope, boolean onlyAttached, String pathPrefix) {
    requireEnum("scope", scope, List.of("All", "AWS", "Local"));
    String effectiveScope = scope == null ? "All" : scope;
    return store.listManagedPolicies(accountId, !effectiveScope.equals("Local"), pathPrefix == null ? "/" : pathPrefix)
        .stream()
        .filter(p -> !effectiveScope.equals("AWS") || p.accountId().equals("aws"))
        .filter(p -> !onlyAttached || p.attachmentCount() > 0)
        .toList();
  }

  public void deletePolicy(String accountId, String policyArn) {
    ManagedPolicy policy = getPolicy(accountId, policyArn);
    if (policy.awsManaged()) {
      throw new WharfException.Invalid("InvalidInput", "AWS managed policies cannot be deleted.");
    }
    switch (store.deleteManagedPolicy(policyArn)) {
      case DELETED -> changed();
      case NOT_FOUND -> throw noSuchEntity("Policy " + policyArn + " was not found.");
      case ATTACHED_TO_ENTITIES -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete a policy attached to entities (or used as a permissions boundary).");
      case HAS_VERSIONS -> throw new WharfException.Conflict("DeleteConflict",
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions."
              + " The default version is deleted with the policy.");
      case HAS_ACCESS_KEYS, HAS_INLINE_POLICIES, HAS_ATTACHED_POLICIES, HAS_GROUP_MEMBERS, IS_DEFAULT_VERSION,
          HAS_LOGIN_PROFILE ->
          throw new IllegalStateException("not a policy outcome");
    }
  }

  public void attachPolicy(String accountId, PrincipalType type, String principalName, String policyArn) {
    String canonical = requireEntity(accountId, type, principalName);
    getPolicy(accountId, policyArn);
    switch (store.attachPolicy(accountId, type, canonical, policyArn, MAX_MANAGED_POLICIES_ATTACHED)) {
      case INSERTED -> changed();
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded", "Cannot exceed quota for PoliciesPer"
          + type.operationName() + ": " + MAX_MANAGED_POLICIES_ATTACHED);
      case NO_SUCH_ENTITY -> throw noSuchEntity(type, principalName);
      case ALREADY_EXISTS -> throw new IllegalStateException("attaching is idempotent");
    }
  }

  public void detachPolicy(String accountId, PrincipalType type, String principalName, String policyArn) {
    requireEntity(accountId, type, principalName);
    if (!store.detachPolicy(accountId, type, principalName, policyArn)) {
      throw noSuchEntity("Policy " + policyArn + " was not found.");
    }
    changed();
  }

  public List<ManagedPolicy> listAttachedPolicies(String accountId, PrincipalType type, String principalName) {
    requireEntity(accountId, type, principalName);
    return store.listAttachedPolicies(accountId, type, principalName);
  }

  // ---------------------------------------------------------------- groups

  public IamGroup createGroup(String accountId, String groupName, String path) {
    requireName("groupName", groupName, 128);
    IamGroup group = new IamGroup(accountId, groupName, RandomIds.withPrefix("AGPA"), requirePath(path), clock.instant());
    switch (store.insertGroup(group, MAX_GROUPS_PER_ACCOUNT)) {
      case INSERTED -> changed();
      case ALREADY_EXISTS -> throw new WharfException.Conflict("EntityAlreadyExists",
          "Group with name " + groupName + " already exists.");
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for GroupsPerAccount: " + MAX_GROUPS_PER_ACCOUNT);
      case NO_SUCH_ENTITY -> throw new IllegalStateException("a group needs nothing else");
    }
    return group;
  }

  public IamGroup getGroup(String accountId, String groupName) {
    return found(PrincipalType.GROUP, groupName, 128, name -> store.findGroup(accountId, name));
  }

  public List<IamGroup> listGroups(String accountId, String pathPrefix) {
    return store.listGroups(accountId, pathPrefixOrRoot(pathPrefix));
  }

  /** Renames the group and/or moves it to another path (null keeps either); its users and policies follow. */
  public void updateGroup(String accountId, String groupName, String newGroupName, String newPath) {
    IamGroup group = getGroup(accountId, groupName);
    if (newGroupName != null) {
      requireName("newGroupName", newGroupName, 128);
    }
    String name = newGroupName == null ? group.groupName() : newGroupName;
    String path = newPath == null ? group.path() : requirePath(newPath);
    switch (store.updateGroup(accountId, group.groupName(), name, path)) {
      case INSERTED -> changed();
      case ALREADY_EXISTS -> throw new WharfException.Conflict("EntityAlreadyExists",
          "Group with name " + name + " already exists.");
      case NO_SUCH_ENTITY -> throw noSuchEntity(PrincipalType.GROUP, groupName);
      case LIMIT_REACHED -> throw new IllegalStateException("a rename adds nothing");
    }
  }

  /** DeleteConflict while the group has users, inline policies or attached policies, as in AWS. */
  public void deleteGroup(String accountId, String groupName) {
    deleted(PrincipalType.GROUP, groupName, 128, name -> store.deleteGroup(accountId, name));
  }

  /** The group's users: the group's policies apply to each of them from the next request on. */
  public List<IamUser> listGroupMembers(String accountId, String groupName) {
    return store.listGroupMembers(accountId, getGroup(accountId, groupName).groupName());
  }

  public List<IamGroup> listGroupsForUser(String accountId, String userName) {
    return store.listGroupsForUser(accountId, getUser(accountId, userName).userName());
  }

  public void addUserToGroup(String accountId, String groupName, String userName) {
    String group = getGroup(accountId, groupName).groupName();
    String user = getUser(accountId, userName).userName();
    switch (store.addUserToGroup(accountId, group, user, MAX_GROUPS_PER_USER)) {
      case INSERTED -> changed();
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded",
          "Cannot exceed quota for GroupsPerUser: " + MAX_GROUPS_PER_USER);
      case NO_SUCH_ENTITY -> throw noSuchEntity("The user with name " + userName + " or the group with name "
          + groupName + " cannot be found.");
      case ALREADY_EXISTS -> throw new IllegalStateException("adding is idempotent");
    }
  }

  public void removeUserFromGroup(String accountId, String groupName, String userName) {
    String group = getGroup(accountId, groupName).groupName();
    String user = getUser(accountId, userName).userName();
    if (!store.removeUserFromGroup(accountId, group, user)) {
      throw noSuchEntity("User " + user + " is not in group " + group + ".");
    }
    changed();
  }

  // ---------------------------------------------------------------- managed policy versions

  /** A policy of the caller's account: AWS-managed ones cannot be changed. */
  private ManagedPolicy ownPolicy(String accountId, String policyArn) {
    ManagedPolicy policy = getPolicy(accountId, policyArn);
    if (!policy.accountId().equals(accountId)) {
      throw new WharfException.Invalid("InvalidInput", "AWS managed policies cannot be changed.");
    }
    return policy;
  }

  private static void requireVersionId(String versionId) {
    if (versionId == null || !VERSION_ID.matcher(versionId).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + versionId
          + "' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern:"
          + " v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
    }
  }

  private static WharfException.NotFound noSuchVersion(String policyArn, String versionId) {
    return noSuchEntity("Policy " + policyArn + " version " + versionId + " does not exist or is not attachable.");
  }

  /** Adds a version (at most five); as default, it governs every request from the next one on. */
  public PolicyVersion createPolicyVersion(String accountId, String policyArn, String document, boolean setAsDefault) {
    ownPolicy(accountId, policyArn);
    parsePolicy(document, PolicyKind.IDENTITY, MANAGED_POLICY_LIMIT);
    PolicyVersion version = store.insertPolicyVersion(policyArn, document, setAsDefault, MAX_POLICY_VERSIONS,
            clock.instant())
        .orElseThrow(() -> {
          ownPolicy(accountId, policyArn);
          return new WharfException.LimitExceeded("LimitExceeded",
              "A managed policy can have up to " + MAX_POLICY_VERSIONS + " versions. Before you create a new version,"
                  + " you must delete an existing version.");
        });
    changed();
    return version;
  }

  public PolicyVersion getPolicyVersion(String accountId, String policyArn, String versionId) {
    getPolicy(accountId, policyArn);
    requireVersionId(versionId);
    return store.findPolicyVersion(policyArn, versionId).orElseThrow(() -> noSuchVersion(policyArn, versionId));
  }

  public List<PolicyVersion> listPolicyVersions(String accountId, String policyArn) {
    getPolicy(accountId, policyArn);
    return store.listPolicyVersions(policyArn);
  }

  /** Deletes a version; the default one cannot be (DeleteConflict), as in AWS. */
  public void deletePolicyVersion(String accountId, String policyArn, String versionId) {
    ownPolicy(accountId, policyArn);
    requireVersionId(versionId);
    switch (store.deletePolicyVersion(policyArn, versionId)) {
      case DELETED -> changed();
      case NOT_FOUND -> throw noSuchVersion(policyArn, versionId);
      case IS_DEFAULT_VERSION -> throw new WharfException.Conflict("DeleteConflict",
          "Cannot delete the default version of a policy.");
      case HAS_ACCESS_KEYS, HAS_INLINE_POLICIES, HAS_ATTACHED_POLICIES, ATTACHED_TO_ENTITIES, HAS_GROUP_MEMBERS,
          HAS_VERSIONS, HAS_LOGIN_PROFILE -> throw new IllegalStateException("not a policy version outcome");
    }
  }

  /** Makes the version the one evaluated, from the next request on, on every node. */
  public void setDefaultPolicyVersion(String accountId, String policyArn, String versionId) {
    ownPolicy(accountId, policyArn);
    requireVersionId(versionId);
    if (!store.setDefaultPolicyVersion(policyArn, versionId, clock.instant())) {
      throw noSuchVersion(policyArn, versionId);
    }
    changed();
  }

  // ---------------------------------------------------------------- permissions boundaries

  /** The managed policy a boundary names: a well-formed ARN (InvalidInput) of a policy the account sees (NoSuchEntity). */
  private ManagedPolicy boundaryPolicy(String accountId, String policyArn) {
    if (policyArn == null || !POLICY_ARN.matcher(policyArn).matches()) {
      throw new WharfException.Invalid("InvalidInput", "ARN " + policyArn + " is not valid.");
    }
    return store.findManagedPolicy(policyArn)
        .filter(p -> p.accountId().equals(accountId) || p.awsManaged())
        .orElseThrow(() -> noSuchEntity("Scope ARN: " + policyArn + " does not exist or is not attachable."));
  }

  /** Sets the permissions boundary of a user or role: the managed policy that limits its identity policies. */
  public void putPermissionsBoundary(String accountId, PrincipalType type, String name, String policyArn) {
    String canonical = requireEntity(accountId, type, name);
    String arn = boundaryPolicy(accountId, policyArn).arn();
    if (!store.setPermissionsBoundary(accountId, type, canonical, arn)) {
      throw noSuchEntity(type, name);
    }
    changed();
  }

  /** Removes the permissions boundary of a user or role (nothing to do when it has none). */
  public void deletePermissionsBoundary(String accountId, PrincipalType type, String name) {
    String canonical = requireEntity(accountId, type, name);
    if (!store.setPermissionsBoundary(accountId, type, canonical, null)) {
      throw noSuchEntity(type, name);
    }
    changed();
  }

  // ---------------------------------------------------------------- tags

  /** Checks tags as IAM does: at most 50, keys of 1..128 and values of 0..256 allowed characters, no aws: prefix. */
  public static void requireTags(List<Tag> tags) {
    if (tags.size() > MAX_TAGS) {
      throw new WharfException.LimitExceeded("LimitExceeded", "The number of tags has reached the maximum limit.");
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (Tag tag : tags) {
      requireTagKey(tag.key(), "tags.member.key");
      if (tag.value().length() > MAX_TAG_VALUE_LENGTH || !TAG_VALUE.matcher(tag.value()).matches()) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at"
            + " 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to "
            + MAX_TAG_VALUE_LENGTH + " and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
      }
      if (!keys.add(tag.key().toLowerCase(java.util.Locale.ROOT))) {
        throw new WharfException.Invalid("InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
      }
    }
  }

  private static void requireTagKey(String key, String field) {
    if (key == null || key.isEmpty() || key.length() > MAX_TAG_KEY_LENGTH || !TAG_KEY.matcher(key).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at '" + field
          + "' failed to satisfy constraint: Member must have length between 1 and " + MAX_TAG_KEY_LENGTH
          + " and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    }
    if (key.regionMatches(true, 0, "aws:", 0, 4)) {
      throw new WharfException.Invalid("InvalidInput", "User-defined tag keys can't start with \"aws:\"."
          + " This prefix is reserved for AWS.");
    }
  }

  /** The name under which the entity's tags are kept: the user's or role's stored name, or the policy's ARN. */
  private String requireTagged(String accountId, TaggedEntity entity, String name) {
    return switch (entity) {
      case USER -> getUser(accountId, name).userName();
      case ROLE -> getRole(accountId, name).roleName();
      case POLICY -> {
        ManagedPolicy policy = getPolicy(accountId, name);
        if (policy.awsManaged()) {
          throw new WharfException.Invalid("InvalidInput", "AWS managed policies cannot be tagged.");
        }
        yield policy.arn();
      }
      case OIDC_PROVIDER -> {
        if (!store.taggedEntityExists(accountId, entity, name)) {
          throw noSuchTagged(entity, name);
        }
        yield name;
      }
    };
  }

  private void storeNewTags(String accountId, TaggedEntity entity, String key, List<Tag> tags) {
    if (!tags.isEmpty()) {
      store.putTags(accountId, entity, key, tags, MAX_TAGS);
    }
  }

  /** TagUser, TagRole, TagPolicy: adds tags or replaces the values of existing keys (regardless of case). */
  public void tag(String accountId, TaggedEntity entity, String name, List<Tag> tags) {
    requireTags(tags);
    String key = requireTagged(accountId, entity, name);
    switch (store.putTags(accountId, entity, key, tags, MAX_TAGS)) {
      case INSERTED -> changed();
      case LIMIT_REACHED -> throw new WharfException.LimitExceeded("LimitExceeded",
          "The number of tags has reached the maximum limit.");
      case NO_SUCH_ENTITY -> throw noSuchTagged(entity, name);
    }
  }

  /** UntagUser, UntagRole, UntagPolicy: removes the tags with these keys; unknown keys are ignored, as in IAM. */
  public void untag(String accountId, TaggedEntity entity, String name, List<String> keys) {
    if (keys.size() > MAX_TAGS) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'tagKeys'"
          + " failed to satisfy constraint: Member must have length less than or equal to " + MAX_TAGS);
    }
    for (String tagKey : keys) {
      if (tagKey == null || tagKey.isEmpty() || tagKey.length() > MAX_TAG_KEY_LENGTH) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'tagKeys'"
            + " failed to satisfy constraint: Member must have length between 1 and " + MAX_TAG_KEY_LENGTH);
      }
    }
    String key = requireTagged(accountId, entity, name);
    if (!store.removeTags(accountId, entity, key, keys)) {
      throw noSuchTagged(entity, name);
    }
    changed();
  }

  private static WharfException noSuchTagged(TaggedEntity entity, String name) {
    return noSuchEntity(entity == TaggedEntity.OIDC_PROVIDER ? "OpenIDConnect Provider not found for arn " + name
        : "The " + entity.column() + " with name " + name + " cannot be found.");
  }

  /** ListUserTags, ListRoleTags, ListPolicyTags: the entity's tags ordered by key. */
  public List<Tag> listTags(String accountId, TaggedEntity entity, String name) {
    String key = switch (entity) {
      case USER -> getUser(accountId, name).userName();
      case ROLE -> getRole(accountId, name).roleName();
      case POLICY -> getPolicy(accountId, name).arn();
      case OIDC_PROVIDER -> requireTagged(accountId, entity, name);
    };
    return store.listTags(accountId, entity, key);
  }

  // ---------------------------------------------------------------- AWS managed policies

  /** The AWS managed policies every installation has, with AWS's documents (v1, as published). */
  public static final List<ManagedPolicy> AWS_MANAGED_POLICIES = List.of(
      awsManaged("AWSCodeArtifactAdminAccess", "ANPAWHARFCODEARTIFACT01",
          "Provides full access to AWS CodeArtifact via the AWS Management Console.",
          "[\"codeartifact:*\"]", "2020-06-16T23:53:00Z"),
      awsManaged("AWSCodeArtifactReadOnlyAccess", "ANPAWHARFCODEARTIFACT02",
          "Provides read only access to AWS CodeArtifact via the AWS Management Console.",
          "[\"codeartifact:Describe*\",\"codeartifact:Get*\",\"codeartifact:List*\",\"codeartifact:ReadFromRepository\"]",
          "2020-06-25T21:23:00Z"));

  private static ManagedPolicy awsManaged(String name, String id, String description, String actions, String created) {
    String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":" + actions
        + ",\"Effect\":\"Allow\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"sts:GetServiceBearerToken\","
        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"sts:AWSServiceName\":\"codeartifact.amazonaws.com\"}}}]}";
    java.time.Instant at = java.time.Instant.parse(created);
    return new ManagedPolicy("arn:aws:iam::aws:policy/" + name, "aws", name, id, "/", description, document, at, at, 0, "v1");
  }

  /**
   * Makes sure the AWS managed policies exist (run at start; idempotent, so every node of a cluster may run it).
   * They are written at start rather than by a migration so that a freshly migrated database stays empty for
   * restore and migrate-storage, which carry them along like any other row.
   */
  public void installAwsManagedPolicies() {
    for (ManagedPolicy policy : AWS_MANAGED_POLICIES) {
      store.insertManagedPolicy(policy);
    }
  }
}
