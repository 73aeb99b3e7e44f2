package dev.wharf.identity.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.identity.AccessKey;
import dev.wharf.identity.Account;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.IdentityStore.DeleteOutcome;
import dev.wharf.identity.IdentityStore.InsertOutcome;
import dev.wharf.identity.ManagedPolicy;
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

  private static ManagedPolicy policy(String arn) {
    return new ManagedPolicy(arn, ACCOUNT, arn.substring(arn.lastIndexOf('/') + 1), "ANPA" + Math.abs(arn.hashCode()),
        "/", null, "{}", NOW, NOW, 0);
  }
}
