package dev.wharf.error;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wharf.blob.BlobStoreUnavailableException;
import dev.wharf.store.DatabaseUnavailable;
import dev.wharf.testing.TestingClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class UnavailableTest {
  private static final String BLOB_STORE_MESSAGE =
      "The service is temporarily unavailable: its blob storage cannot be reached. Retry later.";

  private final TestingClock clock = TestingClock.startingNow();
  private final Unavailable unavailable = new Unavailable(List.of(DatabaseUnavailable.CHECK, DatabaseUnavailable.FULL,
      BlobStoreUnavailableException.CHECK, Unavailable.LOCAL_DISK_FULL), clock);

  private Optional<String> message(Throwable failure) {
    return unavailable.reason(failure).map(Unavailable.Reason::message);
  }

  private Optional<Integer> status(Throwable failure) {
    return unavailable.reason(failure).map(Unavailable.Reason::status);
  }

  @Test
  void aLostDatabaseConnectionAmongTheCausesIsNamedWithTheDatabaseMessage() {
    RuntimeException failure = new RuntimeException("query failed", new SQLException("terminated", "08006"));

    assertThat(message(failure)).contains(DatabaseUnavailable.MESSAGE);
    assertThat(status(failure)).contains(503);
    assertThat(message(new SQLTransientConnectionException("pool timed out"))).contains(DatabaseUnavailable.MESSAGE);
    assertThat(message(new org.jdbi.v3.core.ConnectionException(new SQLException("pool closed"))))
        .contains(DatabaseUnavailable.MESSAGE);
  }

  @Test
  void anUnreachableBlobStoreAmongTheCausesIsNamedWithTheBlobStoreMessage() {
    RuntimeException failure = new UncheckedIOException(new BlobStoreUnavailableException("S3 down", null));

    assertThat(message(failure)).contains(BLOB_STORE_MESSAGE);
    assertThat(status(failure)).contains(503);
  }

  @Test
  void theDatabaseIsNamedFirstWhenBothAreInTheCauses() {
    RuntimeException failure = new UncheckedIOException(
        new BlobStoreUnavailableException("S3 down", new SQLException("admin shutdown", "57P01")));

    assertThat(message(failure)).contains(DatabaseUnavailable.MESSAGE);
  }

  @Test
  void aFullDatabaseIs507ForSqliteAndPostgresql() {
    SQLiteException sqlite = new SQLiteException("[SQLITE_FULL] Insertion failed because database is full"
        + " (database or disk is full)", SQLiteErrorCode.SQLITE_FULL);
    SQLException postgres = new SQLException("ERROR: could not extend file \"base/1/2\": No space left on device",
        "53100");

    for (Throwable failure : List.<Throwable>of(sqlite, postgres, new RuntimeException("insert failed", sqlite))) {
      Unavailable.Reason reason = unavailable.reason(failure).orElseThrow();
      assertThat(reason.status()).isEqualTo(507);
      assertThat(reason.store()).isEqualTo(Unavailable.Store.DATABASE);
      assertThat(reason.message()).isEqualTo(DatabaseUnavailable.FULL_MESSAGE);
    }
    assertThat(unavailable.reason(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY))).isEmpty();
  }

  @Test
  void aLocalDiskWithNoSpaceLeftOrOverItsQuotaIs507() {
    for (IOException full : List.of(new IOException("No space left on device"),
        new FileSystemException("/data/tmp/x.tmp", null, "No space left on device"),
        new IOException("Disk quota exceeded"))) {
      Unavailable.Reason reason = unavailable.reason(new UncheckedIOException(full)).orElseThrow();
      assertThat(reason.status()).isEqualTo(507);
      assertThat(reason.store()).isEqualTo(Unavailable.Store.FILES);
      assertThat(reason.cause()).isSameAs(full);
    }
    assertThat(unavailable.reason(new UncheckedIOException(new IOException("Input/output error")))).isEmpty();
  }

  @Test
  void wharfsOwnFailuresAreNotCalledUnavailable() {
    assertThat(unavailable.reason(new IllegalStateException("bug"))).isEmpty();
    assertThat(unavailable.reason(new RuntimeException(new SQLException("duplicate key", "23505")))).isEmpty();
    assertThat(unavailable.reason(new IllegalStateException("No space left on device"))).as("not an I/O failure")
        .isEmpty();
  }

  @Test
  void onlyTheFirstTwentyFailuresOfAChainAreLookedAt() {
    assertThat(message(wrapped(new SQLException("terminated", "08006"), 19))).contains(DatabaseUnavailable.MESSAGE);
    assertThat(message(wrapped(new SQLException("terminated", "08006"), 20))).isEmpty();
  }

  @Test
  void aFullStoreIsLoggedOnceAMinuteWithoutAStackTraceAndCountsTheRefusalsBetween() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(Unavailable.class);
    logger.addAppender(logs);
    try {
      RuntimeException full = new UncheckedIOException(new IOException("No space left on device"));
      for (int i = 0; i < 5; i++) {
        unavailable.report("r" + i, full);
        clock.advance(Duration.ofSeconds(10));
      }
      clock.advance(Duration.ofSeconds(20)); // 70 s after the first line
      unavailable.report("r5", full);
      unavailable.report("db", new SQLiteException("[SQLITE_FULL] database or disk is full",
          SQLiteErrorCode.SQLITE_FULL));

      List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
      assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
          first -> assertThat(first).isEqualTo("The local disk (blob store, uploads) is full; writes are answered 507"
              + " until space is freed, reads go on (request r0): No space left on device"),
          later -> assertThat(later).contains("(request r5; 4 more since the last line)"),
          database -> assertThat(database).startsWith("The database is full; writes are answered 507")
              .endsWith(": [SQLITE_FULL] database or disk is full"));
      assertThat(logs.list).noneMatch(e -> e.getThrowableProxy() != null);
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void aStoreIsReportedFullForAMinuteAfterAWriteToItWasRefused() {
    assertThat(unavailable.full()).isEmpty();

    unavailable.report("r", new UncheckedIOException(new IOException("No space left on device")));
    assertThat(unavailable.full()).containsExactly(Unavailable.Store.FILES);
    clock.advance(Unavailable.FULL_REPORTED_FOR);
    assertThat(unavailable.full()).containsExactly(Unavailable.Store.FILES);
    clock.advance(Duration.ofSeconds(1));
    assertThat(unavailable.full()).isEmpty();

    unavailable.report("u", new SQLException("terminated", "08006"));
    assertThat(unavailable.full()).as("unreachable is not full").isEmpty();
  }

  private static Throwable wrapped(Throwable cause, int times) {
    Throwable failure = cause;
    for (int i = 0; i < times; i++) {
      failure = new RuntimeException(failure);
    }
    return failure;
  }
}
