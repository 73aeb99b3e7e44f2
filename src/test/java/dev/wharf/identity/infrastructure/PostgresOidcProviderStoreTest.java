package dev.wharf.identity.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;

class PostgresOidcProviderStoreTest extends OidcProviderStoreContract {
  @Override
  protected Database openDatabase() {
    return TestingDatabases.postgres();
  }
}
