package dev.wharf.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Runs a background task on at most one node at a time: on PostgreSQL under a session advisory
 * lock taken without waiting (a node that does not get it skips this round), on SQLite (a single
 * node) directly. The lock goes with its connection, so a node that dies mid-task releases it.
 */
public final class ClusterLock {
  private final Database database;
  private final long key;

  /** @param key the advisory lock key, one per kind of task */
  public ClusterLock(Database database, long key) {
    this.database = Objects.requireNonNull(database, "database");
    this.key = key;
  }

  /** The work to do under the lock. */
  @FunctionalInterface
  public interface Task<E extends Exception> {
    void run() throws E;
  }

  /**
   * Runs {@code task} if no other node holds the lock.
   *
   * @return false when another node holds it (the task did not run)
   */
  public <E extends Exception> boolean runIfFree(Task<E> task) throws E, SQLException {
    if (database.dialect() != Database.Dialect.POSTGRESQL) {
      task.run();
      return true;
    }
    try (Connection connection = database.dataSource().getConnection()) {
      if (!call(connection, "SELECT pg_try_advisory_lock(?)")) {
        return false;
      }
      try {
        task.run();
        return true;
      } finally {
        call(connection, "SELECT pg_advisory_unlock(?)");
      }
    }
  }

  private boolean call(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, key);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
