package dev.wharf.identity.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.identity.AccessKey;
import dev.wharf.identity.Account;
import dev.wharf.identity.IamGroup;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.IdentityStore.DeleteOutcome;
import dev.wharf.identity.IdentityStore.InsertOutcome;
import dev.wharf.identity.LoginProfile;
import dev.wharf.identity.ManagedPolicy;
import dev.wharf.identity.PasswordPolicy;
import dev.wharf.identity.PolicyVersion;
import dev.wharf.identity.PrincipalType;
import dev.wharf.identity.Role;
import dev.wharf.identity.Tag;
import dev.wharf.identity.TaggedEntity;
import dev.wharf.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link IdentityStore} must have; run against SQLite and PostgreSQL. */
abstract class IdentityStoreContract {
  private static final String ACCOUNT = "111122223333";
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private Database database;
  private IdentityStore store;

  protected abstract Database openDatabase() throws Exception;

  /** A database that no migration has touched yet. */
  protected abstract String freshDatabaseUrl();

  @BeforeEach
  void open() throws Exception {
    database = openDatabase();
    store = new SqlIdentityStore(database);
    assertThat(store.insertAccount(new Account(ACCOUNT, "main", true, NOW))).isTrue();
  }

  @AfterEach
  void close() {
    database.close();
  }

  private IamUser user(String name) {
    return new IamUser(ACCOUNT, name, "AIDA" + name.toUpperCase() + "0000000000", "/", NOW);
  }

  @Test
  void anAccountIsStoredOnceAndFoundAgain() {
    assertThat(store.insertAccount(new Account(ACCOUNT, "again", false, NOW))).isFalse();
    assertThat(store.findAccount(ACCOUNT)).get().extracting(Account::name, Account::management).containsExactly("main", true);
    assertThat(store.listAccounts()).extracting(Account::accountId).containsExactly(ACCOUNT);
  }

  @Test
  void userNamesAreUniqueRegardlessOfCaseButKeepTheirSpelling() {
    assertThat(store.insertUser(user("Alice"))).isTrue();
    assertThat(store.insertUser(new IamUser(ACCOUNT, "alice", "AIDAOTHER000000000000", "/", NOW))).isFalse();
    assertThat(store.findUser(ACCOUNT, "ALICE")).get().extracting(IamUser::userName).isEqualTo("Alice");
  }

  @Test
  void usersAreListedByPathPrefixInNameOrder() {
    store.insertUser(user("bob"));
    store.insertUser(new IamUser(ACCOUNT, "carol", "AIDACAROL00000000000", "/team/", NOW));
    store.insertUser(user("alice"));
    assertThat(store.listUsers(ACCOUNT, "/")).extracting(IamUser::userName).containsExactly("alice", "bob", "carol");
    assertThat(store.listUsers(ACCOUNT, "/team/")).extracting(IamUser::userName).containsExactly("carol");
    assertThat(store.listUsers(ACCOUNT, "/te_m/")).isEmpty();
  }

