package dev.wharf.packages.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;

class PostgresPackageStoreTest extends PackageStoreContract {
  @Override
  protected Database openDatabase() {
    return TestingDatabases.postgres();
  }

  @Override
  protected String freshDatabaseUrl() {
    return TestingDatabases.freshPostgresUrl();
  }
}
