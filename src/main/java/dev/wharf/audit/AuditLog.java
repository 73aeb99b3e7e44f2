package dev.wharf.audit;

import dev.wharf.error.RepeatedWarning;
import dev.wharf.store.BatchWriter;
import dev.wharf.store.Database;
import dev.wharf.store.SqlBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit trail. Requests hand events to a {@link BatchWriter}, so auditing adds no database
 * round trip to a request. Events are queryable by account.
 *
 * <p>Two kinds of request are not events of their own but counts, kept in memory per key and minute and
 * written every {@link #COUNT_FLUSH_SECONDS} seconds, at {@link #flush} and at {@link #close}; a lookup shows
 * a count as one event of that minute with its {@code count}:
 * <ul>
 *   <li>allowed uses of the {@code counted} actions (the server counts package reads, unless told to record
 *       each), per principal, token, resource, source address, deciding statement and minute;
 *   <li>requests without a valid credential (no principal, not allowed: a missing, malformed, expired or
 *       forged signature or token, a failed console sign-in), per source address, action, outcome, error,
 *       resource account and minute, whatever they name: anyone can send them, thousands a second. Past
 *       {@link #MAX_PENDING_UNAUTHENTICATED_KEYS} keys between two writes, the resource account is left out
 *       too, so that a caller varying the account it names cannot make a row per request.
 * </ul>
 * Denials of an authenticated caller, failures, writes, token issues and every other action stay one event
 * each. {@link #removeBefore} removes events and counts older than the retention, in bounded batches.
 */
public final class AuditLog implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditLog.class);
  private static final int QUEUE_CAPACITY = 100_000;
  private static final int BATCH = 2_000;
  /** How often counted uses are written; a crash loses at most this much of them. */
  public static final int COUNT_FLUSH_SECONDS = 5;
  /** Distinct keys of unauthenticated requests held between two writes before their resource account is dropped. */
  static final int MAX_PENDING_UNAUTHENTICATED_KEYS = 10_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final BatchWriter<AuditEvent> writer;
  private final Set<String> counted;
  private final ConcurrentHashMap<CountKey, Long> counts = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger pendingUnauthenticatedKeys =
      new java.util.concurrent.atomic.AtomicInteger();
  private final ScheduledExecutorService countFlusher;
  private final Object countWrite = new Object();
  private final Database.Dialect dialect;
  private final RepeatedWarning countFailures = new RepeatedWarning();

  /**
   * What one count is kept per: everything of an event but its time (truncated to the minute) and request. The
   * outcome is ALLOWED (and the error null) for counted uses, DENIED or FAILED for unauthenticated requests.
   */
  private record CountKey(long minuteStart, String principalAccount, String principalArn, String resourceAccount,
      String action, String resource, String sourceIp, String decidedBy, String tokenId, AuditEvent.Outcome outcome,
      String errorCode) {}

  /** An audit trail that records every request as an event. */
  public AuditLog(Database database, Clock clock) {
    this(database, clock, Set.of());
  }

  /** An audit trail that counts allowed uses of the {@code counted} actions per minute. */
  public AuditLog(Database database, Clock clock, Set<String> counted) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    this.dialect = database.dialect();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.counted = Set.copyOf(counted);
    this.writer = new BatchWriter<>("audit", QUEUE_CAPACITY, BATCH, this::write);
    // always: unauthenticated requests are counted whatever the reads
    this.countFlusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audit-counts")
        .daemon().factory());
    countFlusher.scheduleWithFixedDelay(this::flushCountsQuietly, COUNT_FLUSH_SECONDS, COUNT_FLUSH_SECONDS,
        TimeUnit.SECONDS);
  }

  /** A new event stamped now; fields may be null where unknown. */
  public void record(String requestId, String principalAccount, String principalArn, String resourceAccount,
      String action, String resource, String sourceIp, AuditEvent.Outcome outcome, String decidedBy, String errorCode,
      String tokenId) {
    AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), clock.instant(), requestId, principalAccount,
        principalArn, resourceAccount, action, resource, sourceIp, outcome, decidedBy, errorCode, tokenId);
    writer.submit(event);
  }

  /** Starts an event for one request; the endpoint fills in what it learns and finishes it once. */
  /** Starts an event; the request id is asked for only when the event is recorded on its own (not counted). */
  public Entry begin(Supplier<String> requestId, String sourceIp) {
    return new Entry(requestId, sourceIp);
  }

  /** An audit event being assembled along a request. */
  public final class Entry {
    private final Supplier<String> requestId;
    private final String sourceIp;
    private String principalAccount;
    private String principalArn;
    private String resourceAccount;
    private String action;
    private String resource;
    private String decidedBy;
    private String tokenId;
    private boolean finished;
    private boolean individual;

    private Entry(Supplier<String> requestId, String sourceIp) {
      this.requestId = requestId;
      this.sourceIp = sourceIp;
    }

    public Entry principal(dev.wharf.identity.Principal principal) {
      this.principalAccount = principal.accountId();
      this.principalArn = principal.arn();
      return this;
    }

    public Entry action(String action) {
      this.action = action;
      return this;
    }

    public Entry resource(String arn, String accountId) {
      this.resource = arn;
      this.resourceAccount = accountId;
      return this;
    }

    public Entry decision(dev.wharf.policy.Decision decision) {
      if (decision.policyName() != null) {
        this.decidedBy = decision.policyName() + (decision.statementSid() == null ? "" : "#" + decision.statementSid());
      } else if (decision.allowed()) {
        this.decidedBy = "account root user";
      } else {
        this.decidedBy = "no policy allows it";
      }
      return this;
    }

    /**
     * Records this entry as an event of its own even when it names no principal: for attempts whose number its
     * caller already bounds and whose target matters (a console sign-in names the user it tried).
     */
    public Entry individually() {
      this.individual = true;
      return this;
    }

    public Entry token(String tokenId) {
      this.tokenId = tokenId;
      return this;
    }

    /**
     * Records the event, or counts it when it is an allowed use of a counted action or a request without a valid
     * credential (once; later calls are ignored).
     */
    public void finish(AuditEvent.Outcome outcome, String errorCode) {
      if (finished) {
        return;
      }
      finished = true;
      long minute = clock.millis() / 60_000 * 60_000;
      if (outcome == AuditEvent.Outcome.ALLOWED && action != null && counted.contains(action)) {
        counts.merge(new CountKey(minute, principalAccount, principalArn, resourceAccount, action, resource, sourceIp,
            decidedBy, tokenId, AuditEvent.Outcome.ALLOWED, null), 1L, Long::sum);
        return;
      }
      if (outcome != AuditEvent.Outcome.ALLOWED && principalArn == null && !individual) {
        countUnauthenticated(minute, action == null ? "unknown" : action, resourceAccount, sourceIp, outcome,
            errorCode);
        return;
      }
      record(requestId.get(), principalAccount, principalArn, resourceAccount, action == null ? "unknown" : action, resource,
          sourceIp, outcome, decidedBy, errorCode, tokenId);
    }
  }

  /** Counts a request without a valid credential: what it names beyond its account is the caller's say only. */
  private void countUnauthenticated(long minute, String action, String resourceAccount, String sourceIp,
      AuditEvent.Outcome outcome, String errorCode) {
    CountKey key = new CountKey(minute, null, null, resourceAccount, action, null, sourceIp, null, null, outcome,
        errorCode);
    if (resourceAccount != null && !counts.containsKey(key)
        && pendingUnauthenticatedKeys.get() >= MAX_PENDING_UNAUTHENTICATED_KEYS) {
      key = new CountKey(minute, null, null, null, action, null, sourceIp, null, null, outcome, errorCode);
    }
    if (counts.merge(key, 1L, Long::sum) == 1L) {
      pendingUnauthenticatedKeys.incrementAndGet();
    }
  }

  private void write(List<AuditEvent> events) {
    SqlBatch.execute(jdbi, "INSERT INTO audit_events (event_id, occurred_at, request_id, principal_account,"
        + " principal_arn, resource_account, action, resource, source_ip, outcome, decided_by, error_code, token_id)"
        + " VALUES (:id, :at, :request, :pacct, :parn, :racct, :action, :resource, :ip, :outcome, :decided, :error, :token)",
        events, (insert, e) -> insert
        .bind("id", e.eventId()).bind("at", e.occurredAt().toEpochMilli()).bind("request", e.requestId())
        .bind("pacct", e.principalAccount()).bind("parn", e.principalArn()).bind("racct", e.resourceAccount())
        .bind("action", e.action()).bind("resource", e.resource()).bind("ip", e.sourceIp())
        .bind("outcome", e.outcome().name().toLowerCase(Locale.ROOT)).bind("decided", e.decidedBy())
        .bind("error", e.errorCode()).bind("token", e.tokenId()));
  }

  /** Waits until everything recorded and counted so far is stored (tests, shutdown, and before a lookup). */
  public void flush() {
    writer.flush();
    flushCounts();
  }

  /**
   * Writes the counts gathered so far. Each key is taken out of the map atomically, so a use counted while
   * this runs lands in this write or in the next one, never in neither.
   */
  private void flushCounts() {
    synchronized (countWrite) {
      pendingUnauthenticatedKeys.set(0);
      List<Map.Entry<CountKey, Long>> taken = new ArrayList<>();
      for (CountKey key : counts.keySet()) {
        Long n = counts.remove(key);
        if (n != null) {
          taken.add(Map.entry(key, n));
        }
      }
      if (taken.isEmpty()) {
        return;
      }
      try {
        writeCounts(taken);
      } catch (RuntimeException e) {
        taken.forEach(entry -> counts.merge(entry.getKey(), entry.getValue(), Long::sum));
        throw e;
      }
    }
  }

  private void writeCounts(List<Map.Entry<CountKey, Long>> taken) {
    SqlBatch.execute(jdbi, "INSERT INTO audit_read_counts (minute_start, principal_account, principal_arn,"
        + " resource_account, action, resource, source_ip, decided_by, token_id, outcome, error_code, request_count)"
        + " VALUES (:minute, :pacct, :parn, :racct, :action, :resource, :ip, :decided, :token, :outcome, :error, :n)",
        taken, (insert, e) -> insert.bind("minute", e.getKey().minuteStart())
        .bind("pacct", e.getKey().principalAccount()).bind("parn", e.getKey().principalArn())
        .bind("racct", e.getKey().resourceAccount()).bind("action", e.getKey().action())
        .bind("resource", e.getKey().resource()).bind("ip", e.getKey().sourceIp())
        .bind("decided", e.getKey().decidedBy()).bind("token", e.getKey().tokenId())
        .bind("outcome", e.getKey().outcome().name().toLowerCase(Locale.ROOT)).bind("error", e.getKey().errorCode())
        .bind("n", e.getValue()));
  }

  private void flushCountsQuietly() {
    try {
      flushCounts();
    } catch (RuntimeException e) {
      java.util.OptionalLong skipped = countFailures.due(); // every 5 s while the database is down or full
      if (skipped.isPresent()) {
        LOG.warn("writing audit counts failed, kept for the next try: {}{}", RepeatedWarning.describe(e),
            RepeatedWarning.more(skipped.getAsLong()));
      }
    }
  }

  /**
   * Events that concern an account (as the caller's or the resource's), newest first: recorded events, and
   * counted uses as one event per key and minute.
   */
  public List<AuditEvent> lookup(String accountId, Instant since, String principalArn, String action, int limit) {
    return lookup(accountId, since, null, principalArn, action, null, 0, limit);
  }

  /**
   * Like {@link #lookup(String, Instant, String, String, int)}, also before {@code until} (exclusive; null: now)
   * and with one outcome only (null: any), from the {@code skip}-th event on. With {@code until} fixed, pages by
   * {@code skip} see one listing: nothing recorded later moves them.
   */
  public List<AuditEvent> lookup(String accountId, Instant since, Instant until, String principalArn, String action,
      AuditEvent.Outcome outcome, int skip, int limit) {
    flush();
    int wanted = skip + limit; // each query's first rows, merged, then this page of them
    StringBuilder filter = new StringBuilder();
    if (principalArn != null) {
      filter.append(" AND principal_arn = :principal");
    }
    if (action != null) {
      filter.append(" AND action = :action");
    }
    long untilMillis = until == null ? Long.MAX_VALUE : until.toEpochMilli();
    String events = "SELECT * FROM audit_events WHERE (principal_account = :account OR resource_account = :account)"
        + " AND occurred_at >= :since AND occurred_at < :until" + filter
        + (outcome == null ? "" : " AND outcome = :outcome") + " ORDER BY occurred_at DESC, event_id LIMIT :limit";
    String grouped = "SELECT minute_start, principal_account, principal_arn, resource_account, action, resource,"
        + " source_ip, decided_by, token_id, outcome, error_code, SUM(request_count) AS request_count"
        + " FROM audit_read_counts"
        + " WHERE (principal_account = :account OR resource_account = :account) AND minute_start >= :since"
        + " AND minute_start < :until" + filter + (outcome == null ? "" : " AND outcome = :outcome")
        + " GROUP BY minute_start, principal_account, principal_arn, resource_account, action, resource, source_ip,"
        + " decided_by, token_id, outcome, error_code ORDER BY minute_start DESC LIMIT :limit";
    List<AuditEvent> found = new ArrayList<>();
    jdbi.useHandle(h -> {
      var query = bindLookup(h.createQuery(events), accountId, since.toEpochMilli(), principalArn, action, wanted)
          .bind("until", untilMillis);
      if (outcome != null) {
        query.bind("outcome", outcome.name().toLowerCase(Locale.ROOT));
      }
      found.addAll(query
          .map((rs, ctx) -> new AuditEvent(rs.getString("event_id"), Instant.ofEpochMilli(rs.getLong("occurred_at")),
              rs.getString("request_id"), rs.getString("principal_account"), rs.getString("principal_arn"),
              rs.getString("resource_account"), rs.getString("action"), rs.getString("resource"),
              rs.getString("source_ip"), AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
              rs.getString("decided_by"), rs.getString("error_code"), rs.getString("token_id"))).list());
      // A minute counts from its start: the one in which `since` falls is shown whole.
      var counts = bindLookup(h.createQuery(grouped), accountId, since.toEpochMilli() / 60_000 * 60_000, principalArn,
          action, wanted).bind("until", untilMillis);
      if (outcome != null) {
        counts.bind("outcome", outcome.name().toLowerCase(Locale.ROOT));
      }
      found.addAll(counts
          .map((rs, ctx) -> {
            CountKey key = new CountKey(rs.getLong("minute_start"), rs.getString("principal_account"),
                rs.getString("principal_arn"), rs.getString("resource_account"), rs.getString("action"),
                rs.getString("resource"), rs.getString("source_ip"), rs.getString("decided_by"),
                rs.getString("token_id"), AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
                rs.getString("error_code"));
            return new AuditEvent(countEventId(key), Instant.ofEpochMilli(key.minuteStart()), null,
                key.principalAccount(), key.principalArn(), key.resourceAccount(), key.action(), key.resource(),
                key.sourceIp(), key.outcome(), key.decidedBy(), key.errorCode(), key.tokenId(),
                rs.getLong("request_count"));
          }).list());
    });
    found.sort(java.util.Comparator.comparing(AuditEvent::occurredAt).reversed().thenComparing(AuditEvent::eventId));
    return List.copyOf(found.subList(Math.min(skip, found.size()), Math.min(wanted, found.size())));
  }

  private static org.jdbi.v3.core.statement.Query bindLookup(org.jdbi.v3.core.statement.Query query, String accountId,
      long since, String principalArn, String action, int limit) {
    query.bind("account", accountId).bind("since", since).bind("limit", limit);
    if (principalArn != null) {
      query.bind("principal", principalArn);
    }
    if (action != null) {
      query.bind("action", action);
    }
    return query;
  }

  /** A stable id for the count of one key in one minute: the same on every lookup and every node. */
  private static String countEventId(CountKey key) {
    String joined = String.join("\n", Long.toString(key.minuteStart()), String.valueOf(key.principalArn()),
        String.valueOf(key.resourceAccount()), key.action(), String.valueOf(key.resource()),
        String.valueOf(key.sourceIp()), String.valueOf(key.decidedBy()), String.valueOf(key.tokenId()));
    if (key.outcome() != AuditEvent.Outcome.ALLOWED) { // allowed counts keep the ids they had before refusals were counted
      joined += "\n" + key.outcome() + "\n" + key.errorCode();
    }
    return "count-" + dev.wharf.crypto.Sha256.hex(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .substring(0, 32);
  }

  /** Rows one retention statement removes at most, so that no statement holds the database for long. */
  static final int RETENTION_BATCH = 5_000;

  /**
   * Removes the events and counts that occurred before {@code cutoff}, {@link #RETENTION_BATCH} rows per
   * statement (each its own transaction), at most {@code maxBatches} statements per table; the rest is left to
   * the next run.
   *
   * @return how many rows were removed
   */
  public long removeBefore(Instant cutoff, int maxBatches) {
    long millis = cutoff.toEpochMilli();
    // a count row is of its minute: removed once its whole minute is older than the cutoff
    long minuteBefore = millis / 60_000 * 60_000;
    String rowId = dialect == Database.Dialect.POSTGRESQL ? "ctid" : "rowid";
    long removed = removeInBatches("DELETE FROM audit_events WHERE event_id IN (SELECT event_id FROM audit_events"
        + " WHERE occurred_at < :cutoff LIMIT " + RETENTION_BATCH + ")", millis, maxBatches);
    removed += removeInBatches("DELETE FROM audit_read_counts WHERE " + rowId + " IN (SELECT " + rowId
        + " FROM audit_read_counts WHERE minute_start < :cutoff LIMIT " + RETENTION_BATCH + ")", minuteBefore, maxBatches);
    return removed;
  }

  private long removeInBatches(String delete, long cutoff, int maxBatches) {
    long removed = 0;
    for (int batch = 0; batch < maxBatches; batch++) {
      int n = jdbi.withHandle(h -> h.createUpdate(delete).bind("cutoff", cutoff).execute());
      removed += n;
      if (n < RETENTION_BATCH) {
        break;
      }
    }
    return removed;
  }

  @Override
  public void close() {
    countFlusher.shutdown();
    try {
      countFlusher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushCountsQuietly();
    writer.close();
  }
}
