package dev.wharf.audit;

import dev.wharf.store.ClusterLock;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes audit events and counts older than the retention ({@code --audit-retention-days}), run by the
 * server's background scheduler every {@link #INTERVAL}. One node of a cluster runs it at a time (under its
 * {@link ClusterLock}); each run removes at most {@link #MAX_BATCHES_PER_RUN} batches of
 * {@link AuditLog#RETENTION_BATCH} rows per table, so a large backlog is worked off over several runs
 * without holding the database.
 */
public final class AuditRetention {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
  /** How often the retention runs. */
  public static final Duration INTERVAL = Duration.ofMinutes(10);
  /** At most this many batches per table and run (500,000 rows per table per run). */
  static final int MAX_BATCHES_PER_RUN = 100;

  private final AuditLog audit;
  private final ClusterLock lock;
  private final Clock clock;
  private final Duration retention;

  /**
   * @param retention how long events are kept (positive; a server that keeps them forever has no AuditRetention)
   */
  public AuditRetention(AuditLog audit, ClusterLock lock, Clock clock, Duration retention) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.lock = Objects.requireNonNull(lock, "lock");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retention = Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
  }

  /**
   * Removes what is older than the retention, unless another node is doing it.
   *
   * @return the rows removed; -1 when another node holds the lock
   */
  public long removeExpired() throws SQLException {
    long[] removed = {-1};
    if (!lock.runIfFree(() -> removed[0] = audit.removeBefore(clock.instant().minus(retention), MAX_BATCHES_PER_RUN))) {
      LOG.debug("audit retention skipped: another node is running it");
    } else if (removed[0] > 0) {
      LOG.info("audit retention removed {} events and counts older than {} days", removed[0], retention.toDays());
    }
    return removed[0];
  }
}
