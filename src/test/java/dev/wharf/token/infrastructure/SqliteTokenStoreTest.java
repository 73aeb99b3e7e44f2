package dev.wharf.token.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteTokenStoreTest extends TokenStoreContract {
  @TempDir Path directory;

  @Override
  protected Database openDatabase() {
    return TestingDatabases.sqlite(directory);
  }
}
