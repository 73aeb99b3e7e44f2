package dev.wharf.identity.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteIdentityStoreTest extends IdentityStoreContract {
  @TempDir Path directory;

  @Override
  protected Database openDatabase() {
    return TestingDatabases.sqlite(directory);
  }

  @Override
  protected String freshDatabaseUrl() {
    return "jdbc:sqlite:" + directory.resolve("fresh.db");
  }
}
