package dev.wharf.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingDatabases;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir Path directory;

  @Test
  void theLatestSchemaVersionNamesTheNewestMigrationShipped() throws IOException, URISyntaxException {
    Path migrations = Path.of(Database.class.getResource("/db/migration").toURI());
    Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
    int newest;
    try (Stream<Path> files = Files.list(migrations)) {
      newest = files.map(f -> version.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
    }
    assertThat(Database.LATEST_SCHEMA_VERSION).isEqualTo(newest);
  }

  @Test
  void aFreshDatabaseIsMigratedToTheLatestVersionAndReopensWithoutMigrating() {
    try (Database first = TestingDatabases.sqlite(directory)) {
      assertThat(Database.schemaVersion(first.dataSource())).isEqualTo(Database.LATEST_SCHEMA_VERSION);
      assertThat(first.isReachable()).isTrue();
    }
    try (Database again = TestingDatabases.sqlite(directory)) {
      assertThat(Database.schemaVersion(again.dataSource())).isEqualTo(Database.LATEST_SCHEMA_VERSION);
    }
  }

  @Test
  void aPostgresDatabaseIsMigratedToo() {
    try (Database database = TestingDatabases.postgres()) {
      assertThat(Database.schemaVersion(database.dataSource())).isEqualTo(Database.LATEST_SCHEMA_VERSION);
    }
  }
}
