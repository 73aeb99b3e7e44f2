package dev.wharf.token.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;

class PostgresTokenStoreTest extends TokenStoreContract {
  @Override
  protected Database openDatabase() {
    return TestingDatabases.postgres();
  }
}
