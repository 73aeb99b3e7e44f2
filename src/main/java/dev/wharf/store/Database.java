package dev.wharf.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The metadata database: a pooled connection to SQLite (single node, the default) or PostgreSQL
 * (clusters), with the schema brought up to date by Flyway at start. One schema serves both: the
 * migrations use only SQL that both accept (TEXT, BIGINT, INTEGER, ON CONFLICT upserts).
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Dialect dialect;

  /** Which engine is behind the URL; a few statements differ. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.jdbi = Jdbi.create(dataSource);
    if (dialect == Dialect.SQLITE) {
      jdbi.setTransactionHandler(new SqliteWriteQueue(jdbi.getTransactionHandler()));
    }
  }

  /** Opens the database and runs pending migrations (PostgreSQL serializes concurrent starts with a lock). */
  public static Database open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    HikariConfig config = new HikariConfig();
    config.setPoolName("wharf-db");
    Dialect dialect;
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      dialect = Dialect.SQLITE;
      config.setJdbcUrl(jdbcUrl);
      // WAL lets readers run beside the single writer; busy_timeout makes writers queue instead of failing.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "15000");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      config.setMaximumPoolSize(8);
    } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
      config.setJdbcUrl(jdbcUrl);
      config.setMaximumPoolSize(16);
    } else {
      throw new IllegalArgumentException("unsupported database URL (want jdbc:sqlite: or jdbc:postgresql:)");
    }
    config.setConnectionTimeout(10_000);
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      migrate(dataSource);
      return new Database(dataSource, dialect);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * The newest migration shipped in db/migration (SQL files, and Java classes in the package {@code db.migration});
   * bump it with every new one (a test checks).
   */
  public static final int LATEST_SCHEMA_VERSION = 23;

  /** Flyway's history table: written by migrations only. */
  public static final String SCHEMA_HISTORY_TABLE = "wharf_schema_history";

  /**
   * Brings the schema up to date. When the history table already records the newest version,
   * Flyway is not loaded at all: it costs a second of start-up and has nothing to do.
   */
  private static void migrate(DataSource dataSource) {
    if (schemaVersion(dataSource) == LATEST_SCHEMA_VERSION) {
      return;
    }
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .table(SCHEMA_HISTORY_TABLE)
        .load()
        .migrate();
  }

  /** The highest successfully applied migration version, or -1 when there is none (or no history table yet). */
  static int schemaVersion(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return schemaVersion(connection);
    } catch (SQLException noConnection) {
      return -1;
    }
  }

  /** Like {@link #schemaVersion(DataSource)}, over a connection the caller holds (e.g. a backup's snapshot). */
  public static int schemaVersion(Connection connection) {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT version FROM " + SCHEMA_HISTORY_TABLE + " WHERE success")) {
      int highest = -1;
      while (result.next()) {
        try {
          highest = Math.max(highest, Integer.parseInt(result.getString(1)));
        } catch (NumberFormatException notNumbered) {
          // a repeatable or baseline row: not a version
        }
      }
      return highest;
    } catch (SQLException noHistoryYet) {
      return -1;
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Publishes the pool's gauges and timers ({@code hikaricp_connections_*{pool="wharf-db"}}: active, idle,
   * pending, timeouts, acquire and usage times) to {@code registry}; once per pool.
   */
  public void meterPool(io.micrometer.core.instrument.MeterRegistry registry) {
    dataSource.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
  }

  public Dialect dialect() {
    return dialect;
  }

  /** True when the database answers a trivial query (readiness). */
  public boolean isReachable() {
    try {
      return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
