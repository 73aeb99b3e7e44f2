package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for audit events. An event is queued as its call finishes, which can be just after the client has its
 * answer, so a lookup made as soon as the answer arrives can miss the last event (AuditLog.lookup flushes only what
 * is queued). Tests look up until what they expect is there, for at most 20 s.
 */
public final class TestingAudit {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private TestingAudit() {
  }

  /** The events {@code lookup} returns once {@code complete} holds for them; fails with {@code what} after 20 s. */
  public static List<AuditEvent> awaitEvents(Supplier<List<AuditEvent>> lookup, Predicate<List<AuditEvent>> complete,
      String what) {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (true) {
      List<AuditEvent> events = lookup.get();
      if (complete.test(events)) {
        return events;
      }
      assertThat(Instant.now()).as("%s recorded within %s; found %s", what, PATIENCE, events).isBefore(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
