package dev.wharf.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it; shared by a server and the clients signing for it. */
public final class TestingClock extends Clock {
  private final AtomicReference<Instant> now;

  private TestingClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /** A clock at the current time, truncated to the second so tests can reason in whole seconds. */
  public static TestingClock startingNow() {
    return new TestingClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
