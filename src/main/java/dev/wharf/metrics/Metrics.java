package dev.wharf.metrics;

import dev.wharf.policy.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wharf's own meters, over one Micrometer registry (Prometheus in the server, {@link #none()} where nothing
 * is exported). Every meter a request path touches is built here once, at start, so recording is an
 * increment: no tags are built and no registry is searched per request. Tags take only values from fixed
 * sets (protocols, formats, operation and route names, outcomes, reasons): never a package name, a path, a
 * principal or a token. The names and what they mean are listed in docs/deployment.md.
 */
public final class Metrics {
  /** Why a presented authorization token was refused (the client is told only that it is invalid). */
  public enum TokenRefusal {
    /** Empty, too long, or not {@code keyId.sealed}. */
    MALFORMED,
    /** Sealed under a key this server does not have (never, or retired since). */
    UNKNOWN_KEY,
    /** The seal does not open: altered, truncated, or not a token. */
    TAMPERED,
    EXPIRED,
    REVOKED,
    /** The user or role it acts as was deleted (or renamed, or re-created). */
    PRINCIPAL_GONE,
    /** A valid token of another domain. */
    OTHER_DOMAIN
  }

  /** How a read through a repository's upstreams ended. */
  public enum UpstreamResult { HIT, MISS, ERROR }

  /** What was asked of an external connection (a public registry). */
  public enum ExternalKind { METADATA, FILE }

  /**
   * How it ended: {@code HIT} metadata still fresh in the cache, {@code MISS} fetched from the registry,
   * {@code NOT_FOUND} the registry has no such thing, {@code ERROR} it could not be reached or answered wrong.
   */
  public enum ExternalResult { HIT, MISS, NOT_FOUND, ERROR }

  private static final Duration[] SLOW_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

  private final MeterRegistry registry;
  private final Map<String, RequestMeter> requests = new ConcurrentHashMap<>();
  private final Counter tokensIssued;
  private final Counter tokensVerified;
  private final Counter[] tokensRefused;
  private final Counter[] policyDecisions;
  private final Timer[] upstream;
  private final Timer[][] external;
  private final Counter bytesStored;
  private final Timer collectorRuns;
  private final Counter collectorFailures;
  private final Counter collectorBlobs;
  private final Counter collectorBytes;

  public Metrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    tokensIssued = Counter.builder("wharf.tokens.issued").description("Authorization tokens issued").register(registry);
    tokensVerified = Counter.builder("wharf.tokens.verified")
        .description("Authorization tokens presented and accepted").register(registry);
    TokenRefusal[] reasons = TokenRefusal.values();
    tokensRefused = new Counter[reasons.length];
    for (TokenRefusal reason : reasons) {
      tokensRefused[reason.ordinal()] = Counter.builder("wharf.tokens.refused").tag("reason", tag(reason))
          .description("Authorization tokens presented and refused, by reason").register(registry);
    }
    Outcome[] outcomes = Outcome.values();
    policyDecisions = new Counter[outcomes.length];
    for (Outcome outcome : outcomes) {
      policyDecisions[outcome.ordinal()] = Counter.builder("wharf.policy.decisions").tag("outcome", tag(outcome))
          .description("IAM policy decisions, by outcome").register(registry);
    }
    UpstreamResult[] results = UpstreamResult.values();
    upstream = new Timer[results.length];
    for (UpstreamResult result : results) {
      upstream[result.ordinal()] = Timer.builder("wharf.upstream.lookups").tag("result", tag(result))
          .description("Package versions looked for in a repository's upstreams because the repository lacked them")
          .serviceLevelObjectives(SLOW_BUCKETS).register(registry);
    }
    ExternalKind[] kinds = ExternalKind.values();
    ExternalResult[] externalResults = ExternalResult.values();
    external = new Timer[kinds.length][externalResults.length];
    for (ExternalKind kind : kinds) {
      for (ExternalResult result : externalResults) {
        external[kind.ordinal()][result.ordinal()] = Timer.builder("wharf.external.requests")
            .tag("kind", tag(kind)).tag("result", tag(result))
            .description("Metadata and files asked of external connections (public registries)")
            .serviceLevelObjectives(SLOW_BUCKETS).register(registry);
      }
    }
    bytesStored = Counter.builder("wharf.stored").baseUnit("bytes")
        .description("Package file bytes written to the blob store (uploads and files retained from upstreams)")
        .register(registry);
    collectorRuns = Timer.builder("wharf.blob.collector.runs").description("Blob collector runs and their duration")
        .register(registry);
    collectorFailures = Counter.builder("wharf.blob.collector.failures").description("Blob collector runs that failed")
        .register(registry);
    collectorBlobs = Counter.builder("wharf.blob.collector.removed.blobs")
        .description("Unreferenced blobs the collector removed").register(registry);
    collectorBytes = Counter.builder("wharf.blob.collector.removed").baseUnit("bytes")
        .description("Bytes of the unreferenced blobs the collector removed").register(registry);
  }

  /** Meters that record nothing (services built outside a server: tests, admin commands). */
  public static Metrics none() {
    return new Metrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The meter of one protocol, format and operation (one instance each). */
  public RequestMeter request(RequestProtocol protocol, String format, String operation) {
    return requests.computeIfAbsent(protocol.tag() + ' ' + format + ' ' + operation,
        key -> new RequestMeter(registry, protocol, format, operation));
  }

  /** The meters of the operations an endpoint serves, built now. */
  public RequestMeters requests(RequestProtocol protocol, String format, Collection<String> operations) {
    return new RequestMeters(this, protocol, format, operations);
  }

  public void tokenIssued() {
    tokensIssued.increment();
  }

  public void tokenVerified() {
    tokensVerified.increment();
  }

  public void tokenRefused(TokenRefusal reason) {
    tokensRefused[reason.ordinal()].increment();
  }

  public void policyDecision(Outcome outcome) {
    policyDecisions[outcome.ordinal()].increment();
  }

  public void upstreamLookup(UpstreamResult result, long nanos) {
    upstream[result.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  public void external(ExternalKind kind, ExternalResult result, long nanos) {
    external[kind.ordinal()][result.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  public void bytesStored(long bytes) {
    bytesStored.increment(bytes);
  }

  /** One run of the blob collector that completed. */
  public void collectorRun(long nanos, int blobsRemoved, long bytesRemoved) {
    collectorRuns.record(nanos, TimeUnit.NANOSECONDS);
    collectorBlobs.increment(blobsRemoved);
    collectorBytes.increment(bytesRemoved);
  }

  /** One run of the blob collector that failed. */
  public void collectorFailed(long nanos) {
    collectorRuns.record(nanos, TimeUnit.NANOSECONDS);
    collectorFailures.increment();
  }

  /** Exports a Caffeine cache's hits, misses, evictions and size as {@code cache_*{cache="name"}} (built with recordStats). */
  public void monitor(String name, com.github.benmanes.caffeine.cache.Cache<?, ?> cache) {
    CaffeineCacheMetrics.monitor(registry, cache, name);
  }

  private static String tag(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
