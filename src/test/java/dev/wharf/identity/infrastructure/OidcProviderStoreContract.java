package dev.wharf.identity.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.identity.Account;
import dev.wharf.identity.oidc.OidcProvider;
import dev.wharf.identity.oidc.OidcProviderStore;
import dev.wharf.identity.oidc.OidcProviderStore.InsertOutcome;
import dev.wharf.store.Database;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link OidcProviderStore} must have; run against SQLite and PostgreSQL. */
abstract class OidcProviderStoreContract {
  private static final String ACCOUNT = "111122223333";
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

  private Database database;
  private OidcProviderStore store;

  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    database = openDatabase();
    new SqlIdentityStore(database).insertAccount(new Account(ACCOUNT, "main", true, NOW));
    new SqlIdentityStore(database).insertAccount(new Account("444455556666", "other", false, NOW));
    store = new SqlOidcProviderStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static OidcProvider provider(String account, String url) {
    return new OidcProvider(account, url, List.of("sts.amazonaws.com", "other"), List.of("a".repeat(40)), NOW);
  }

  @Test
  void aProviderIsStoredOnceWithItsListsInOrder() {
    OidcProvider provider = provider(ACCOUNT, "token.actions.githubusercontent.com");
    assertThat(store.insert(provider, 100)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(provider, 100)).isEqualTo(InsertOutcome.ALREADY_EXISTS);
    assertThat(store.find(provider.arn())).contains(provider);
  }

  @Test
  void theSameIssuerMayBeRegisteredInTwoAccounts() {
    assertThat(store.insert(provider(ACCOUNT, "gitlab.com"), 100)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(provider("444455556666", "gitlab.com"), 100)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.list(ACCOUNT)).extracting(OidcProvider::accountId).containsExactly(ACCOUNT);
  }

  @Test
  void theAccountLimitIsKept() {
    assertThat(store.insert(provider(ACCOUNT, "a.example"), 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(provider(ACCOUNT, "b.example"), 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(provider(ACCOUNT, "c.example"), 2)).isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.list(ACCOUNT)).extracting(OidcProvider::url).containsExactly("a.example", "b.example");
  }

  @Test
  void updatesReplaceTheListsAndDeletesRemove() {
    OidcProvider provider = provider(ACCOUNT, "issuer.example/tenant");
    store.insert(provider, 100);
    OidcProvider changed = provider.withClientIds(List.of("x")).withThumbprints(List.of());
    assertThat(store.update(changed)).isTrue();
    assertThat(store.find(provider.arn())).contains(changed);
    assertThat(store.delete(provider.arn())).isTrue();
    assertThat(store.delete(provider.arn())).isFalse();
    assertThat(store.update(changed)).isFalse();
    assertThat(store.find(provider.arn())).isEmpty();
  }
}
