package dev.wharf.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The request meters of one protocol, format and operation: a latency histogram per status (made when a
 * status is first answered, then reused, so recording a request builds no tags) and the bytes served.
 */
public final class RequestMeter {
  /** The latency buckets of {@code wharf_requests_seconds}: a package file from memory to a large upload. */
  static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;
  private final Tags tags;
  /** Timers by status code (100 to 599); index 0 stands for any other code. */
  private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);
  private final Counter bytesServed;

  RequestMeter(MeterRegistry registry, RequestProtocol protocol, String format, String operation) {
    this.registry = registry;
    this.tags = Tags.of("protocol", protocol.tag(), "format", format, "operation", operation);
    this.bytesServed = Counter.builder("wharf.served").baseUnit("bytes")
        .description("Response body bytes written, by protocol and format")
        .tags("protocol", protocol.tag(), "format", format).register(registry);
  }

  /** Records one answered request: its status, how long since its first byte arrived, and the body bytes written. */
  public void record(int status, long nanos, long bytesWritten) {
    int index = status >= 100 && status < 600 ? status : 0;
    Timer timer = byStatus.get(index);
    if (timer == null) {
      timer = Timer.builder("wharf.requests").description("Requests answered, by protocol, format, operation and status")
          .tags(tags).tag("status", index == 0 ? "other" : Integer.toString(index))
          .serviceLevelObjectives(BUCKETS).register(registry);
      byStatus.set(index, timer); // a race registers the same timer twice: the registry hands out one
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
    if (bytesWritten > 0) {
      bytesServed.increment(bytesWritten);
    }
  }
}
