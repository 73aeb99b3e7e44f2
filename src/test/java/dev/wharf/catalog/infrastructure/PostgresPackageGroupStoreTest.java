package dev.wharf.catalog.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;

class PostgresPackageGroupStoreTest extends PackageGroupStoreContract {
  @Override
  protected Database openDatabase() {
    return TestingDatabases.postgres();
  }
}
