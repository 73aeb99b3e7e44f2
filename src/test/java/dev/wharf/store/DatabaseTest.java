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
    // SQL files and Java migrations (compiled into the same folder of the class path)
    Pattern version = Pattern.compile("V(\\d+)__.*\\.(sql|class)");
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
  void sqliteWriteTransactionsFromManyThreadsAllCommitAndNestedOnesJoinTheirOuterOne() throws Exception {
    try (Database database = TestingDatabases.sqlite(directory)) {
      database.jdbi().useHandle(h -> h.execute("CREATE TABLE counter (n INTEGER NOT NULL)"));
      database.jdbi().useHandle(h -> h.execute("INSERT INTO counter (n) VALUES (0)"));
      int threads = 32;
      int each = 50;
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (int t = 0; t < threads; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < each; i++) {
              database.jdbi().useTransaction(h -> {
                int n = h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one();
                h.useTransaction(inner -> inner.createUpdate("UPDATE counter SET n = :n").bind("n", n + 1).execute());
              });
            }
            return null;
          }));
        }
        for (var future : done) {
          future.get();
        }
      }
      // read-then-write in one transaction: any interleaving would lose increments
      int total = database.jdbi().withHandle(h -> h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one());
      assertThat(total).isEqualTo(threads * each);
    }
  }

  @Test
  void aPostgresDatabaseIsMigratedToo() {
    try (Database database = TestingDatabases.postgres()) {
      assertThat(Database.schemaVersion(database.dataSource())).isEqualTo(Database.LATEST_SCHEMA_VERSION);
    }
  }
}
