package dev.wharf.error;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells failures of storage that may pass from Wharf's own failures, so that every endpoint answers them in its
 * protocol's shape with a status that says what to do, and keeps 500 for the rest: a database or blob store that
 * cannot be reached is a 503 ("retry later"), a disk or database that is full a 507 Insufficient Storage ("retry
 * once space is freed": reads go on). Each storage adapter says how its own failures look (a {@link Check}); the
 * composition root hands the checks of what it opened to the endpoints. This is the one place that walks a
 * failure's causes for them, and the one place that logs them ({@link #report}).
 */
public final class Unavailable {
  private static final Logger LOG = LoggerFactory.getLogger(Unavailable.class);
  private static final int MAX_CAUSES = 20;

  /** How long {@link #full()} names a store after a write to it was refused for lack of space. */
  public static final Duration FULL_REPORTED_FOR = Duration.ofMinutes(1);

  /** The storage a failure is about: what the health check and the log name. */
  public enum Store {
    DATABASE("database"),
    /** The blob store and the local files uploads are spooled to on their way there. */
    FILES("blobStore");

    private final String label;

    Store(String label) {
      this.label = label;
    }

    /** Its name in {@code /health/ready} and in log lines. */
    public String label() {
      return label;
    }
  }

  /** What the failure means for a client. */
  public enum Condition {
    /** The store cannot be reached: 503, retry later. */
    UNREACHABLE(503),
    /** The store has no space left: 507 Insufficient Storage, retry once space is freed; reads go on. */
    FULL(507);

    private final int status;

    Condition(int status) {
      this.status = status;
    }

    /** The HTTP status a client is answered with. */
    public int status() {
      return status;
    }
  }

  /**
   * How one backing service shows a condition.
   *
   * @param matches whether a failure (or one of its causes, each tested in turn) shows it
   * @param store the storage it is about
   * @param condition what it means for the client
   * @param message what clients are told then
   */
  public record Check(Predicate<Throwable> matches, Store store, Condition condition, String message) {
    public Check {
      Objects.requireNonNull(matches, "matches");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Why a request failed: what the check that recognized it says.
   *
   * @param cause the failure among the causes that the check recognized (its message is what the operator reads)
   */
  public record Reason(Store store, Condition condition, String message, Throwable cause) {
    /** The HTTP status to answer. */
    public int status() {
      return condition.status();
    }
  }

  /**
   * A failure to write because a local file system has no space left ({@code ENOSPC}, or {@code EDQUOT}: a quota
   * is exhausted): how the JDK reports it, as an {@link IOException} whose message is the system's (English) text.
   * Local files are the file blob store's and the spool files uploads pass through (the S3 store's too).
   */
  public static final Check LOCAL_DISK_FULL = new Check(Unavailable::localDiskFull, Store.FILES, Condition.FULL,
      "The service cannot store this now: its disk is full. Retry once space has been freed.");

  private final List<Check> checks;
  private final Clock clock;
  private final Map<Store, FullLog> fullLogs = new EnumMap<>(Store.class);

  /**
   * @param checks tried in order; the first that recognizes a failure names it
   * @param clock times the log lines of a full store and how long {@link #full()} names it
   */
  public Unavailable(List<Check> checks, Clock clock) {
    this.checks = List.copyOf(checks);
    this.clock = Objects.requireNonNull(clock, "clock");
    for (Store store : Store.values()) {
      fullLogs.put(store, new FullLog(new RepeatedWarning(RepeatedWarning.INTERVAL, clock)));
    }
  }

  /** What {@code failure} says, when one of the checks recognizes it among its causes; empty otherwise. */
  public Optional<Reason> reason(Throwable failure) {
    for (Check check : checks) {
      int depth = 0;
      for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
        if (check.matches().test(t)) {
          return Optional.of(new Reason(check.store(), check.condition(), check.message(), t));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Like {@link #reason}, and logs what it found without a stack trace: an unreachable store one line per request;
   * a full store one warning (the first refusal, then at most one a {@link RepeatedWarning#INTERVAL} with the count
   * of refusals since), the other refusals at debug level, so a full disk under load does not flood the log.
   */
  public Optional<Reason> report(String requestId, Throwable failure) {
    Optional<Reason> reason = reason(failure);
    reason.ifPresent(r -> {
      switch (r.condition()) {
        case UNREACHABLE -> LOG.warn("request {}: {}: {}", requestId, r.message(), failure.toString());
        case FULL -> fullLogs.get(r.store()).refused(r, requestId, clock.instant());
      }
    });
    return reason;
  }

  /** The stores a write was refused for lack of space within the last {@link #FULL_REPORTED_FOR}. */
  public Set<Store> full() {
    Instant since = clock.instant().minus(FULL_REPORTED_FOR);
    EnumSet<Store> full = EnumSet.noneOf(Store.class);
    fullLogs.forEach((store, log) -> {
      if (log.lastRefused(since)) {
        full.add(store);
      }
    });
    return full;
  }

  private static boolean localDiskFull(Throwable failure) {
    if (!(failure instanceof IOException)) {
      return false;
    }
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    return message.contains("no space left on device") || message.contains("disk quota exceeded");
  }

  /** The log lines of one full store, and when a write to it was last refused. */
  private static final class FullLog {
    private final RepeatedWarning warning;
    private Instant lastRefused;

    FullLog(RepeatedWarning warning) {
      this.warning = warning;
    }

    void refused(Reason reason, String requestId, Instant now) {
      synchronized (this) {
        lastRefused = now;
      }
      String cause = RepeatedWarning.describe(reason.cause());
      OptionalLong skipped = warning.due();
      if (skipped.isEmpty()) {
        LOG.debug("request {}: {} full: {}", requestId, reason.store().label(), cause);
        return;
      }
      LOG.warn("{} is full; writes are answered {} until space is freed, reads go on (request {}{}): {}",
          reason.store() == Store.DATABASE ? "The database" : "The local disk (blob store, uploads)", reason.status(),
          requestId, RepeatedWarning.more(skipped.getAsLong()), cause);
    }

    synchronized boolean lastRefused(Instant since) {
      return lastRefused != null && !lastRefused.isBefore(since);
    }
  }
}
