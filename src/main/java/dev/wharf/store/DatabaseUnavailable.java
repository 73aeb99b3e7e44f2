package dev.wharf.store;

import dev.wharf.error.Unavailable;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a failure to reach the database (down, restarting, connections terminated, pool timed out)
 * from other failures, so endpoints answer 503 "try again" in their protocol's shape instead of a
 * 500. The pool replaces broken connections by itself, so requests succeed again as soon as the
 * database is back, without restarting Wharf. Likewise a database whose disk is full (SQLite's
 * {@code SQLITE_FULL}, PostgreSQL's {@code disk_full}): 507, and the next write after space is
 * freed succeeds (the failed transaction was rolled back; the connection stays usable).
 */
public final class DatabaseUnavailable {
  /** The message clients see. */
  public static final String MESSAGE = "The service is temporarily unavailable: its database cannot be reached. Retry later.";

  /** The database's check, for {@link Unavailable}. */
  public static final Unavailable.Check CHECK = new Unavailable.Check(DatabaseUnavailable::unreachable,
      Unavailable.Store.DATABASE, Unavailable.Condition.UNREACHABLE, MESSAGE);

  /** The message clients see when the database's disk is full. */
  public static final String FULL_MESSAGE = "The service cannot store this now: its database's disk is full. Retry once"
      + " space has been freed.";

  /** The check of a full database, for {@link Unavailable}. */
  public static final Unavailable.Check FULL = new Unavailable.Check(DatabaseUnavailable::full,
      Unavailable.Store.DATABASE, Unavailable.Condition.FULL, FULL_MESSAGE);

  /** SQLite's primary result code SQLITE_FULL ("database or disk is full"). */
  private static final int SQLITE_FULL = 13;

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

  /**
   * Whether this one throwable says the database's disk (or its size limit) is full: SQLite's {@code SQLITE_FULL},
   * which sqlite-jdbc reports as the error code (with extended codes, in its low byte), or PostgreSQL's SQLSTATE
   * 53100 {@code disk_full} ("could not extend file ...: No space left on device").
   */
  private static boolean full(Throwable failure) {
    if (failure instanceof org.sqlite.SQLiteException sqlite) {
      return (sqlite.getResultCode().code & 0xff) == SQLITE_FULL;
    }
    return failure instanceof SQLException sql && "53100".equals(sql.getSQLState());
  }
}