  @Test
  void aUserWithKeysOrPoliciesCannotBeDeletedUntilTheyAreGone() {
    store.insertUser(user("alice"));
    store.insertAccessKey(new AccessKey("AKIAALICE00000000001", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "c", 2);
    store.putInlinePolicy(ACCOUNT, PrincipalType.USER, "alice", "p", "{}");
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/m", 10);

    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_ACCESS_KEYS);
    store.deleteAccessKey(ACCOUNT, "alice", "AKIAALICE00000000001");
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_INLINE_POLICIES);
    store.deleteInlinePolicy(ACCOUNT, PrincipalType.USER, "alice", "P");
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_ATTACHED_POLICIES);
    assertThat(store.deleteManagedPolicy("arn:aws:iam::111122223333:policy/m")).isEqualTo(DeleteOutcome.ATTACHED_TO_ENTITIES);
    store.detachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/m");
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.DELETED);
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(store.deleteManagedPolicy("arn:aws:iam::111122223333:policy/m")).isEqualTo(DeleteOutcome.DELETED);
  }

  @Test
  void anAccessKeyIsNotInsertedOnceItsOwnerHasTheMaximumOrIsGone() {
    store.insertUser(user("alice"));
    assertThat(store.insertAccessKey(new AccessKey("AKIAALICE00000000001", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "a", 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertAccessKey(new AccessKey("AKIAALICE00000000002", ACCOUNT, "Alice", AccessKey.Status.Active, NOW), "b", 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertAccessKey(new AccessKey("AKIAALICE00000000003", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "c", 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.insertAccessKey(new AccessKey("AKIAROOT000000000001", ACCOUNT, null, AccessKey.Status.Active, NOW), "r", 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertAccessKey(new AccessKey("AKIAGHOST00000000001", ACCOUNT, "ghost", AccessKey.Status.Active, NOW), "g", 2))
        .isEqualTo(InsertOutcome.NO_SUCH_ENTITY);

    assertThat(store.listAccessKeys(ACCOUNT, "alice")).hasSize(2);
    assertThat(store.findAccessKey("AKIAALICE00000000003")).isEmpty();
  }

  @Test
  void aPolicyIsAttachedOnlyToAnExistingEntityBelowTheLimit() {
    store.insertUser(user("alice"));
    for (int i = 0; i < 3; i++) {
      store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/p" + i));
    }
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/p0", 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/p1", 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/p1", 2))
        .as("attaching again is idempotent").isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/p2", 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.ROLE, "alice", "arn:aws:iam::111122223333:policy/p2", 2))
        .isEqualTo(InsertOutcome.NO_SUCH_ENTITY);
  }

  @Test
  void accessKeysBelongToTheirOwnerAndKeepTheirStatus() {
    store.insertUser(user("alice"));
    store.insertAccessKey(new AccessKey("AKIAROOT000000000001", ACCOUNT, null, AccessKey.Status.Active, NOW), "root", 2);
    store.insertAccessKey(new AccessKey("AKIAALICE00000000001", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "alice", 2);

    assertThat(store.listAccessKeys(ACCOUNT, null)).extracting(AccessKey::accessKeyId).containsExactly("AKIAROOT000000000001");
    assertThat(store.listAccessKeys(ACCOUNT, "ALICE")).extracting(AccessKey::accessKeyId).containsExactly("AKIAALICE00000000001");
    assertThat(store.findAccessKey("AKIAALICE00000000001")).get()
        .satisfies(k -> assertThat(k.key().userName()).isEqualTo("alice"))
        .satisfies(k -> assertThat(k.secretCiphertext()).isEqualTo("alice"));
    assertThat(store.findAccessKey("AKIAROOT000000000001")).get().satisfies(k -> assertThat(k.key().isRootKey()).isTrue());

    assertThat(store.updateAccessKeyStatus(ACCOUNT, null, "AKIAALICE00000000001", AccessKey.Status.Inactive)).isFalse();
    assertThat(store.updateAccessKeyStatus(ACCOUNT, "alice", "AKIAALICE00000000001", AccessKey.Status.Inactive)).isTrue();
    assertThat(store.findAccessKey("AKIAALICE00000000001").orElseThrow().key().status()).isEqualTo(AccessKey.Status.Inactive);
    assertThat(store.deleteAccessKey(ACCOUNT, "bob", "AKIAALICE00000000001")).isFalse();
    assertThat(store.deleteAccessKey(ACCOUNT, "alice", "AKIAALICE00000000001")).isTrue();
    assertThat(store.findAccessKey("AKIAALICE00000000001")).isEmpty();
  }

  @Test
  void anAccessKeyKeepsItsLatestUseAndAnOlderOneDoesNotReplaceIt() {
    store.insertUser(user("alice"));
    store.insertAccessKey(new AccessKey("AKIAALICE00000000002", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "alice", 2);
    assertThat(store.accessKeyLastUsed("AKIAALICE00000000002")).isEmpty();

    store.recordAccessKeyUses(List.of(
        new IdentityStore.AccessKeyUse("AKIAALICE00000000002", NOW.plusSeconds(60), "codeartifact", "us-east-1"),
        new IdentityStore.AccessKeyUse("AKIAUNKNOWN000000000", NOW, "iam", "us-east-1")));
    store.recordAccessKeyUses(List.of(
        new IdentityStore.AccessKeyUse("AKIAALICE00000000002", NOW.plusSeconds(30), "sts", "eu-west-1")));

    assertThat(store.accessKeyLastUsed("AKIAALICE00000000002")).contains(
        new IdentityStore.AccessKeyUse("AKIAALICE00000000002", NOW.plusSeconds(60), "codeartifact", "us-east-1"));
    assertThat(store.accessKeyLastUsed("AKIAUNKNOWN000000000")).isEmpty();
  }

  @Test
  void inlinePoliciesAreReplacedByNameIgnoringCase() {
    store.insertUser(user("alice"));
    store.putInlinePolicy(ACCOUNT, PrincipalType.USER, "alice", "Read", "{\"v\":1}");
    store.putInlinePolicy(ACCOUNT, PrincipalType.USER, "Alice", "read", "{\"v\":2}");
    assertThat(store.listInlinePolicies(ACCOUNT, PrincipalType.USER, "alice"))
        .containsExactly(new IdentityStore.InlinePolicy("read", "{\"v\":2}"));
    assertThat(store.findInlinePolicy(ACCOUNT, PrincipalType.ROLE, "alice", "read")).isEmpty();
  }

  @Test
  void aRoleWithPoliciesCannotBeDeleted() {
    Role role = new Role(ACCOUNT, "Deployer", "AROADEPLOYER00000000", "/ci/", "{}", 3600, "d", NOW);
    assertThat(store.insertRole(role)).isTrue();
    assertThat(store.insertRole(role)).isFalse();
    assertThat(store.findRole(ACCOUNT, "deployer")).contains(role);
    assertThat(store.listRoles(ACCOUNT, "/ci/")).containsExactly(role);
    store.putInlinePolicy(ACCOUNT, PrincipalType.ROLE, "deployer", "p", "{}");
    assertThat(store.deleteRole(ACCOUNT, "Deployer")).isEqualTo(DeleteOutcome.HAS_INLINE_POLICIES);
    store.deleteInlinePolicy(ACCOUNT, PrincipalType.ROLE, "deployer", "p");
    assertThat(store.deleteRole(ACCOUNT, "Deployer")).isEqualTo(DeleteOutcome.DELETED);
  }

  @Test
  void managedPoliciesCountTheirAttachments() {
    store.insertUser(user("alice"));
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    assertThat(store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"))).isFalse();
    store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/m", 10);
    store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/m", 10);
    assertThat(store.findManagedPolicy("arn:aws:iam::111122223333:policy/m")).get()
        .extracting(ManagedPolicy::attachmentCount).isEqualTo(1);
    assertThat(store.listAttachedPolicies(ACCOUNT, PrincipalType.USER, "ALICE")).extracting(ManagedPolicy::arn)
        .containsExactly("arn:aws:iam::111122223333:policy/m");
    assertThat(store.listManagedPolicies(ACCOUNT, false, "/")).hasSize(1);
  }

  @Test
  void tagsAreKeptOncePerKeyRegardlessOfCaseUpToTheLimitAndGoWithTheirEntity() {
    store.insertUser(user("alice"));
    assertThat(store.putTags(ACCOUNT, TaggedEntity.USER, "ALICE", List.of(new Tag("team", "build"), new Tag("cost", "")), 3))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.putTags(ACCOUNT, TaggedEntity.USER, "alice", List.of(new Tag("Team", "web")), 3))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "Alice"))
        .containsExactly(new Tag("cost", ""), new Tag("Team", "web"));
    assertThat(store.putTags(ACCOUNT, TaggedEntity.USER, "alice", List.of(new Tag("a", "1"), new Tag("b", "2")), 3))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "alice")).hasSize(2);
    assertThat(store.putTags(ACCOUNT, TaggedEntity.USER, "nobody", List.of(new Tag("a", "1")), 3))
        .isEqualTo(InsertOutcome.NO_SUCH_ENTITY);
    assertThat(store.removeTags(ACCOUNT, TaggedEntity.USER, "alice", List.of("TEAM", "absent"))).isTrue();
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "alice")).containsExactly(new Tag("cost", ""));
    assertThat(store.removeTags(ACCOUNT, TaggedEntity.USER, "nobody", List.of("a"))).isFalse();

    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.DELETED);
    store.insertUser(user("alice"));
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "alice")).isEmpty();
  }

  @Test
  void rolesAndPoliciesHaveTagsOfTheirOwn() {
    store.insertRole(new Role(ACCOUNT, "alice", "AROAALICE00000000000", "/", "{}", 3600, null, NOW));
    store.insertUser(user("alice"));
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    store.putTags(ACCOUNT, TaggedEntity.ROLE, "alice", List.of(new Tag("kind", "role")), 50);
    store.putTags(ACCOUNT, TaggedEntity.POLICY, "arn:aws:iam::111122223333:policy/m", List.of(new Tag("kind", "policy")), 50);
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "alice")).isEmpty();
    assertThat(store.listTags(ACCOUNT, TaggedEntity.ROLE, "alice")).containsExactly(new Tag("kind", "role"));
    assertThat(store.listTags(ACCOUNT, TaggedEntity.POLICY, "arn:aws:iam::111122223333:policy/m"))
        .containsExactly(new Tag("kind", "policy"));
    assertThat(store.deleteManagedPolicy("arn:aws:iam::111122223333:policy/m")).isEqualTo(DeleteOutcome.DELETED);
    assertThat(store.listTags(ACCOUNT, TaggedEntity.POLICY, "arn:aws:iam::111122223333:policy/m")).isEmpty();
  }

  @Test
  void aPermissionsBoundaryIsStoredWithItsEntityAndKeepsItsPolicyFromBeingDeleted() {
    String arn = "arn:aws:iam::111122223333:policy/boundary";
    store.insertManagedPolicy(policy(arn));
    store.insertUser(user("alice"));
    store.insertRole(new Role(ACCOUNT, "Deployer", "AROADEPLOYER00000000", "/", "{}", 3600, null, NOW, arn));
    assertThat(store.setPermissionsBoundary(ACCOUNT, PrincipalType.USER, "ALICE", arn)).isTrue();
    assertThat(store.setPermissionsBoundary(ACCOUNT, PrincipalType.USER, "nobody", arn)).isFalse();
    assertThat(store.findUser(ACCOUNT, "alice")).get().extracting(IamUser::permissionsBoundary).isEqualTo(arn);
    assertThat(store.findRole(ACCOUNT, "deployer")).get().extracting(Role::permissionsBoundary).isEqualTo(arn);
    assertThat(store.findManagedPolicy(arn)).get().extracting(ManagedPolicy::boundaryUsageCount).isEqualTo(2);
    assertThat(store.deleteManagedPolicy(arn)).isEqualTo(DeleteOutcome.ATTACHED_TO_ENTITIES);
    store.setPermissionsBoundary(ACCOUNT, PrincipalType.USER, "alice", null);
    store.setPermissionsBoundary(ACCOUNT, PrincipalType.ROLE, "Deployer", null);
    assertThat(store.findUser(ACCOUNT, "alice")).get().extracting(IamUser::permissionsBoundary).isNull();
    assertThat(store.deleteManagedPolicy(arn)).isEqualTo(DeleteOutcome.DELETED);
  }

  @Test
  void theEntitiesOfAPolicyAreItsAttachmentsAndItsBoundaryUses() {
    String arn = "arn:aws:iam::111122223333:policy/used";
    store.insertManagedPolicy(policy(arn));
    store.insertUser(user("Alice"));
    store.insertUser(user("bob"));
    store.insertGroup(group("builders"), 300);
    store.insertRole(new Role(ACCOUNT, "Deployer", "AROADEPLOYER00000000", "/", "{}", 3600, null, NOW, arn));
    store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", arn, 10);
    store.attachPolicy(ACCOUNT, PrincipalType.GROUP, "BUILDERS", arn, 10);
    store.attachPolicy(ACCOUNT, PrincipalType.ROLE, "deployer", arn, 10);
    assertThat(store.listEntitiesForPolicy(ACCOUNT, arn)).extracting(e -> e.type() + " " + e.name() + " " + e.boundary())
        .containsExactly("GROUP builders false", "ROLE Deployer false", "ROLE Deployer true", "USER Alice false");
    assertThat(store.listEntitiesForPolicy("999999999999", arn)).isEmpty();
    assertThat(store.listEntitiesForPolicy(ACCOUNT, "arn:aws:iam::111122223333:policy/unused")).isEmpty();
  }

  @Test
  void aRenamedUserTakesItsKeysPoliciesAttachmentsAndTagsAlong() {
    store.insertUser(user("alice"));
    store.insertUser(user("bob"));
    store.insertAccessKey(new AccessKey("AKIAALICE00000000000", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "s", 2);
    store.putInlinePolicy(ACCOUNT, PrincipalType.USER, "alice", "p", "{}");
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    store.attachPolicy(ACCOUNT, PrincipalType.USER, "alice", "arn:aws:iam::111122223333:policy/m", 10);
    store.putTags(ACCOUNT, TaggedEntity.USER, "alice", List.of(new Tag("team", "build")), 50);

    assertThat(store.updateUser(ACCOUNT, "alice", "BOB", null)).isEqualTo(IdentityStore.RenameOutcome.NAME_TAKEN);
    assertThat(store.updateUser(ACCOUNT, "nobody", "carol", null)).isEqualTo(IdentityStore.RenameOutcome.NOT_FOUND);
    assertThat(store.updateUser(ACCOUNT, "ALICE", "Carol", "/eng/")).isEqualTo(IdentityStore.RenameOutcome.RENAMED);

    assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
    IamUser carol = store.findUser(ACCOUNT, "carol").orElseThrow();
    assertThat(carol.userName()).isEqualTo("Carol");
    assertThat(carol.path()).isEqualTo("/eng/");
    assertThat(carol.userId()).isEqualTo(user("alice").userId());
    assertThat(store.listAccessKeys(ACCOUNT, "carol")).extracting(AccessKey::userName).containsExactly("Carol");
    assertThat(store.listInlinePolicies(ACCOUNT, PrincipalType.USER, "carol")).hasSize(1);
    assertThat(store.listAttachedPolicies(ACCOUNT, PrincipalType.USER, "carol")).hasSize(1);
    assertThat(store.listTags(ACCOUNT, TaggedEntity.USER, "carol")).containsExactly(new Tag("team", "build"));
    assertThat(store.updateUser(ACCOUNT, "carol", null, "/")).isEqualTo(IdentityStore.RenameOutcome.RENAMED);
    assertThat(store.findUser(ACCOUNT, "carol")).get().extracting(IamUser::path).isEqualTo("/");
  }

  @Test
  void aRoleUpdateWritesItsTrustPolicyDurationAndDescription() {
    Role role = new Role(ACCOUNT, "Deployer", "AROADEPLOYER00000000", "/", "{}", 3600, "old", NOW);
    store.insertRole(role);
    Role changed = new Role(ACCOUNT, "deployer", role.roleId(), "/", "{\"Statement\":[]}", 7200, null, NOW);
    assertThat(store.updateRole(changed)).isTrue();
    assertThat(store.findRole(ACCOUNT, "Deployer")).get()
        .extracting(Role::roleName, Role::trustPolicy, Role::maxSessionDuration, Role::description)
        .containsExactly("Deployer", "{\"Statement\":[]}", 7200, null);
    assertThat(store.updateRole(new Role(ACCOUNT, "nobody", "x", "/", "{}", 3600, null, NOW))).isFalse();
  }

  @Test
  void settingsKeepTheirFirstValue() {
    assertThat(store.setting("x")).isEmpty();
    assertThat(store.putSettingIfAbsent("x", "1")).isEqualTo("1");
    assertThat(store.putSettingIfAbsent("x", "2")).isEqualTo("1");
    assertThat(store.setting("x")).contains("1");
  }

  @Test
  void concurrentCreationsOfOneUserLetExactlyOneWin() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        int n = i;
        results.add(pool.submit(() -> store.insertUser(new IamUser(ACCOUNT, "racer", "AIDARACER" + String.format("%011d", n), "/", NOW))));
      }
      int wins = 0;
      for (Future<Boolean> result : results) {
        wins += result.get() ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aRenamedUserStaysInItsGroups() {
    store.insertUser(user("dana"));
    store.insertGroup(group("builders"), 300);
    assertThat(store.addUserToGroup(ACCOUNT, "builders", "dana", 10)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.updateUser(ACCOUNT, "dana", "erin", null)).isEqualTo(IdentityStore.RenameOutcome.RENAMED);
    assertThat(store.listGroupMembers(ACCOUNT, "builders")).extracting(IamUser::userName).containsExactly("erin");
    assertThat(store.listGroupsForUser(ACCOUNT, "erin")).extracting(IamGroup::groupName).containsExactly("builders");
    assertThat(store.listGroupsForUser(ACCOUNT, "dana")).isEmpty();
  }

  private static IamGroup group(String name) {
    return new IamGroup(ACCOUNT, name, "AGPA" + name.toUpperCase() + "0000000000", "/", NOW);
  }

  @Test
  void groupNamesAreUniqueRegardlessOfCaseAndTheAccountHoldsAtMostTheMaximum() {
    assertThat(store.insertGroup(group("Developers"), 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertGroup(new IamGroup(ACCOUNT, "developers", "AGPAOTHER", "/", NOW), 2))
        .isEqualTo(InsertOutcome.ALREADY_EXISTS);
    assertThat(store.insertGroup(new IamGroup(ACCOUNT, "ops", "AGPAOPS", "/team/", NOW), 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertGroup(group("third"), 2)).isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.findGroup(ACCOUNT, "DEVELOPERS")).get().extracting(IamGroup::groupName).isEqualTo("Developers");
    assertThat(store.listGroups(ACCOUNT, "/")).extracting(IamGroup::groupName).containsExactly("Developers", "ops");
    assertThat(store.listGroups(ACCOUNT, "/team/")).extracting(IamGroup::groupName).containsExactly("ops");
  }

  @Test
  void aUserJoinsAtMostTheMaximumOfGroupsAndIsListedBothWays() {
    store.insertUser(user("alice"));
    store.insertUser(user("bob"));
    for (String name : List.of("a", "b", "c")) {
      store.insertGroup(group(name), 300);
    }
    assertThat(store.addUserToGroup(ACCOUNT, "a", "Alice", 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.addUserToGroup(ACCOUNT, "b", "alice", 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.addUserToGroup(ACCOUNT, "B", "alice", 2)).as("adding again is idempotent").isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.addUserToGroup(ACCOUNT, "c", "alice", 2)).isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.addUserToGroup(ACCOUNT, "a", "bob", 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.addUserToGroup(ACCOUNT, "a", "ghost", 2)).isEqualTo(InsertOutcome.NO_SUCH_ENTITY);
    assertThat(store.addUserToGroup(ACCOUNT, "nope", "bob", 2)).isEqualTo(InsertOutcome.NO_SUCH_ENTITY);

    assertThat(store.listGroupsForUser(ACCOUNT, "ALICE")).extracting(IamGroup::groupName).containsExactly("a", "b");
    assertThat(store.listGroupMembers(ACCOUNT, "a")).extracting(IamUser::userName).containsExactly("alice", "bob");
    assertThat(store.removeUserFromGroup(ACCOUNT, "A", "Bob")).isTrue();
    assertThat(store.removeUserFromGroup(ACCOUNT, "a", "bob")).isFalse();
    assertThat(store.listGroupMembers(ACCOUNT, "a")).extracting(IamUser::userName).containsExactly("alice");
  }

  @Test
  void aGroupWithUsersOrPoliciesCannotBeDeletedNorAUserInAGroup() {
    store.insertUser(user("alice"));
    store.insertGroup(group("devs"), 300);
    store.addUserToGroup(ACCOUNT, "devs", "alice", 10);
    store.putInlinePolicy(ACCOUNT, PrincipalType.GROUP, "devs", "p", "{}");
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    assertThat(store.attachPolicy(ACCOUNT, PrincipalType.GROUP, "DEVS", "arn:aws:iam::111122223333:policy/m", 10))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.findManagedPolicy("arn:aws:iam::111122223333:policy/m")).get()
        .extracting(ManagedPolicy::attachmentCount).isEqualTo(1);

    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_GROUP_MEMBERS);
    assertThat(store.deleteGroup(ACCOUNT, "devs")).isEqualTo(DeleteOutcome.HAS_GROUP_MEMBERS);
    store.removeUserFromGroup(ACCOUNT, "devs", "alice");
    assertThat(store.deleteGroup(ACCOUNT, "devs")).isEqualTo(DeleteOutcome.HAS_INLINE_POLICIES);
    store.deleteInlinePolicy(ACCOUNT, PrincipalType.GROUP, "devs", "p");
    assertThat(store.deleteGroup(ACCOUNT, "devs")).isEqualTo(DeleteOutcome.HAS_ATTACHED_POLICIES);
    assertThat(store.listAttachedPolicies(ACCOUNT, PrincipalType.GROUP, "devs")).hasSize(1);
    store.detachPolicy(ACCOUNT, PrincipalType.GROUP, "devs", "arn:aws:iam::111122223333:policy/m");
    assertThat(store.deleteGroup(ACCOUNT, "devs")).isEqualTo(DeleteOutcome.DELETED);
    assertThat(store.deleteGroup(ACCOUNT, "devs")).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.DELETED);
  }

  @Test
  void aRenamedGroupKeepsItsUsersAndPoliciesAndCannotTakeAnotherGroupsName() {
    store.insertUser(user("alice"));
    store.insertGroup(group("devs"), 300);
    store.insertGroup(group("ops"), 300);
    store.addUserToGroup(ACCOUNT, "devs", "alice", 10);
    store.putInlinePolicy(ACCOUNT, PrincipalType.GROUP, "devs", "p", "{}");
    store.insertManagedPolicy(policy("arn:aws:iam::111122223333:policy/m"));
    store.attachPolicy(ACCOUNT, PrincipalType.GROUP, "devs", "arn:aws:iam::111122223333:policy/m", 10);

    assertThat(store.updateGroup(ACCOUNT, "devs", "OPS", "/")).isEqualTo(InsertOutcome.ALREADY_EXISTS);
    assertThat(store.updateGroup(ACCOUNT, "nope", "x", "/")).isEqualTo(InsertOutcome.NO_SUCH_ENTITY);
    assertThat(store.updateGroup(ACCOUNT, "devs", "Builders", "/ci/")).isEqualTo(InsertOutcome.INSERTED);

    assertThat(store.findGroup(ACCOUNT, "devs")).isEmpty();
    assertThat(store.findGroup(ACCOUNT, "builders")).get().extracting(IamGroup::groupName, IamGroup::path)
        .containsExactly("Builders", "/ci/");
    assertThat(store.listGroupsForUser(ACCOUNT, "alice")).extracting(IamGroup::groupName).containsExactly("Builders");
    assertThat(store.listInlinePolicies(ACCOUNT, PrincipalType.GROUP, "builders")).hasSize(1);
    assertThat(store.listAttachedPolicies(ACCOUNT, PrincipalType.GROUP, "builders")).hasSize(1);
    assertThat(store.updateGroup(ACCOUNT, "Builders", "builders", "/ci/")).as("a change of case only")
        .isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void aManagedPolicyStartsAtVersionOneAndNewVersionsAreNumberedOnwardBelowTheLimit() {
    String arn = "arn:aws:iam::111122223333:policy/m";
    store.insertManagedPolicy(policy(arn));
    assertThat(store.listPolicyVersions(arn)).extracting(PolicyVersion::versionId, PolicyVersion::defaultVersion)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", true));
    assertThat(store.insertPolicyVersion(arn, "{\"v\":2}", false, 3, NOW)).get()
        .extracting(PolicyVersion::versionId, PolicyVersion::defaultVersion).containsExactly("v2", false);
    assertThat(store.insertPolicyVersion(arn, "{\"v\":3}", true, 3, NOW)).get()
        .extracting(PolicyVersion::versionId).isEqualTo("v3");
    assertThat(store.insertPolicyVersion(arn, "{\"v\":4}", false, 3, NOW)).as("at the limit").isEmpty();
    assertThat(store.insertPolicyVersion("arn:aws:iam::111122223333:policy/none", "{}", false, 3, NOW)).isEmpty();

    assertThat(store.findManagedPolicy(arn)).get().extracting(ManagedPolicy::defaultVersionId, ManagedPolicy::document)
        .containsExactly("v3", "{\"v\":3}");
    assertThat(store.listPolicyVersions(arn)).extracting(PolicyVersion::versionId).containsExactly("v3", "v2", "v1");
    assertThat(store.deletePolicyVersion(arn, "v3")).isEqualTo(DeleteOutcome.IS_DEFAULT_VERSION);
    assertThat(store.deleteManagedPolicy(arn)).isEqualTo(DeleteOutcome.HAS_VERSIONS);
    assertThat(store.deletePolicyVersion(arn, "v2")).isEqualTo(DeleteOutcome.DELETED);
    assertThat(store.deletePolicyVersion(arn, "v2")).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(store.insertPolicyVersion(arn, "{\"v\":4}", false, 3, NOW)).as("a number is never reused").get()
        .extracting(PolicyVersion::versionId).isEqualTo("v4");

    assertThat(store.setDefaultPolicyVersion(arn, "v1", NOW)).isTrue();
    assertThat(store.setDefaultPolicyVersion(arn, "v9", NOW)).isFalse();
    assertThat(store.findManagedPolicy(arn)).get().extracting(ManagedPolicy::defaultVersionId, ManagedPolicy::document)
        .containsExactly("v1", "{}");
    assertThat(store.findPolicyVersion(arn, "v4")).get().extracting(PolicyVersion::document, PolicyVersion::defaultVersion)
        .containsExactly("{\"v\":4}", false);
    store.deletePolicyVersion(arn, "v3");
    store.deletePolicyVersion(arn, "v4");
    assertThat(store.deleteManagedPolicy(arn)).isEqualTo(DeleteOutcome.DELETED);
    assertThat(store.listPolicyVersions(arn)).isEmpty();
  }

  @Test
  void migrationFifteenMakesEveryExistingManagedPolicyItsOwnDefaultVersionOne() {
    String url = freshDatabaseUrl();
    org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("wharf_schema_history").target("14").load().migrate();
    org.jdbi.v3.core.Jdbi.create(url).useHandle(h -> h.execute("INSERT INTO managed_policies (policy_arn, account_id,"
        + " policy_name, policy_name_lower, policy_id, path, description, document, created_at, updated_at) VALUES"
        + " ('arn:aws:iam::111122223333:policy/old', '111122223333', 'old', 'old', 'ANPAOLD', '/', NULL, '{\"old\":1}',"
        + " 1000, 2000)"));

    try (Database migrated = Database.open(url)) {
      IdentityStore after = new SqlIdentityStore(migrated);
      String arn = "arn:aws:iam::111122223333:policy/old";
      assertThat(after.findManagedPolicy(arn)).get().extracting(ManagedPolicy::defaultVersionId, ManagedPolicy::document)
          .containsExactly("v1", "{\"old\":1}");
      assertThat(after.listPolicyVersions(arn)).extracting(PolicyVersion::versionId, PolicyVersion::document,
              PolicyVersion::defaultVersion, PolicyVersion::createdAt)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", "{\"old\":1}", true, Instant.ofEpochMilli(1000)));
      assertThat(after.insertPolicyVersion(arn, "{}", false, 5, NOW)).get().extracting(PolicyVersion::versionId)
          .isEqualTo("v2");
    }
  }

  // ---------------------------------------------------------------- login profiles and the password policy

  private static LoginProfile profile(String userName, boolean resetRequired) {
    return new LoginProfile(ACCOUNT, userName, NOW, resetRequired, NOW, null);
  }

  @Test
  void aUserHasAtMostOneLoginProfileFoundRegardlessOfCase() {
    store.insertUser(user("Alice"));
    assertThat(store.findLoginProfile(ACCOUNT, "alice")).isEmpty();

    assertThat(store.insertLoginProfile(profile("alice", true), "$hash1")).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertLoginProfile(profile("ALICE", false), "$hash2")).isEqualTo(InsertOutcome.ALREADY_EXISTS);
    assertThat(store.insertLoginProfile(profile("ghost", false), "$hash3")).isEqualTo(InsertOutcome.NO_SUCH_ENTITY);

    IdentityStore.StoredLoginProfile stored = store.findLoginProfile(ACCOUNT, "ALICE").orElseThrow();
    assertThat(stored.passwordHash()).isEqualTo("$hash1");
    assertThat(stored.profile()).isEqualTo(new LoginProfile(ACCOUNT, "Alice", NOW, true, NOW, null));
    assertThat(store.setPasswordResetRequired(ACCOUNT, "alice", false)).isTrue();
    assertThat(store.findLoginProfile(ACCOUNT, "alice").orElseThrow().profile().passwordResetRequired()).isFalse();
    assertThat(store.setPasswordResetRequired(ACCOUNT, "ghost", true)).isFalse();
  }

  @Test
  void aPasswordIsReplacedOnlyWhileItIsTheExpectedOneAndTheReplacedOnesAreKeptLatestFirst() {
    store.insertUser(user("alice"));
    store.insertLoginProfile(profile("alice", true), "$h0");

    assertThat(store.replacePassword(ACCOUNT, "alice", "$other", "$h1", false, NOW.plusSeconds(1), 3)).isFalse();
    assertThat(store.replacePassword(ACCOUNT, "ALICE", "$h0", "$h1", false, NOW.plusSeconds(1), 3)).isTrue();
    assertThat(store.replacePassword(ACCOUNT, "ghost", "$h0", "$h1", false, NOW.plusSeconds(1), 3)).isFalse();

    IdentityStore.StoredLoginProfile stored = store.findLoginProfile(ACCOUNT, "alice").orElseThrow();
    assertThat(stored.passwordHash()).isEqualTo("$h1");
    assertThat(stored.profile().passwordResetRequired()).isFalse();
    assertThat(stored.profile().createdAt()).as("CreateDate stays the first password's").isEqualTo(NOW);
    assertThat(stored.profile().passwordChangedAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).containsExactly("$h0");

    for (int i = 2; i <= 5; i++) {
      assertThat(store.replacePassword(ACCOUNT, "alice", "$h" + (i - 1), "$h" + i, i == 5, NOW.plusSeconds(i), 3)).isTrue();
    }
    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).as("the latest 3 are kept").containsExactly("$h4", "$h3", "$h2");
    assertThat(store.passwordHistory(ACCOUNT, "alice", 2)).containsExactly("$h4", "$h3");
    assertThat(store.findLoginProfile(ACCOUNT, "alice").orElseThrow().profile().passwordResetRequired()).isTrue();
  }

  @Test
  void passwordsReplacedWithinOneInstantStayInTheOrderTheyWereReplaced() {
    store.insertUser(user("alice"));
    store.insertLoginProfile(profile("alice", false), "$z");
    List<String> hashes = List.of("$z", "$a", "$m", "$b");
    for (int i = 1; i < hashes.size(); i++) {
      store.replacePassword(ACCOUNT, "alice", hashes.get(i - 1), hashes.get(i), false, NOW, 24);
    }
    store.deleteLoginProfile(ACCOUNT, "alice", NOW, 24);

    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).containsExactly("$b", "$m", "$a", "$z");
  }

  @Test
  void aSignInIsRecordedAndAnUpgradedHashReplacesOnlyTheOneItWasMadeFrom() {
    store.insertUser(user("alice"));
    store.insertLoginProfile(profile("alice", false), "$old-parameters");

    store.recordPasswordUse(ACCOUNT, "alice", NOW.plusSeconds(60), "$old-parameters", "$new-parameters");
    store.recordPasswordUse(ACCOUNT, "alice", NOW.plusSeconds(30), "$old-parameters", "$stale");

    IdentityStore.StoredLoginProfile stored = store.findLoginProfile(ACCOUNT, "alice").orElseThrow();
    assertThat(stored.passwordHash()).isEqualTo("$new-parameters");
    assertThat(stored.profile().passwordLastUsedAt()).as("an older use does not replace a later one")
        .isEqualTo(NOW.plusSeconds(60));
    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).as("the same password under new parameters").isEmpty();
  }

  @Test
  void aUserWithALoginProfileCannotBeDeletedAndItsPasswordHistoryGoesWithIt() {
    store.insertUser(user("alice"));
    store.insertLoginProfile(profile("alice", false), "$h0");
    store.insertAccessKey(new AccessKey("AKIAALICE00000000009", ACCOUNT, "alice", AccessKey.Status.Active, NOW), "c", 2);

    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_LOGIN_PROFILE);
    assertThat(store.deleteLoginProfile(ACCOUNT, "ALICE", NOW.plusSeconds(1), 24)).isTrue();
    assertThat(store.deleteLoginProfile(ACCOUNT, "alice", NOW.plusSeconds(2), 24)).isFalse();
    assertThat(store.findLoginProfile(ACCOUNT, "alice")).isEmpty();
    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).containsExactly("$h0");

    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.HAS_ACCESS_KEYS);
    store.deleteAccessKey(ACCOUNT, "alice", "AKIAALICE00000000009");
    assertThat(store.deleteUser(ACCOUNT, "alice")).isEqualTo(DeleteOutcome.DELETED);
    store.insertUser(user("alice"));
    assertThat(store.passwordHistory(ACCOUNT, "alice", 24)).isEmpty();
  }

  @Test
  void aRenamedUserTakesItsLoginProfileAndPasswordHistoryAlong() {
    store.insertUser(user("alice"));
    store.insertLoginProfile(profile("alice", false), "$h0");
    store.replacePassword(ACCOUNT, "alice", "$h0", "$h1", false, NOW.plusSeconds(1), 24);

    assertThat(store.updateUser(ACCOUNT, "alice", "Carol", null)).isEqualTo(IdentityStore.RenameOutcome.RENAMED);

    assertThat(store.findLoginProfile(ACCOUNT, "alice")).isEmpty();
    assertThat(store.findLoginProfile(ACCOUNT, "carol")).get().satisfies(stored -> {
      assertThat(stored.profile().userName()).isEqualTo("Carol");
      assertThat(stored.passwordHash()).isEqualTo("$h1");
    });
    assertThat(store.passwordHistory(ACCOUNT, "carol", 24)).containsExactly("$h0");
    assertThat(store.deleteUser(ACCOUNT, "carol")).isEqualTo(DeleteOutcome.HAS_LOGIN_PROFILE);
  }

  @Test
  void theAccountPasswordPolicyIsStoredReplacedAndDeleted() {
    PasswordPolicy strict = new PasswordPolicy(14, true, true, true, true, true, 90, 24, true);
    PasswordPolicy loose = new PasswordPolicy(6, false, false, false, false, false, 0, 0, false);
    assertThat(store.findPasswordPolicy(ACCOUNT)).isEmpty();

    store.putPasswordPolicy(ACCOUNT, strict);
    assertThat(store.findPasswordPolicy(ACCOUNT)).contains(strict);
    store.putPasswordPolicy(ACCOUNT, loose);
    assertThat(store.findPasswordPolicy(ACCOUNT)).contains(loose);
    assertThat(store.findPasswordPolicy("999999999999")).isEmpty();

    assertThat(store.deletePasswordPolicy(ACCOUNT)).isTrue();
    assertThat(store.deletePasswordPolicy(ACCOUNT)).isFalse();
    assertThat(store.findPasswordPolicy(ACCOUNT)).isEmpty();
  }

  private static ManagedPolicy policy(String arn) {
    return new ManagedPolicy(arn, ACCOUNT, arn.substring(arn.lastIndexOf('/') + 1), "ANPA" + Math.abs(arn.hashCode()),
        "/", null, "{}", NOW, NOW, 0, "v1");
  }
}
