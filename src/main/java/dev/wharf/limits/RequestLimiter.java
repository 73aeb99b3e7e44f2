package dev.wharf.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.error.WharfException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one place that decides whether a request is within its limits, for every protocol. The endpoints ask it
 * where the caller is known (after SigV4 verification, after a package token's verification, or when a request
 * carries no credential at all) and answer {@link WharfException.Throttled} in their protocol's shape.
 *
 * <p>Each limit is a token bucket (Bucket4j, lock free) per key, kept in a Caffeine cache per scope: no global
 * lock on the request path, and memory bounded twice over. A bucket is dropped once it has been idle for as
 * long as it takes to fill up (it is then the same as a new one), and each scope keeps at most
 * {@link #MAX_KEYS_PER_SCOPE} keys, so a flood of distinct addresses evicts idle keys rather than growing the
 * map. IPv6 addresses count by their /64, the block one client usually holds.
 *
 * <p>Limits are per node: a cluster's total is the sum over its nodes.
 */
public final class RequestLimiter {
  /** The most keys a scope keeps (about 300 bytes each). */
  static final int MAX_KEYS_PER_SCOPE = 65_536;

  private final LimitSettings settings;
  private final TimeMeter time;
  private final Map<LimitSettings.Scope, Buckets> scopes = new EnumMap<>(LimitSettings.Scope.class);
  /** Per operation, buckets keyed by calling account; only the operations with a limit. */
  private final Map<String, Buckets> operations = new HashMap<>();
  private final Semaphore uploads;

  /** A limiter on the system clock. */
  public RequestLimiter(LimitSettings settings) {
    this(settings, TimeMeter.SYSTEM_NANOTIME);
  }

  /** A limiter on the given time source (tests move it by hand). */
  public RequestLimiter(LimitSettings settings, TimeMeter time) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.time = Objects.requireNonNull(time, "time");
    settings.rates().forEach((scope, rate) -> scopes.put(scope, new Buckets(rate, time, describe(scope, rate))));
    settings.operations().forEach((operation, rate) -> operations.put(operation, new Buckets(rate, time,
        "more than " + rate.requests() + " " + operation + " requests per " + unit(rate) + " for this account")));
    this.uploads = settings.uploads() == 0 ? null : new Semaphore(settings.uploads());
  }

  /** The settings it enforces. */
  public LimitSettings settings() {
    return settings;
  }

  /**
   * Refuses operation limits that name no operation the server serves (a typo would otherwise limit nothing).
   *
   * @throws IllegalStateException naming each unknown operation
   */
  public void requireKnownOperations(Set<String> served) {
    Set<String> unknown = new TreeSet<>(settings.operations().keySet());
    unknown.removeAll(served);
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("limit operation:" + String.join(", operation:", unknown)
          + " names no operation this server serves (operation names are the API's, e.g. GetAuthorizationToken)");
    }
  }

  /**
   * A request that carries no valid credential (none, or one that failed verification), from {@code address}.
   *
   * @throws WharfException.Throttled when the address is over its limit for such requests, or over its
   *     limit for all requests
   */
  public void admitAnonymous(String address) {
    if (scopes.isEmpty()) {
      return;
    }
    String addressKey = null;
    List<Admitted> taken = new ArrayList<>(2);
    Buckets anonymous = scopes.get(LimitSettings.Scope.ANONYMOUS);
    if (anonymous != null) {
      addressKey = addressKey(address);
      take(anonymous, addressKey, taken);
    }
    Buckets everyRequest = scopes.get(LimitSettings.Scope.ADDRESS);
    if (everyRequest != null) {
      take(everyRequest, addressKey != null ? addressKey : addressKey(address), taken);
    }
  }

  /**
   * A package request made with a valid authorization token.
   *
   * @param accountId the account of the principal the token acts as
   * @param write whether it publishes or changes metadata (else it reads)
   * @throws WharfException.Throttled when a limit of the token, its account or the address is exhausted
   */
  public void admitPackageRequest(String address, String tokenId, String accountId, boolean write) {
    if (scopes.isEmpty()) {
      return; // the package-file path with no limit configured: nothing to look up
    }
    List<Admitted> taken = new ArrayList<>(3);
    takeIfLimited(LimitSettings.Scope.TOKEN, tokenId, taken);
    takeIfLimited(write ? LimitSettings.Scope.ACCOUNT_WRITES : LimitSettings.Scope.ACCOUNT_READS, accountId, taken);
    Buckets everyRequest = scopes.get(LimitSettings.Scope.ADDRESS);
    if (everyRequest != null) {
      take(everyRequest, addressKey(address), taken);
    }
  }

  /**
   * An AWS API call signed with a valid access key.
   *
   * @param accountId the account of the principal that signed it
   * @param operation the operation's name in its service's model (e.g. GetAuthorizationToken), or null when
   *     the request names none
   * @throws WharfException.Throttled when a limit of the key, of the operation for the account or of the
   *     address is exhausted
   */
  public void admitApiCall(String address, String accessKeyId, String accountId, String operation) {
    if (scopes.isEmpty() && operations.isEmpty()) {
      return;
    }
    List<Admitted> taken = new ArrayList<>(3);
    Buckets perOperation = operation == null ? null : operations.get(operation);
    if (perOperation != null) {
      take(perOperation, accountId, taken);
    }
    takeIfLimited(LimitSettings.Scope.ACCESS_KEY, accessKeyId, taken);
    Buckets everyRequest = scopes.get(LimitSettings.Scope.ADDRESS);
    if (everyRequest != null) {
      take(everyRequest, addressKey(address), taken);
    }
  }

  /** One upload's place among the uploads allowed at once; closing it frees the place. */
  public interface Upload extends AutoCloseable {
    @Override
    void close();
  }

  private static final Upload UNBOUNDED = () -> { };

  /**
   * Takes a place for an upload, or refuses it at once when every place is taken (the client's retry then
   * finds the server less busy, rather than a queue holding its connection).
   *
   * @throws WharfException.Throttled when the configured number of uploads are running
   */
  public Upload upload() {
    if (uploads == null) {
      return UNBOUNDED;
    }
    if (!uploads.tryAcquire()) {
      throw new WharfException.Throttled("Too many uploads at once (" + settings.uploads()
          + " are running); retry shortly", 1000);
    }
    return new Upload() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          uploads.release();
        }
      }
    };
  }

  /** How many uploads hold a place now (a test waits for its held upload to hold one). */
  int uploadsRunning() {
    return uploads == null ? 0 : settings.uploads() - uploads.availablePermits();
  }

  /** How many keys a scope holds now, after dropping the expired ones (tests check the bounds). */
  long keys(LimitSettings.Scope scope) {
    Buckets buckets = scopes.get(scope);
    if (buckets == null) {
      return 0;
    }
    buckets.byKey.cleanUp();
    return buckets.byKey.estimatedSize();
  }

  private void takeIfLimited(LimitSettings.Scope scope, String key, List<Admitted> taken) {
    Buckets buckets = scopes.get(scope);
    if (buckets != null && key != null) {
      take(buckets, key, taken);
    }
  }

  /** A token taken from a bucket, given back when a later limit of the same request refuses it. */
  private record Admitted(Bucket bucket) {}

  private static void take(Buckets buckets, String key, List<Admitted> taken) {
    Bucket bucket = buckets.of(key);
    if (bucket.tryConsume(1)) { // the common case, without the probe's allocation
      taken.add(new Admitted(bucket));
      return;
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) { // refilled in between
      taken.add(new Admitted(bucket));
      return;
    }
    // a request refused by one limit does not count against the others it passed
    for (Admitted admitted : taken) {
      admitted.bucket().addTokens(1);
    }
    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill() + 999_999L));
    throw new WharfException.Throttled("Rate exceeded: " + buckets.description, millis);
  }

  /**
   * The key an address counts under: itself for IPv4, its /64 for IPv6 (a client holds a whole /64, so a
   * limit per address would let it use 2^64 of them).
   */
  static String addressKey(String address) {
    if (address == null || address.indexOf(':') < 0) {
      return address == null ? "" : address;
    }
    String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
        : address;
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    try {
      byte[] bytes = InetAddress.getByName(literal).getAddress(); // a literal: no name lookup
      if (bytes.length == 16) {
        return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
      }
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      return literal;
    }
  }

  private static String describe(LimitSettings.Scope scope, Rate rate) {
    String per = "per " + unit(rate);
    return switch (scope) {
      case ANONYMOUS -> "more than " + rate.requests() + " requests without a valid credential " + per
          + " from this address";
      case ADDRESS -> "more than " + rate.requests() + " requests " + per + " from this address";
      case TOKEN -> "more than " + rate.requests() + " requests " + per + " with this authorization token";
      case ACCESS_KEY -> "more than " + rate.requests() + " requests " + per + " with this access key";
      case ACCOUNT_READS -> "more than " + rate.requests() + " package reads " + per + " for this account";
      case ACCOUNT_WRITES -> "more than " + rate.requests() + " package writes " + per + " for this account";
    };
  }

  private static String unit(Rate rate) {
    return rate.period().toSeconds() == 1 ? "second" : "minute";
  }

  /** The buckets of one limit, by key: created on first use, dropped when idle long enough to be full again. */
  private static final class Buckets {
    private final Rate rate;
    private final TimeMeter time;
    private final String description;
    private final Cache<String, Bucket> byKey;

    Buckets(Rate rate, TimeMeter time, String description) {
      this.rate = rate;
      this.time = time;
      this.description = description;
      this.byKey = Caffeine.newBuilder()
          .maximumSize(MAX_KEYS_PER_SCOPE)
          .expireAfterAccess(rate.refillTime())
          .ticker(time::currentTimeNanos)
          .build();
    }

    Bucket of(String key) {
      Bucket bucket = byKey.getIfPresent(key);
      return bucket != null ? bucket : byKey.get(key, unused -> newBucket());
    }

    private Bucket newBucket() {
      return Bucket.builder()
          .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.requests(), rate.period()))
          .withCustomTimePrecision(time)
          .build();
    }
  }
}
