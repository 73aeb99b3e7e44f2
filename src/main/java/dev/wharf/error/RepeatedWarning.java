package dev.wharf.error;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Keeps a failure that repeats (a full disk, a database that is down) from flooding the log: the first occurrence is
 * due a warning, then at most one a {@code interval}, which says how many occurred in between. Lines name the
 * failure by {@link #describe}, never with a stack trace.
 */
public final class RepeatedWarning {
  /** The interval of Wharf's repeated warnings. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private static final int MAX_DESCRIPTION = 300;

  private final Duration interval;
  private final Clock clock;
  private Instant lastWarned;
  private long since;

  /** Warnings at most once a {@link #INTERVAL}, on the system clock. */
  public RepeatedWarning() {
    this(INTERVAL, Clock.systemUTC());
  }

  public RepeatedWarning(Duration interval, Clock clock) {
    this.interval = Objects.requireNonNull(interval, "interval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Counts an occurrence. When a warning is due for it, returns how many occurred since the last warning (0 for the
   * first); otherwise empty, and the caller logs it at debug level at most.
   */
  public synchronized OptionalLong due() {
    Instant now = clock.instant();
    if (lastWarned != null && now.isBefore(lastWarned.plus(interval))) {
      since++;
      return OptionalLong.empty();
    }
    long skipped = since;
    lastWarned = now;
    since = 0;
    return OptionalLong.of(skipped);
  }

  /** "; N more since the last line" when {@code skipped} is above 0, else nothing: the tail of a warning. */
  public static String more(long skipped) {
    return skipped == 0 ? "" : "; " + skipped + " more since the last line";
  }

  /**
   * A failure in one short line: the message of its innermost cause (with a JDBC batch, the failure the batch
   * reports next, not the statement it quotes), with line breaks folded and at most 300 characters.
   */
  public static String describe(Throwable failure) {
    Throwable innermost = failure;
    for (int depth = 0; innermost.getCause() != null && innermost.getCause() != innermost && depth < 20; depth++) {
      innermost = innermost.getCause();
    }
    if (innermost instanceof SQLException sql && sql.getNextException() != null) {
      innermost = sql.getNextException();
    }
    String message = innermost.getMessage();
    String text = message == null || message.isBlank() ? innermost.getClass().getSimpleName()
        : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION) + "...";
  }
}
