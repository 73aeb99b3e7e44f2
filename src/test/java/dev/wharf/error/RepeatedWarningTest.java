package dev.wharf.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RepeatedWarningTest {
  private final TestingClock clock = TestingClock.startingNow();
  private final RepeatedWarning warning = new RepeatedWarning(Duration.ofMinutes(1), clock);

  @Test
  void theFirstOccurrenceIsDueThenOneAMinuteWithTheCountInBetween() {
    assertThat(warning.due()).isEqualTo(OptionalLong.of(0));
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(15));
      assertThat(warning.due()).isEmpty();
    }
    clock.advance(Duration.ofSeconds(15));
    assertThat(warning.due()).isEqualTo(OptionalLong.of(3));
    assertThat(warning.due()).isEmpty();
    assertThat(RepeatedWarning.more(0)).isEmpty();
    assertThat(RepeatedWarning.more(3)).isEqualTo("; 3 more since the last line");
  }

  @Test
  void aFailureIsDescribedByItsInnermostCauseOnOneShortLine() {
    assertThat(RepeatedWarning.describe(new RuntimeException("outer", new UncheckedIOException(
        new IOException("/data/tmp/x.tmp: No space left on device"))))).isEqualTo("/data/tmp/x.tmp: No space left on device");
    assertThat(RepeatedWarning.describe(new SQLException("ERROR: could not extend file \"base/1/2\": No space left"
        + " on device\n  Hint: Check free disk space."))).isEqualTo("ERROR: could not extend file \"base/1/2\": No"
        + " space left on device Hint: Check free disk space.");
    assertThat(RepeatedWarning.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(RepeatedWarning.describe(new IOException("x".repeat(1000)))).hasSize(303).endsWith("...");
  }

  @Test
  void aBatchIsDescribedByTheFailureItReportsNextNotTheStatementItQuotes() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO audit_events VALUES ('secret-ish"
        + " values') was aborted", new int[0]);
    batch.setNextException(new SQLException("ERROR: could not extend file: No space left on device", "53100"));

    assertThat(RepeatedWarning.describe(new RuntimeException(batch)))
        .isEqualTo("ERROR: could not extend file: No space left on device");
  }
}
