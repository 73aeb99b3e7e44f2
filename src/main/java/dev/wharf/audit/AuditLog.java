package dev.wharf.audit;

import dev.wharf.store.BatchWriter;
import dev.wharf.store.Database;
import dev.wharf.store.SqlBatch;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit trail. Requests hand events to a {@link BatchWriter}, so auditing adds no database
 * round trip to a request. Events are queryable by account.
 */
public final class AuditLog implements AutoCloseable {
  private static final int QUEUE_CAPACITY = 100_000;
  private static final int BATCH = 2_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final BatchWriter<AuditEvent> writer;

  public AuditLog(Database database, Clock clock) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.writer = new BatchWriter<>("audit", QUEUE_CAPACITY, BATCH, this::write);
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
  public Entry begin(String requestId, String sourceIp) {
    return new Entry(requestId, sourceIp);
  }

  /** An audit event being assembled along a request. */
  public final class Entry {
    private final String requestId;
    private final String sourceIp;
    private String principalAccount;
    private String principalArn;
    private String resourceAccount;
    private String action;
    private String resource;
    private String decidedBy;
    private String tokenId;
    private boolean finished;

    private Entry(String requestId, String sourceIp) {
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

    public Entry token(String tokenId) {
      this.tokenId = tokenId;
      return this;
    }

    /** Records the event (once; later calls are ignored). */
    public void finish(AuditEvent.Outcome outcome, String errorCode) {
      if (finished) {
        return;
      }
      finished = true;
      record(requestId, principalAccount, principalArn, resourceAccount, action == null ? "unknown" : action, resource,
          sourceIp, outcome, decidedBy, errorCode, tokenId);
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

  /** Waits until everything recorded so far is stored (tests, shutdown, and before a lookup). */
  public void flush() {
    writer.flush();
  }

  /** Events that concern an account (as the caller's or the resource's), newest first. */
  public List<AuditEvent> lookup(String accountId, Instant since, String principalArn, String action, int limit) {
    flush();
    StringBuilder sql = new StringBuilder("SELECT * FROM audit_events WHERE (principal_account = :account"
        + " OR resource_account = :account) AND occurred_at >= :since");
    if (principalArn != null) {
      sql.append(" AND principal_arn = :principal");
    }
    if (action != null) {
      sql.append(" AND action = :action");
    }
    sql.append(" ORDER BY occurred_at DESC, event_id LIMIT :limit");
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql.toString()).bind("account", accountId).bind("since", since.toEpochMilli())
          .bind("limit", limit);
      if (principalArn != null) {
        query.bind("principal", principalArn);
      }
      if (action != null) {
        query.bind("action", action);
      }
      return query.map((rs, ctx) -> new AuditEvent(rs.getString("event_id"), Instant.ofEpochMilli(rs.getLong("occurred_at")),
          rs.getString("request_id"), rs.getString("principal_account"), rs.getString("principal_arn"),
          rs.getString("resource_account"), rs.getString("action"), rs.getString("resource"), rs.getString("source_ip"),
          AuditEvent.Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)), rs.getString("decided_by"),
          rs.getString("error_code"), rs.getString("token_id"))).list();
    });
  }

  @Override
  public void close() {
    writer.close();
  }
}
