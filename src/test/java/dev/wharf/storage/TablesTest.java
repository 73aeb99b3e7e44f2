package dev.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table discovery, dependency order and the row copy, on SQLite and PostgreSQL. */
class TablesTest {
  @TempDir Path scratch;

  @Test
  void sqliteTablesComeAfterTheTablesTheyReference() throws Exception {
    try (Database database = TestingDatabases.sqlite(scratch)) {
      checkOrder(database);
    }
  }

  @Test
  void postgresqlTablesComeAfterTheTablesTheyReference() throws Exception {
    try (Database database = TestingDatabases.postgres()) {
      checkOrder(database);
    }
  }

  @Test
  void rowsReadFromOneDatabaseAreInsertedIntoAnotherAndAKeyAlreadyThereIsSkipped() throws Exception {
    try (Database from = TestingDatabases.sqlite(scratch); Database to = TestingDatabases.postgres()) {
      from.jdbi().useHandle(h -> {
        h.execute("INSERT INTO accounts (account_id, name, management, created_at) VALUES ('111111111111', 'a', 1, 5)");
        h.execute("INSERT INTO accounts (account_id, name, management, created_at) VALUES ('222222222222', 'b', 0, 6)");
      });
      to.jdbi().useHandle(h -> h.execute(
          "INSERT INTO accounts (account_id, name, management, created_at) VALUES ('111111111111', 'a', 1, 5)"));
      try (Connection source = Tables.openSnapshot(databaseUrl(scratch)); Connection target = to.dataSource().getConnection()) {
        Tables.Table accounts = Tables.list(target).stream().filter(t -> t.name().equals("accounts")).findFirst().orElseThrow();
        List<Object[]> rows = new ArrayList<>();
        Tables.read(source, accounts, rows::add);
        assertThat(rows).hasSize(2);
        try (Tables.Inserter inserter = new Tables.Inserter(target, accounts)) {
          for (Object[] row : rows) {
            inserter.add(row);
          }
        }
        assertThat(Tables.count(target, accounts)).isEqualTo(2);
        long createdAt = to.jdbi().withHandle(h -> h.createQuery("SELECT created_at FROM accounts WHERE name = 'b'")
            .mapTo(Long.class).one());
        assertThat(createdAt).isEqualTo(6L);
      }
    }
  }

  @Test
  void aMissingSqliteFileIsRefusedRatherThanCreated() {
    Path missing = scratch.resolve("nothing.db");
    assertThatThrownBy(() -> Tables.openSnapshot("jdbc:sqlite:" + missing)).hasMessageContaining("no database file");
    assertThat(missing).doesNotExist();
  }

  private static String databaseUrl(Path directory) {
    return "jdbc:sqlite:" + directory.resolve("test.db");
  }

  private static void checkOrder(Database database) throws Exception {
    try (Connection connection = database.dataSource().getConnection()) {
      List<String> names = Tables.list(connection).stream().map(Tables.Table::name).toList();
      assertThat(names).doesNotContain("wharf_schema_history").contains("wharf_settings", "audit_events");
      assertThat(names.indexOf("accounts")).isLessThan(names.indexOf("iam_users"));
      assertThat(names.indexOf("managed_policies")).isLessThan(names.indexOf("policy_attachments"));
      assertThat(names.indexOf("domains")).isLessThan(names.indexOf("repositories"));
      assertThat(names.indexOf("repositories")).isLessThan(names.indexOf("repository_upstreams"));
      assertThat(names.indexOf("packages")).isLessThan(names.indexOf("package_versions"));
      assertThat(names.indexOf("package_versions")).isLessThan(names.indexOf("package_assets"));
      assertThat(Database.schemaVersion(connection)).isEqualTo(Database.LATEST_SCHEMA_VERSION);
    }
  }
}
