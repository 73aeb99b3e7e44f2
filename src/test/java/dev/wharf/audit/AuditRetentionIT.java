package dev.wharf.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
      iam.createUser(b -> b.userName("before"));
      clock.advance(Duration.ofDays(31));
      iam.createUser(b -> b.userName("after"));
      AuditLog audit = wharf.server().audit();
      String account = wharf.managementAccountId();
      // an event is queued as its call finishes, which may be just after the client has its answer
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
      while (audit.lookup(account, clock.instant().minus(Duration.ofDays(365)), null, "iam:CreateUser", 10).size() < 2) {
        assertThat(java.time.Instant.now()).as("both CreateUser events recorded").isBefore(deadline);
        Thread.sleep(50);
      }

      // what the background scheduler runs every 10 minutes, run now
      assertThat(wharf.server().auditRetention()).isPresent();
      assertThat(wharf.server().auditRetention().get().removeExpired()).isPositive();

      assertThat(audit.lookup(account, clock.instant().minus(Duration.ofDays(365)), null, "iam:CreateUser", 10))
          .singleElement().satisfies(e -> assertThat(e.occurredAt()).isAfter(clock.instant().minus(Duration.ofDays(1))));
    }
  }

  @Test
  void zeroDaysKeepsEventsForever(@TempDir Path data) {
    try (TestingServer wharf = TestingServer.start(data, Clock.systemUTC(), Map.of("WHARF_AUDIT_RETENTION_DAYS", "0"))) {
      assertThat(wharf.server().auditRetention()).isEmpty();
    }
  }
}
