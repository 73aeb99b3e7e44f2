package dev.wharf.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a failure to reach the database (down, restarting, connections terminated, pool timed out)
 * from other failures, so endpoints answer 503 "try again" in their protocol's shape instead of a
 * 500. The pool replaces broken connections by itself, so requests succeed again as soon as the
 * database is back, without restarting Wharf.
 */
public final class DatabaseUnavailable {
  /** The message clients see. */
  public static final String MESSAGE = "The service is temporarily unavailable: its database cannot be reached. Retry later.";

  private DatabaseUnavailable() {}

  /** Whether {@code failure} or one of its causes says the database could not be reached. */
  public static boolean causedBy(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof org.jdbi.v3.core.ConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08xxx: connection exceptions; 57P01-57P03: administrator/crash shutdown, cannot connect now
        if (state.startsWith("08") || state.startsWith("57P0")) {
          return true;
        }
      }
    }
    return false;
  }
}
