package dev.wharf.catalog.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.catalog.CatalogStore;
import dev.wharf.catalog.CatalogStore.DomainRow;
import dev.wharf.catalog.CatalogStore.Outcome;
import dev.wharf.catalog.CatalogStore.RepositoryRow;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupStore.AllowedRepository;
import dev.wharf.catalog.PackageGroupStore.GroupRow;
import dev.wharf.catalog.Tag;
import dev.wharf.identity.Account;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of the package group store; run against SQLite and PostgreSQL. */
abstract class PackageGroupStoreContract {
  private static final String OWNER = "111122223333";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final int LIMIT = 1000;
  private static final Map<RestrictionType, Mode> INHERIT = Map.of(RestrictionType.PUBLISH, Mode.INHERIT,
      RestrictionType.EXTERNAL_UPSTREAM, Mode.INHERIT, RestrictionType.INTERNAL_UPSTREAM, Mode.INHERIT);

  private Database database;
  private SqlCatalogStore catalog;
  private SqlPackageGroupStore groups;

  protected abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    new SqlIdentityStore(database).insertAccount(new Account(OWNER, "main", true, NOW));
    catalog = new SqlCatalogStore(database);
    groups = new SqlPackageGroupStore(database);
    assertThat(catalog.insertDomain(domain("acme"))).isEqualTo(Outcome.DONE);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static DomainRow domain(String name) {
    return new DomainRow(OWNER, name, "k", NOW, 0, null, null);
  }

  private static GroupRow group(String domain, String pattern) {
    return new GroupRow(OWNER, domain, pattern, "d " + pattern, null, NOW, INHERIT);
  }

  private void repository(String name) {
    assertThat(catalog.insertRepository(new RepositoryRow(OWNER, "acme", name, OWNER, "d-" + name, List.of(), NOW,
        null, null))).isEqualTo(Outcome.DONE);
  }

