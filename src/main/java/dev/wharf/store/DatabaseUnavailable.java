package dev.wharf.store;

import dev.wharf.error.Unavailable;
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

  /** The database's check, for {@link Unavailable}. */
  public static final Unavailable.Check CHECK = new Unavailable.Check(DatabaseUnavailable::unreachable, MESSAGE);

  private DatabaseUnavailable() {}

  /** Whether this one throwable ({@link Unavailable} walks the causes) says the database could not be reached. */
  private static boolean unreachable(Throwable failure) {
    if (failure instanceof SQLTransientConnectionException || failure instanceof SQLNonTransientConnectionException
        || failure instanceof org.jdbi.v3.core.ConnectionException) {
      return true;
    }
    if (failure instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      // 08xxx: connection exceptions; 57P01-57P03: administrator/crash shutdown, cannot connect now
      return state.startsWith("08") || state.startsWith("57P0");
    }
    return false;
  }
}
