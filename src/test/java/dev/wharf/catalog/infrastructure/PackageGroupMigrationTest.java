package dev.wharf.catalog.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.catalog.PackageGroupStore;
import dev.wharf.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class PackageGroupMigrationTest {
  @TempDir Path directory;

  @Test
  void aDomainMadeBeforePackageGroupsGetsItsRootGroupFromTheMigration() {
    String url = "jdbc:sqlite:" + directory.resolve("old.db");
    SQLiteDataSource old = new SQLiteDataSource();
    old.setUrl(url);
    Flyway.configure().dataSource(old).locations("classpath:db/migration").table(Database.SCHEMA_HISTORY_TABLE)
        .target("21").load().migrate();
    org.jdbi.v3.core.Jdbi.create(old).useHandle(h -> {
      h.execute("INSERT INTO accounts (account_id, name, management, created_at) VALUES ('111122223333', 'a', 1, 0)");
      h.execute("INSERT INTO domains (owner, name, encryption_key, created_at) VALUES ('111122223333', 'legacy', 'k',"
          + " 1700000000000)");
    });

    try (Database database = Database.open(url)) {
      PackageGroupStore.GroupRow root = new SqlPackageGroupStore(database).find("111122223333", "legacy", "/*")
          .orElseThrow();
      assertThat(root.createdAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
      assertThat(root.modes().values()).allMatch(mode -> mode.name().equals("ALLOW")).hasSize(3);
    }
  }
}
