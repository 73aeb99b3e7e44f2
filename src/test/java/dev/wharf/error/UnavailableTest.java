package dev.wharf.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.blob.BlobStoreUnavailableException;
import dev.wharf.store.DatabaseUnavailable;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnavailableTest {
  private static final String BLOB_STORE_MESSAGE =
      "The service is temporarily unavailable: its blob storage cannot be reached. Retry later.";

  private final Unavailable unavailable =
      new Unavailable(List.of(DatabaseUnavailable.CHECK, BlobStoreUnavailableException.CHECK));

  @Test
  void aLostDatabaseConnectionAmongTheCausesIsNamedWithTheDatabaseMessage() {
    RuntimeException failure = new RuntimeException("query failed", new SQLException("terminated", "08006"));

    assertThat(unavailable.reason(failure)).contains(DatabaseUnavailable.MESSAGE);
    assertThat(unavailable.reason(new SQLTransientConnectionException("pool timed out")))
        .contains(DatabaseUnavailable.MESSAGE);
    assertThat(unavailable.reason(new org.jdbi.v3.core.ConnectionException(new SQLException("pool closed"))))
        .contains(DatabaseUnavailable.MESSAGE);
  }

  @Test
  void anUnreachableBlobStoreAmongTheCausesIsNamedWithTheBlobStoreMessage() {
    RuntimeException failure = new UncheckedIOException(new BlobStoreUnavailableException("S3 down", null));

    assertThat(unavailable.reason(failure)).contains(BLOB_STORE_MESSAGE);
  }

  @Test
  void theDatabaseIsNamedFirstWhenBothAreInTheCauses() {
    RuntimeException failure = new UncheckedIOException(
        new BlobStoreUnavailableException("S3 down", new SQLException("admin shutdown", "57P01")));

    assertThat(unavailable.reason(failure)).contains(DatabaseUnavailable.MESSAGE);
  }

  @Test
  void wharfsOwnFailuresAreNotCalledUnavailable() {
    assertThat(unavailable.reason(new IllegalStateException("bug"))).isEmpty();
    assertThat(unavailable.reason(new RuntimeException(new SQLException("duplicate key", "23505")))).isEmpty();
  }

  @Test
  void onlyTheFirstTwentyFailuresOfAChainAreLookedAt() {
    assertThat(unavailable.reason(wrapped(new SQLException("terminated", "08006"), 19)))
        .contains(DatabaseUnavailable.MESSAGE);
    assertThat(unavailable.reason(wrapped(new SQLException("terminated", "08006"), 20))).isEmpty();
  }

  private static Throwable wrapped(Throwable cause, int times) {
    Throwable failure = cause;
    for (int i = 0; i < times; i++) {
      failure = new RuntimeException(failure);
    }
    return failure;
  }
}
