package dev.wharf.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit trail on SQLite and PostgreSQL: counted reads, individual events, and lookups over both. */
class AuditLogTest {
  private static final String READ = "codeartifact:ReadFromRepository";
  private static final String ACCOUNT = "111122223333";
  private static final String ALICE = "arn:aws:iam::111122223333:user/alice";
  private static final String REPO = "arn:aws:codeartifact:us-east-1:111122223333:repository/d/r";

  @TempDir Path directory;

  private Database open(String kind) {
    return kind.equals("sqlite") ? TestingDatabases.sqlite(directory) : TestingDatabases.postgres();
  }

  private static void use(AuditLog audit, String token, AuditEvent.Outcome outcome) {
    audit.begin(() -> "req-" + token, "10.0.0.1").action(READ).resource(REPO, ACCOUNT)
        .principal(new dev.wharf.identity.Principal.Root(ACCOUNT)).token(token).finish(outcome, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void allowedReadsOfOneMinuteAreOneCountPerTokenWhileDenialsStayEvents(String kind) throws Exception {
    Instant noon = Instant.parse("2026-12-06T12:00:10Z");
    try (Database database = open(kind);
        AuditLog audit = new AuditLog(database, Clock.fixed(noon, ZoneOffset.UTC), Set.of(READ))) {
      // Counted from many threads at once, and flushed meanwhile: none lost, none twice.
      ExecutorService threads = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 4_000; i++) {
        threads.submit(() -> use(audit, "t1", AuditEvent.Outcome.ALLOWED));
        if (i % 1000 == 0) {
          threads.submit(audit::flush);
        }
      }
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      use(audit, "t2", AuditEvent.Outcome.ALLOWED);
      use(audit, "t1", AuditEvent.Outcome.DENIED);

      List<AuditEvent> events = audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), null, READ, 100);
      assertThat(events).filteredOn(e -> e.tokenId().equals("t1") && e.outcome() == AuditEvent.Outcome.ALLOWED)
          .singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(4_000);
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
            assertThat(e.requestId()).isNull();
            assertThat(e.principalArn()).isEqualTo("arn:aws:iam::111122223333:root");
            assertThat(e.resource()).isEqualTo(REPO);
            assertThat(e.sourceIp()).isEqualTo("10.0.0.1");
          });
      assertThat(events).filteredOn(e -> e.tokenId().equals("t2")).singleElement()
          .extracting(AuditEvent::count).isEqualTo(1L);
      assertThat(events).filteredOn(e -> e.outcome() == AuditEvent.Outcome.DENIED).singleElement()
          .satisfies(e -> {
            assertThat(e.count()).isEqualTo(1);
            assertThat(e.requestId()).isEqualTo("req-t1");
          });
      // The same lookup again gives the same ids; another account sees none of it.
      assertThat(audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), null, READ, 100)).extracting(AuditEvent::eventId)
          .containsExactlyInAnyOrderElementsOf(events.stream().map(AuditEvent::eventId).toList());
      assertThat(audit.lookup("999988887777", noon.minus(Duration.ofHours(1)), null, null, 100)).isEmpty();
      assertThat(audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), ALICE, null, 100)).isEmpty();
      assertThat(audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), null, null, 2)).hasSize(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void withoutCountedActionsEveryReadIsAnEvent(String kind) throws Exception {
    Instant noon = Instant.parse("2026-12-06T12:00:10Z");
    try (Database database = open(kind); AuditLog audit = new AuditLog(database, Clock.fixed(noon, ZoneOffset.UTC))) {
      for (int i = 0; i < 3; i++) {
        use(audit, "t1", AuditEvent.Outcome.ALLOWED);
      }
      assertThat(audit.lookup(ACCOUNT, noon.minusSeconds(60), null, READ, 100)).hasSize(3)
          .allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void pagesOfOneListingSeeEveryEventOnceEvenWhenManyShareAMoment(String kind) throws Exception {
    Instant noon = Instant.parse("2026-12-06T12:00:10Z");
    try (Database database = open(kind);
        AuditLog audit = new AuditLog(database, Clock.fixed(noon, ZoneOffset.UTC), Set.of(READ))) {
      for (int i = 0; i < 7; i++) {
        use(audit, "denied-" + i, AuditEvent.Outcome.DENIED); // seven events in the same millisecond
        use(audit, "counted-" + i, AuditEvent.Outcome.ALLOWED); // and seven counts of the same minute
      }
      Instant until = noon.plusSeconds(1);
      java.util.List<String> seen = new java.util.ArrayList<>();
      for (int skip = 0; skip < 20; skip += 3) {
        audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), until, null, null, null, skip, 3)
            .forEach(e -> seen.add(e.eventId()));
      }
      assertThat(seen).hasSize(14).doesNotHaveDuplicates();
      assertThat(audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), until, null, null, AuditEvent.Outcome.DENIED,
          0, 100)).hasSize(7);
    }
  }

  private static long rows(Database database, String table) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  /** A request without a valid credential, naming a repository of {@code account}. */
  private static void unauthenticated(AuditLog audit, String address, String account, String error) {
    audit.begin(() -> { throw new AssertionError("a counted request needs no request id"); }, address).action(READ)
        .resource("arn:aws:codeartifact:us-east-1:" + account + ":repository/d/r-" + error, account)
        .finish(AuditEvent.Outcome.DENIED, error);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void requestsWithoutAValidCredentialAreCountedPerAddressActionReasonAndMinute(String kind) throws Exception {
    Instant noon = Instant.parse("2026-12-06T12:00:10Z");
    try (Database database = open(kind);
        AuditLog audit = new AuditLog(database, Clock.fixed(noon, ZoneOffset.UTC), Set.of())) {
      for (int i = 0; i < 3_000; i++) {
        unauthenticated(audit, "203.0.113.9", ACCOUNT, "InvalidToken");
      }
      unauthenticated(audit, "203.0.113.9", ACCOUNT, "ExpiredToken");
      unauthenticated(audit, "198.51.100.1", ACCOUNT, "InvalidToken");
      // an authenticated caller's denial stays an event of its own, with its request id
      use(audit, "t1", AuditEvent.Outcome.DENIED);
      audit.flush();

      assertThat(rows(database, "audit_events")).isEqualTo(1);
      assertThat(rows(database, "audit_read_counts")).isEqualTo(3);
      List<AuditEvent> denied = audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), null, null, null,
          AuditEvent.Outcome.DENIED, 0, 100);
      assertThat(denied).hasSize(4);
      assertThat(denied).filteredOn(e -> e.principalArn() == null && e.sourceIp().equals("203.0.113.9")
              && "InvalidToken".equals(e.errorCode())).singleElement().satisfies(e -> {
                assertThat(e.count()).isEqualTo(3_000);
                assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.DENIED);
                assertThat(e.action()).isEqualTo(READ);
                assertThat(e.requestId()).isNull();
                assertThat(e.resource()).isNull();
                assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
                assertThat(e.eventId()).startsWith("count-");
              });
      assertThat(denied).filteredOn(e -> "req-t1".equals(e.requestId())).singleElement()
          .satisfies(e -> assertThat(e.count()).isEqualTo(1));
      assertThat(audit.lookup(ACCOUNT, noon.minus(Duration.ofHours(1)), null, null, null, AuditEvent.Outcome.ALLOWED, 0, 100))
          .isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aCallerVaryingTheAccountItNamesCannotMakeARowPerRequest(String kind) throws Exception {
    Instant noon = Instant.parse("2026-12-06T12:00:10Z");
    try (Database database = open(kind);
        AuditLog audit = new AuditLog(database, Clock.fixed(noon, ZoneOffset.UTC), Set.of())) {
      int requests = AuditLog.MAX_PENDING_UNAUTHENTICATED_KEYS * 3;
      for (int i = 0; i < requests; i++) {
        unauthenticated(audit, "203.0.113.9", String.format("%012d", i), "InvalidToken");
      }
      audit.flush();

      assertThat(rows(database, "audit_read_counts")).isLessThanOrEqualTo(AuditLog.MAX_PENDING_UNAUTHENTICATED_KEYS + 1);
      long counted = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT SUM(request_count) FROM audit_read_counts").mapTo(Long.class).one());
      assertThat(counted).isEqualTo(requests);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void retentionRemovesWhatIsOlderThanTheCutoffInBoundedBatches(String kind) throws Exception {
    dev.wharf.testing.TestingClock clock = dev.wharf.testing.TestingClock.startingNow();
    try (Database database = open(kind); AuditLog audit = new AuditLog(database, clock, Set.of(READ))) {
      int old = AuditLog.RETENTION_BATCH + 10;
      for (int i = 0; i < old; i++) {
        use(audit, "t" + i, AuditEvent.Outcome.DENIED);
      }
      use(audit, "old-read", AuditEvent.Outcome.ALLOWED);
      unauthenticated(audit, "203.0.113.9", ACCOUNT, "InvalidToken");
      audit.flush();
      clock.advance(Duration.ofDays(30));
      Instant cutoff = clock.instant().minus(Duration.ofDays(1));
      use(audit, "recent", AuditEvent.Outcome.DENIED);
      use(audit, "recent-read", AuditEvent.Outcome.ALLOWED);
      audit.flush();

      // one batch per table at most: the oldest events go first, the rest waits for the next run
      assertThat(audit.removeBefore(cutoff, 1)).isEqualTo(AuditLog.RETENTION_BATCH + 2);
      assertThat(rows(database, "audit_events")).isEqualTo(11);
      assertThat(audit.removeBefore(cutoff, 1)).isEqualTo(10);
      assertThat(audit.removeBefore(cutoff, 1)).isZero();

      assertThat(audit.lookup(ACCOUNT, clock.instant().minus(Duration.ofDays(365)), null, null, 100))
          .extracting(AuditEvent::tokenId).containsExactlyInAnyOrder("recent", "recent-read");
    }
  }
}