  @Test
  void aDomainTakesGroupsUpToItsQuotaEvenWhenManyAreInsertedAtOnce() throws Exception {
    int limit = 6; // the root group and five more
    List<java.util.concurrent.Future<Outcome>> outcomes = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 12; i++) {
        String pattern = "/npm/scope" + i + "/*";
        outcomes.add(pool.submit(() -> groups.insert(group("acme", pattern), limit)));
      }
    }
    List<Outcome> results = new java.util.ArrayList<>();
    for (var outcome : outcomes) {
      results.add(outcome.get());
    }

    assertThat(results).filteredOn(Outcome.DONE::equals).hasSize(5);
    assertThat(results).filteredOn(Outcome.LIMIT_EXCEEDED::equals).hasSize(7);
    assertThat(groups.list(OWNER, "acme")).hasSize(limit);
    String existing = groups.list(OWNER, "acme").getLast().pattern();
    assertThat(groups.insert(group("acme", existing), limit)).as("an existing pattern is still a conflict")
        .isEqualTo(Outcome.ALREADY_EXISTS);
    assertThat(catalog.insertDomain(domain("other"))).isEqualTo(Outcome.DONE);
    assertThat(groups.insert(group("other", "/npm/*"), limit)).as("the quota is per domain").isEqualTo(Outcome.DONE);
  }

  @Test
  void aGroupIsStoredOncePerDomainAndPatternBesideTheRootGroup() {
    GroupRow root = groups.find(OWNER, "acme", "/*").orElseThrow();
    assertThat(root.modes()).containsOnlyKeys(RestrictionType.values()).doesNotContainValue(Mode.INHERIT);

    assertThat(groups.insert(group("acme", "/npm/*"), LIMIT)).isEqualTo(Outcome.DONE);
    assertThat(groups.insert(group("acme", "/npm/*"), LIMIT)).isEqualTo(Outcome.ALREADY_EXISTS);
    assertThat(groups.insert(group("missing", "/npm/*"), LIMIT)).isEqualTo(Outcome.NOT_FOUND);
    assertThat(groups.find(OWNER, "acme", "/npm/*")).get().satisfies(found -> {
      assertThat(found.description()).isEqualTo("d /npm/*");
      assertThat(found.createdAt()).isEqualTo(NOW);
      assertThat(found.modes()).isEqualTo(INHERIT);
    });
    assertThat(groups.find(OWNER, "acme", "/pypi/*")).isEmpty();
    assertThat(groups.list(OWNER, "acme")).extracting(GroupRow::pattern).containsExactlyInAnyOrder("/*", "/npm/*");
  }

  @Test
  void anUpdateSetsOnlyWhatItIsGiven() {
    groups.insert(group("acme", "/maven/com.example/*"), LIMIT);
    assertThat(groups.update(OWNER, "acme", "/maven/com.example/*", null, "team@example.com")).isEqualTo(Outcome.DONE);
    assertThat(groups.find(OWNER, "acme", "/maven/com.example/*")).get().satisfies(found -> {
      assertThat(found.description()).isEqualTo("d /maven/com.example/*");
      assertThat(found.contactInfo()).isEqualTo("team@example.com");
    });
    assertThat(groups.update(OWNER, "acme", "/maven/org.example/*", "x", null)).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void originModesAndAllowedRepositoriesChangeTogetherAndADeletedRepositoryLeavesEveryList() {
    repository("releases");
    repository("staging");
    groups.insert(group("acme", "/npm/*"), LIMIT);
    assertThat(groups.updateOrigin(OWNER, "acme", "/npm/*",
        Map.of(RestrictionType.PUBLISH, Mode.ALLOW_SPECIFIC_REPOSITORIES, RestrictionType.INTERNAL_UPSTREAM, Mode.BLOCK),
        Map.of(RestrictionType.PUBLISH, List.of("releases", "staging"), RestrictionType.EXTERNAL_UPSTREAM,
            List.of("staging")), Map.of())).isEqualTo(Outcome.DONE);
    assertThat(groups.find(OWNER, "acme", "/npm/*").orElseThrow().modes()).isEqualTo(Map.of(
        RestrictionType.PUBLISH, Mode.ALLOW_SPECIFIC_REPOSITORIES, RestrictionType.EXTERNAL_UPSTREAM, Mode.INHERIT,
        RestrictionType.INTERNAL_UPSTREAM, Mode.BLOCK));
    assertThat(groups.allowedRepositories(OWNER, "acme", "/npm/*", RestrictionType.PUBLISH))
        .containsExactlyInAnyOrder("releases", "staging");
    assertThat(groups.allowedRepositoryCounts(OWNER, "acme", "/npm/*"))
        .isEqualTo(Map.of(RestrictionType.PUBLISH, 2L, RestrictionType.EXTERNAL_UPSTREAM, 1L));

    // adding one already listed and removing one not listed change nothing else
    assertThat(groups.updateOrigin(OWNER, "acme", "/npm/*", Map.of(),
        Map.of(RestrictionType.PUBLISH, List.of("releases")),
        Map.of(RestrictionType.PUBLISH, List.of("staging"), RestrictionType.INTERNAL_UPSTREAM, List.of("releases"))))
        .isEqualTo(Outcome.DONE);
    assertThat(groups.allowedRepositoriesOfDomain(OWNER, "acme")).containsExactlyInAnyOrder(
        new AllowedRepository("/npm/*", RestrictionType.PUBLISH, "releases"),
        new AllowedRepository("/npm/*", RestrictionType.EXTERNAL_UPSTREAM, "staging"));
    assertThat(groups.updateOrigin(OWNER, "acme", "/pypi/*", Map.of(RestrictionType.PUBLISH, Mode.BLOCK), Map.of(),
        Map.of())).isEqualTo(Outcome.NOT_FOUND);

    assertThat(catalog.deleteRepository(OWNER, "acme", "staging")).isEqualTo(Outcome.DONE);
    assertThat(groups.allowedRepositoriesOfDomain(OWNER, "acme")).containsExactly(
        new AllowedRepository("/npm/*", RestrictionType.PUBLISH, "releases"));
  }

  @Test
  void aDeletedGroupTakesItsListsAndOnlyItsOwn() {
    repository("releases");
    groups.insert(group("acme", "/npm/*"), LIMIT);
    groups.insert(group("acme", "/npm/scope/*"), LIMIT);
    for (String pattern : List.of("/npm/*", "/npm/scope/*")) {
      groups.updateOrigin(OWNER, "acme", pattern, Map.of(RestrictionType.PUBLISH, Mode.ALLOW_SPECIFIC_REPOSITORIES),
          Map.of(RestrictionType.PUBLISH, List.of("releases")), Map.of());
    }
    assertThat(groups.delete(OWNER, "acme", "/npm/*")).isEqualTo(Outcome.DONE);
    assertThat(groups.delete(OWNER, "acme", "/npm/*")).isEqualTo(Outcome.NOT_FOUND);
    assertThat(groups.list(OWNER, "acme")).extracting(GroupRow::pattern).containsExactlyInAnyOrder("/*", "/npm/scope/*");
    assertThat(groups.allowedRepositoriesOfDomain(OWNER, "acme")).containsExactly(
        new AllowedRepository("/npm/scope/*", RestrictionType.PUBLISH, "releases"));
  }

  @Test
  void aDomainTakesItsGroupsAndTheirTagsWhenDeleted() {
    catalog.insertDomain(domain("reused"));
    assertThat(groups.list(OWNER, "reused")).extracting(GroupRow::pattern).containsExactly("/*");
    groups.insert(group("reused", "/npm/*"), LIMIT);
    String arn = CodeArtifactArns.packageGroup("us-east-1", OWNER, "reused", "/npm/*");
    catalog.putTags(arn, List.of(new Tag("team", "web")));
    assertThat(catalog.deleteDomain(OWNER, "reused")).isEqualTo(CatalogStore.Outcome.DONE);
    assertThat(groups.list(OWNER, "reused")).isEmpty();

    catalog.insertDomain(domain("reused"));
    groups.insert(group("reused", "/npm/*"), LIMIT);
    assertThat(catalog.tags(arn)).isEmpty();
    assertThat(groups.list(OWNER, "reused")).extracting(GroupRow::pattern).containsExactlyInAnyOrder("/*", "/npm/*");
    // the root group's packages are those of every format; a domain without packages has none
    assertThat(groups.packagesOfDomain(OWNER, "reused", null)).isEmpty();
    assertThat(groups.packagesOfDomain(OWNER, "reused", "npm")).isEmpty();
  }
}
