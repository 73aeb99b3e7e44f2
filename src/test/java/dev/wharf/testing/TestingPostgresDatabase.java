package dev.wharf.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * A PostgreSQL database of its own on the shared test server, for tests that take their database
 * away (connections refused, backends terminated) without touching anyone else's; dropped on close,
 * after the server started on it.
 */
public final class TestingPostgresDatabase implements AutoCloseable {
  private final String adminUrl;
  private final String name;
  private final String url;
  private TestingServer server;
  private String tablespace;

  private TestingPostgresDatabase(String adminUrl, String name, String url) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = url;
  }

  /** Creates a database named {@code prefix} plus a random suffix; skips or fails as TestingDatabases does without PostgreSQL. */
  public static TestingPostgresDatabase create(String prefix) throws SQLException {
    String schemaUrl = TestingDatabases.freshPostgresUrl();
    int schema = schemaUrl.indexOf("&currentSchema=") > 0 ? schemaUrl.indexOf("&currentSchema=")
        : schemaUrl.indexOf("?currentSchema=");
    String adminUrl = schemaUrl.substring(0, schema);
    String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    URI base = URI.create(adminUrl.substring("jdbc:".length()));
    String url = "jdbc:postgresql://" + base.getHost() + ":" + (base.getPort() < 0 ? 5432 : base.getPort()) + "/" + name
        + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery());
    TestingPostgresDatabase database = new TestingPostgresDatabase(adminUrl, name, url);
    database.admin("CREATE DATABASE " + name);
    return database;
  }

  /** The JDBC URL a server uses (WHARF_DATABASE_URL). */
  public String url() {
    return url;
  }

  /** Starts a server on this database (closed with it). */
  public TestingServer startServer(java.nio.file.Path data) {
    server = TestingServer.start(data, java.time.Clock.systemUTC(), java.util.Map.of("WHARF_DATABASE_URL", url));
    return server;
  }

  /**
   * Creates a tablespace at {@code location} and makes it this database's default, so the tables a server then
   * creates live there (e.g. on a small file system a test fills); dropped on close, after the database. The
   * location must be a directory on PostgreSQL's machine that its server may write (owned by its user).
   */
  public void placeTablesIn(java.nio.file.Path location) throws SQLException {
    String name = this.name + "_space";
    admin("CREATE TABLESPACE " + name + " LOCATION '" + location + "'");
    tablespace = name;
    admin("ALTER DATABASE " + this.name + " SET default_tablespace = " + name);
  }

  /** New connections are refused until {@link #allowConnections}. */
  public void refuseConnections() throws SQLException {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
  }

  public void allowConnections() throws SQLException {
    admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  /** Ends every open connection to the database, as a restart does. */
  public void terminateConnections() throws SQLException {
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
  }

  @Override
  public void close() throws SQLException {
    if (server != null) {
      server.close();
    }
    allowConnections();
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    if (tablespace != null) {
      admin("DROP TABLESPACE IF EXISTS " + tablespace);
    }
  }

  private void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl)) {
      connection.createStatement().execute(sql);
    }
  }
}
