package dev.wharf.identity.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;

class PostgresIdentityStoreTest extends IdentityStoreContract {
  @Override
  protected Database openDatabase() {
    return TestingDatabases.postgres();
  }

  @Override
  protected String freshDatabaseUrl() {
    return TestingDatabases.freshPostgresUrl();
  }
}
