package dev.wharf.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.infrastructure.SqlCatalogStore;
import dev.wharf.catalog.infrastructure.SqlPackageGroupStore;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.StoredNames;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group service's decisions on SQLite: answered from its cache when warm, right after each change. */
class PackageGroupServiceTest {
  private static final String OWNER = "111122223333";
  private static final Map<String, StoredNames> FORMATS = FormatRegistry.standardStoredNames();

  @TempDir Path directory;
  Database database;
  CatalogService catalog;
  PackageGroupService groups;
  final AtomicLong statements = new AtomicLong();
  final List<String> announced = new ArrayList<>();

  @BeforeEach
  void open() {
    database = TestingDatabases.sqlite(directory);
    database.jdbi().useHandle(h -> h.execute("INSERT INTO accounts (account_id, name, management, created_at)"
        + " VALUES ('" + OWNER + "', 'a', 1, 0)"));
    catalog = new CatalogService(new SqlCatalogStore(database), "us-east-1", Clock.systemUTC());
    groups = new PackageGroupService(new SqlPackageGroupStore(database), catalog, FORMATS, PackageGroupService.MAX_GROUPS_PER_DOMAIN, Clock.systemUTC());
    groups.onChange((owner, domain) -> announced.add(owner + "/" + domain));
    catalog.createDomain(OWNER, "acme", null, List.of());
    for (String repository : List.of("releases", "scratch")) {
      catalog.createRepository(OWNER, "acme", repository, OWNER, null, List.of(), List.of());
    }
    database.jdbi().setSqlLogger(new SqlLogger() {
      @Override
      public void logAfterExecution(StatementContext context) {
        statements.incrementAndGet();
      }
    });
  }

  @AfterEach
  void close() {
    database.close();
  }

  private boolean mayPublish(String repository) {
    return groups.refusal(OWNER, "acme", repository, "npm", "acme", "widget", RestrictionType.PUBLISH).isEmpty();
  }

  @Test
  void aWarmDecisionReadsNoRowAndEveryChangeDecidesAtOnceAndIsAnnounced() {
    assertThat(mayPublish("scratch")).isTrue();
    long before = statements.get();
    for (int i = 0; i < 100; i++) {
      assertThat(mayPublish("scratch")).isTrue();
    }
    assertThat(statements.get() - before).as("SQL statements of 100 warm decisions").isZero();

    groups.create(OWNER, "acme", "/npm/acme/*", null, null, List.of());
    groups.updateOrigin(OWNER, "acme", "/npm/acme/*", Map.of(RestrictionType.PUBLISH,
        Mode.ALLOW_SPECIFIC_REPOSITORIES), Map.of(RestrictionType.PUBLISH, List.of("releases")), Map.of());
    assertThat(mayPublish("releases")).isTrue();
    assertThat(mayPublish("scratch")).isFalse();
    assertThat(groups.refusal(OWNER, "acme", "scratch", "npm", "acme", "widget", RestrictionType.PUBLISH))
        .get().asString().contains("/npm/acme/*").contains("ALLOW_SPECIFIC_REPOSITORIES");
    assertThat(announced).containsExactly(OWNER + "/acme", OWNER + "/acme");

    // a deleted repository leaves the list: made again under its name, it is not allowed
    catalog.onChange(groups::invalidateAll); // as the composition root wires it
    catalog.deleteRepository(OWNER, "acme", "releases");
    catalog.createRepository(OWNER, "acme", "releases", OWNER, null, List.of(), List.of());
    assertThat(mayPublish("releases")).isFalse();

    groups.delete(OWNER, "acme", "/npm/acme/*");
    assertThat(mayPublish("scratch")).as("the root decides again").isTrue();
  }

  @Test
  void anotherServiceOverTheSameDatabaseDecidesAsBeforeUntilItIsToldOfTheChange() {
    PackageGroupService other = new PackageGroupService(new SqlPackageGroupStore(database), catalog, FORMATS, PackageGroupService.MAX_GROUPS_PER_DOMAIN,
        Clock.systemUTC());
    assertThat(other.refusal(OWNER, "acme", "scratch", "npm", "", "x", RestrictionType.PUBLISH)).isEmpty();
    groups.updateOrigin(OWNER, "acme", "/*", Map.of(RestrictionType.PUBLISH, Mode.BLOCK), Map.of(), Map.of());
    assertThat(other.refusal(OWNER, "acme", "scratch", "npm", "", "x", RestrictionType.PUBLISH))
        .as("cached: this is what the change bus is for").isEmpty();
    other.invalidate(OWNER, "acme");
    assertThat(other.refusal(OWNER, "acme", "scratch", "npm", "", "x", RestrictionType.PUBLISH)).isPresent();
  }
}
