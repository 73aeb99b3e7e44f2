package dev.wharf.storage;

import dev.wharf.store.Database;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tables of a Wharf database as JDBC sees them, in dependency order (a table after every table
 * its foreign keys point at), and the few statements that copying needs. Works on SQLite and
 * PostgreSQL alike: every column is TEXT or an integer type, so a value is a {@link String} or a
 * {@link Long}.
 */
public final class Tables {
  /** Flyway's history table: written by migrations, never copied. */
  static final String HISTORY = Database.SCHEMA_HISTORY_TABLE;

  private Tables() {}

  /** One column; {@code integer} when it holds whole numbers (INTEGER, BIGINT), else text. */
  public record Column(String name, boolean integer) {}

  /** One table with its columns in declaration order. */
  public record Table(String name, List<Column> columns) {
    String columnList() {
      return String.join(", ", columns.stream().map(Column::name).toList());
    }
  }

  /**
   * Opens a connection that sees one consistent snapshot until it is closed: a deferred read
   * transaction on SQLite (the WAL snapshot is taken at its first read; writers are not blocked),
   * a REPEATABLE READ read-only transaction on PostgreSQL.
   */
  public static Connection openSnapshot(String jdbcUrl) throws SQLException {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      String file = jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", "");
      if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(file))) {
        throw new SQLException("no database file " + file); // opening would create an empty one
      }
    }
    Connection connection = DriverManager.getConnection(jdbcUrl);
    try {
      if (jdbcUrl.startsWith("jdbc:sqlite:")) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("PRAGMA busy_timeout = 15000");
        }
        connection.setAutoCommit(false); // sqlite-jdbc begins a DEFERRED transaction
      } else {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
      }
      try (Statement statement = connection.createStatement();
          ResultSet ignored = statement.executeQuery("SELECT COUNT(*) FROM " + HISTORY)) {
        // the first read fixes the snapshot
      }
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** Every Wharf table but the migration history, each after the tables it references. */
  public static List<Table> list(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String schema = connection.getSchema();
    Map<String, Table> tables = new TreeMap<>();
    try (ResultSet result = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
      while (result.next()) {
        String name = result.getString("TABLE_NAME");
        if (!name.startsWith("sqlite_") && !name.equalsIgnoreCase(HISTORY)) {
          tables.put(name, null);
        }
      }
    }
    Map<String, Set<String>> references = new LinkedHashMap<>();
    for (String name : new ArrayList<>(tables.keySet())) {
      List<Column> columns = new ArrayList<>();
      try (ResultSet result = meta.getColumns(null, schema, name, "%")) {
        while (result.next()) {
          int type = result.getInt("DATA_TYPE");
          boolean integer = type == Types.INTEGER || type == Types.BIGINT || type == Types.SMALLINT
              || type == Types.TINYINT;
          columns.add(new Column(result.getString("COLUMN_NAME"), integer));
        }
      }
      tables.put(name, new Table(name, List.copyOf(columns)));
      Set<String> referenced = new TreeSet<>();
      try (ResultSet result = meta.getImportedKeys(null, schema, name)) {
        while (result.next()) {
          String target = result.getString("PKTABLE_NAME");
          if (!target.equals(name)) {
            referenced.add(target);
          }
        }
      }
      references.put(name, referenced);
    }
    Set<String> ordered = new LinkedHashSet<>();
    while (ordered.size() < tables.size()) {
      boolean progressed = false;
      for (String name : tables.keySet()) {
        if (!ordered.contains(name) && ordered.containsAll(references.get(name).stream()
            .filter(tables::containsKey).toList())) {
          ordered.add(name);
          progressed = true;
        }
      }
      if (!progressed) {
        throw new IllegalStateException("the tables' foreign keys form a cycle; cannot order them");
      }
    }
    return ordered.stream().map(tables::get).toList();
  }

  /** The number of rows in a table. */
  public static long count(Connection connection, Table table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table.name())) {
      result.next();
      return result.getLong(1);
    }
  }

  /** Receives rows, each as values in the table's column order. */
  @FunctionalInterface
  public interface RowSink {
    void accept(Object[] row) throws Exception;
  }

  /** Reads every row of a table (in primary-key order where there is one, for stable dumps). */
  public static void read(Connection connection, Table table, RowSink sink) throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.setFetchSize(500);
      try (ResultSet result = statement.executeQuery("SELECT " + table.columnList() + " FROM " + table.name())) {
        int n = table.columns().size();
        while (result.next()) {
          Object[] row = new Object[n];
          for (int i = 0; i < n; i++) {
            if (table.columns().get(i).integer()) {
              long value = result.getLong(i + 1);
              row[i] = result.wasNull() ? null : value;
            } else {
              row[i] = result.getString(i + 1);
            }
          }
          sink.accept(row);
        }
      }
    }
  }

  /**
   * Inserts rows in batches, skipping any whose key is already there (so a second run of an
   * interrupted copy adds only what is missing). The caller commits.
   */
  public static final class Inserter implements AutoCloseable {
    private static final int BATCH = 500;
    private final Table table;
    private final PreparedStatement statement;
    private int pending;

    public Inserter(Connection connection, Table table) throws SQLException {
      this.table = table;
      String marks = String.join(", ", table.columns().stream().map(c -> "?").toList());
      this.statement = connection.prepareStatement("INSERT INTO " + table.name() + " (" + table.columnList()
          + ") VALUES (" + marks + ") ON CONFLICT DO NOTHING");
    }

    public void add(Object[] row) throws SQLException {
      for (int i = 0; i < row.length; i++) {
        Column column = table.columns().get(i);
        Object value = row[i];
        if (value == null) {
          statement.setNull(i + 1, column.integer() ? Types.BIGINT : Types.VARCHAR);
        } else if (column.integer()) {
          statement.setLong(i + 1, value instanceof Number number ? number.longValue() : Long.parseLong(value.toString()));
        } else {
          statement.setString(i + 1, value.toString());
        }
      }
      statement.addBatch();
      if (++pending == BATCH) {
        flush();
      }
    }

    private void flush() throws SQLException {
      if (pending > 0) {
        statement.executeBatch();
        pending = 0;
      }
    }

    @Override
    public void close() throws SQLException {
      try {
        flush();
      } finally {
        statement.close();
      }
    }
  }

  /** The SHA-256 of every blob the package tables refer to. */
  public static Set<String> referencedBlobs(Connection connection) throws SQLException {
    Set<String> blobs = new TreeSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT DISTINCT sha256 FROM package_assets")) {
      while (result.next()) {
        blobs.add(result.getString(1));
      }
    }
    return blobs;
  }
}
