package dev.wharf.testing;


import dev.wharf.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** Fresh databases for tests: a SQLite file, or a new schema in the PostgreSQL that CI provides. */
public final class TestingDatabases {
  public static final String POSTGRES_URL_VARIABLE = "WHARF_TEST_POSTGRES_URL";
  private static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private static final java.util.Set<String> SCHEMAS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    // Drop the schemas this JVM made, so repeated runs do not pile them up in the shared database.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      String base = System.getenv().getOrDefault(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL);
      try (Connection connection = DriverManager.getConnection(base)) {
        for (String schema : SCHEMAS) {
          connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      } catch (SQLException e) {
        // best effort: the schemas are empty test data
      }
    }));
  }

  private TestingDatabases() {}

  public static Database sqlite(Path directory) {
    return Database.open("jdbc:sqlite:" + directory.resolve("test.db"));
  }

  /** The JDBC URL of a fresh, empty PostgreSQL schema; skips (or fails under WHARF_REQUIRE_CLIENTS=1) without PostgreSQL. */
  public static String freshPostgresUrl() {
    String base = System.getenv().getOrDefault(POSTGRES_URL_VARIABLE, DEFAULT_POSTGRES_URL);
    String schema = "wharf_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(base)) {
      connection.createStatement().execute("CREATE SCHEMA " + schema);
      SCHEMAS.add(schema);
    } catch (SQLException e) {
      TestingClients.missing("PostgreSQL at " + base + " (" + e.getMessage() + ")");
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public static Database postgres() {
    return Database.open(freshPostgresUrl());
  }

}
