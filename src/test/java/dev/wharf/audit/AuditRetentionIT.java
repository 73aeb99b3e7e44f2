package dev.wharf.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAudit;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --audit-retention-days: the server's background task removes older events; 0 keeps them forever. */
class AuditRetentionIT {

  @Test
  void eventsOlderThanTheRetentionAreRemovedAndNewerOnesKept(@TempDir Path data) throws Exception {
    TestingClock clock = TestingClock.startingNow();
    try (TestingServer wharf = TestingServer.start(data, clock, Map.of("WHARF_AUDIT_RETENTION_DAYS", "30"))) {
      var iam = wharf.iam(wharf.rootCredentials());
      AuditLog audit = wharf.server().audit();
      String account = wharf.managementAccountId();
      iam.createUser(b -> b.userName("before"));
      // an event is stamped and queued as its call finishes, which may be just after the client has its answer:
      // the clock moves on only once the first one is recorded
      awaitCreateUserEvents(audit, account, clock, 1);
      clock.advance(Duration.ofDays(31));
      iam.createUser(b -> b.userName("after"));
      awaitCreateUserEvents(audit, account, clock, 2);

      // what the background scheduler runs every 10 minutes, run now
      assertThat(wharf.server().auditRetention()).isPresent();
      assertThat(wharf.server().auditRetention().get().removeExpired()).isPositive();

      assertThat(audit.lookup(account, clock.instant().minus(Duration.ofDays(365)), null, "iam:CreateUser", 10))
          .singleElement().satisfies(e -> assertThat(e.occurredAt()).isAfter(clock.instant().minus(Duration.ofDays(1))));
    }
  }

  private static void awaitCreateUserEvents(AuditLog audit, String account, TestingClock clock, int count) {
    TestingAudit.awaitEvents(
        () -> audit.lookup(account, clock.instant().minus(Duration.ofDays(365)), null, "iam:CreateUser", 10),
        found -> found.size() >= count, count + " CreateUser events");
  }

  @Test
  void zeroDaysKeepsEventsForever(@TempDir Path data) {
    try (TestingServer wharf = TestingServer.start(data, Clock.systemUTC(), Map.of("WHARF_AUDIT_RETENTION_DAYS", "0"))) {
      assertThat(wharf.server().auditRetention()).isEmpty();
    }
  }
}
