package dev.wharf.catalog.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.catalog.CatalogStore;
import dev.wharf.catalog.CatalogStore.DomainRow;
import dev.wharf.catalog.CatalogStore.Outcome;
import dev.wharf.catalog.CatalogStore.RepositoryRow;
import dev.wharf.catalog.Tag;
import dev.wharf.identity.Account;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.store.Database;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link CatalogStore} must have; run against SQLite and PostgreSQL. */
abstract class CatalogStoreContract {
  private static final String OWNER = "111122223333";
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private Database database;
  private CatalogStore store;

  protected abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    new SqlIdentityStore(database).insertAccount(new Account(OWNER, "main", true, NOW));
    store = new SqlCatalogStore(database);
    assertThat(store.insertDomain(new DomainRow(OWNER, "acme", "key", NOW, 0, null, null))).isEqualTo(Outcome.DONE);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private RepositoryRow repository(String name, List<String> upstreams) {
    return new RepositoryRow(OWNER, "acme", name, OWNER, "d-" + name, upstreams, NOW, null, null);
  }

  @Test
  void aDomainIsCreatedOnceAndCountsItsRepositories() {
    assertThat(store.insertDomain(new DomainRow(OWNER, "acme", "key", NOW, 0, null, null))).isEqualTo(Outcome.ALREADY_EXISTS);
    store.insertRepository(repository("a", List.of()));
    assertThat(store.findDomain(OWNER, "acme")).get().extracting(DomainRow::repositoryCount).isEqualTo(1);
    assertThat(store.listDomains(OWNER)).extracting(DomainRow::name).containsExactly("acme");
    assertThat(store.listDomains("999999999999")).isEmpty();
  }

  @Test
  void aDomainWithRepositoriesCannotBeDeleted() {
    store.insertRepository(repository("a", List.of()));
    assertThat(store.deleteDomain(OWNER, "acme")).isEqualTo(Outcome.HAS_REPOSITORIES);
    assertThat(store.deleteRepository(OWNER, "acme", "a")).isEqualTo(Outcome.DONE);
    assertThat(store.deleteDomain(OWNER, "acme")).isEqualTo(Outcome.DONE);
    assertThat(store.deleteDomain(OWNER, "acme")).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void repositoriesKeepTheOrderOfTheirUpstreams() {
    store.insertRepository(repository("a", List.of()));
    store.insertRepository(repository("b", List.of()));
    store.insertRepository(repository("c", List.of("b", "a")));
    assertThat(store.findRepository(OWNER, "acme", "c")).get().extracting(RepositoryRow::upstreams)
        .isEqualTo(List.of("b", "a"));
    assertThat(store.updateRepository(OWNER, "acme", "c", null, List.of("a"))).isEqualTo(Outcome.DONE);
    RepositoryRow updated = store.findRepository(OWNER, "acme", "c").orElseThrow();
    assertThat(updated.upstreams()).containsExactly("a");
    assertThat(updated.description()).isEqualTo("d-c");
    assertThat(store.listRepositories(OWNER, "acme")).extracting(RepositoryRow::name).containsExactly("a", "b", "c");
    assertThat(store.listRepositoriesAdministeredBy(OWNER)).hasSize(3);
  }

  @Test
  void aRepositoryThatIsAnUpstreamCannotBeDeleted() {
    store.insertRepository(repository("a", List.of()));
    store.insertRepository(repository("b", List.of("a")));
    assertThat(store.deleteRepository(OWNER, "acme", "a")).isEqualTo(Outcome.HAS_DOWNSTREAMS);
    assertThat(store.insertRepository(repository("b", List.of()))).isEqualTo(Outcome.ALREADY_EXISTS);
    assertThat(store.insertRepository(new RepositoryRow(OWNER, "nope", "x", OWNER, null, List.of(), NOW, null, null)))
        .isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void policiesChangeOnlyAtTheExpectedRevision() {
    assertThat(store.setDomainPolicy(OWNER, "acme", null, "{\"v\":1}", "r1")).isEqualTo(Outcome.DONE);
    assertThat(store.setDomainPolicy(OWNER, "acme", "stale", "{\"v\":2}", "r2")).isEqualTo(Outcome.REVISION_MISMATCH);
    assertThat(store.setDomainPolicy(OWNER, "acme", "r1", "{\"v\":2}", "r2")).isEqualTo(Outcome.DONE);
    assertThat(store.findDomain(OWNER, "acme")).get().extracting(DomainRow::policy, DomainRow::policyRevision)
        .containsExactly("{\"v\":2}", "r2");
    assertThat(store.setDomainPolicy(OWNER, "acme", null, null, null)).isEqualTo(Outcome.DONE);
    assertThat(store.setDomainPolicy(OWNER, "acme", null, null, null)).isEqualTo(Outcome.NOT_FOUND);

    store.insertRepository(repository("a", List.of()));
    assertThat(store.setRepositoryPolicy(OWNER, "acme", "a", null, "{}", "q1")).isEqualTo(Outcome.DONE);
    assertThat(store.setRepositoryPolicy(OWNER, "acme", "a", "q0", "{}", "q2")).isEqualTo(Outcome.REVISION_MISMATCH);
    assertThat(store.findRepository(OWNER, "acme", "a")).get().extracting(RepositoryRow::policyRevision).isEqualTo("q1");
  }

  @Test
  void tagsAreUpsertedAndRemovedByKey() {
    String arn = "arn:aws:codeartifact:us-east-1:111122223333:domain/acme";
    store.putTags(arn, List.of(new Tag("team", "core"), new Tag("env", "dev")));
    store.putTags(arn, List.of(new Tag("env", "prod")));
    assertThat(store.tags(arn)).containsExactly(new Tag("env", "prod"), new Tag("team", "core"));
    store.removeTags(arn, List.of("team", "absent"));
    assertThat(store.tags(arn)).containsExactly(new Tag("env", "prod"));
  }
}
