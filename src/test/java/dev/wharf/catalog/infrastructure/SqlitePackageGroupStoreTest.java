package dev.wharf.catalog.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqlitePackageGroupStoreTest extends PackageGroupStoreContract {
  @TempDir Path directory;

  @Override
  protected Database openDatabase() {
    return TestingDatabases.sqlite(directory);
  }
}
