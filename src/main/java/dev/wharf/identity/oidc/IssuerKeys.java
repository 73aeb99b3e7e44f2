package dev.wharf.identity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of registered OIDC issuers: read from the issuer's
 * {@code /.well-known/openid-configuration}, then its {@code jwks_uri}, over TLS trusted as
 * {@link ProviderTrust} says, each answer bounded in time and size. Keys are cached per issuer (and
 * per set of thumbprints, which decide whether the issuer is trusted at all) for {@code ttl}; a token
 * whose key ID is unknown asks for a {@linkplain #refresh refresh}, which runs at most once per
 * {@code refreshInterval} per issuer, so a stream of bad tokens cannot make Wharf hammer an issuer.
 * Only registered providers are ever fetched: a token names its issuer, but Wharf asks only the
 * issuers an administrator registered.
 */
public final class IssuerKeys {
  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long keys that can no longer be refreshed (the issuer is down) are still used. */
  private static final Duration STALE_LIMIT = Duration.ofHours(24);

  private final Duration timeout;
  private final int maxDocumentBytes;
  private final Duration ttl;
  private final Duration refreshInterval;
  private final Clock clock;
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "oidc-fetch-timeout");
    thread.setDaemon(true);
    return thread;
  });

  private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(1_000).build();

  /** An issuer could not be asked, or answered something that is not a key set. */
  public static final class IssuerUnavailableException extends Exception {
    IssuerUnavailableException(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /** The cached keys of one issuer; the lock makes concurrent requests wait for one fetch. */
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    volatile JWKSet keys;
    volatile Instant fetchedAt = Instant.EPOCH;
    volatile Instant refreshedAt = Instant.EPOCH;
  }

  public IssuerKeys(Duration timeout, int maxDocumentBytes, Duration ttl, Duration refreshInterval, Clock clock) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxDocumentBytes = maxDocumentBytes;
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Defaults for a server: 5 s per request, 64 KiB per document, keys kept 15 min, a refresh per 10 s. */
  public static IssuerKeys defaults(Clock clock) {
    return new IssuerKeys(Duration.ofSeconds(5), 64 * 1024, Duration.ofMinutes(15), Duration.ofSeconds(10), clock);
  }

  private static String key(OidcProvider provider) {
    return provider.issuer() + " " + String.join(",", provider.thumbprints().stream().sorted().toList());
  }

  /** The issuer's keys, fetched when not cached or older than the TTL. */
  public JWKSet keys(OidcProvider provider) throws IssuerUnavailableException {
    Entry entry = entries.get(key(provider), k -> new Entry());
    JWKSet keys = entry.keys;
    if (keys != null && entry.fetchedAt.plus(ttl).isAfter(clock.instant())) {
      return keys;
    }
    return fetch(provider, entry);
  }

  /**
   * Fetches the keys again because a token names a key ID the cached set lacks. Such refreshes run at
   * most once per refresh interval; in between, and when another request fetched the keys while this
   * one waited, the cached keys are returned.
   */
  public JWKSet refresh(OidcProvider provider) throws IssuerUnavailableException {
    Entry entry = entries.get(key(provider), k -> new Entry());
    Instant asked = clock.instant();
    entry.lock.lock();
    try {
      if (entry.keys != null && (entry.fetchedAt.isAfter(asked)
          || entry.refreshedAt.plus(refreshInterval).isAfter(clock.instant()))) {
        return entry.keys;
      }
      entry.refreshedAt = clock.instant();
      return download(provider, entry);
    } finally {
      entry.lock.unlock();
    }
  }

  /** The cached keys when younger than the TTL (also after waiting for another request's fetch), else new ones. */
  private JWKSet fetch(OidcProvider provider, Entry entry) throws IssuerUnavailableException {
    entry.lock.lock();
    try {
      if (entry.keys != null && entry.fetchedAt.plus(ttl).isAfter(clock.instant())) {
        return entry.keys;
      }
      return download(provider, entry);
    } finally {
      entry.lock.unlock();
    }
  }

  /** Downloads into the entry (its lock held); keeps using keys up to a day old when the issuer cannot be reached. */
  private JWKSet download(OidcProvider provider, Entry entry) throws IssuerUnavailableException {
    Instant asked = clock.instant();
    try {
      JWKSet keys = download(provider);
      entry.keys = keys;
      entry.fetchedAt = clock.instant();
      return keys;
    } catch (IssuerUnavailableException e) {
      JWKSet stale = entry.keys;
      if (stale != null && entry.fetchedAt.plus(STALE_LIMIT).isAfter(asked)) {
        LOG.warn("OIDC issuer {}: {}; using the keys fetched at {}", provider.issuer(), e.getMessage(), entry.fetchedAt);
        return stale;
      }
      throw e;
    }
  }

  private JWKSet download(OidcProvider provider) throws IssuerUnavailableException {
    String discoveryUrl = provider.issuer() + "/.well-known/openid-configuration";
    HttpClient client = null;
    try {
      // close() would wait for a request stuck on a silent issuer; shutdownNow() below does not
      client = HttpClient.newBuilder().sslContext(ProviderTrust.context(provider.thumbprints()))
          .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
      JsonNode discovery = JSON.readTree(get(client, discoveryUrl));
      String issuer = discovery.path("issuer").asText("");
      if (!issuer.equals(provider.issuer()) && !issuer.equals(provider.issuer() + "/")) {
        throw new IssuerUnavailableException("the discovery document names issuer \"" + issuer + "\", not "
            + provider.issuer(), null);
      }
      String jwksUri = discovery.path("jwks_uri").asText("");
      if (!jwksUri.startsWith("https://")) {
        throw new IssuerUnavailableException("the discovery document has no https jwks_uri", null);
      }
      JWKSet keys = JWKSet.parse(get(client, jwksUri)).toPublicJWKSet();
      if (keys.isEmpty()) {
        throw new IssuerUnavailableException("the issuer's key set at " + jwksUri + " holds no public key", null);
      }
      return keys;
    } catch (IssuerUnavailableException e) {
      throw e;
    } catch (java.text.ParseException | IOException e) {
      throw new IssuerUnavailableException(describe(e), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS cannot be set up for OIDC issuers", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuerUnavailableException("interrupted while asking the issuer", e);
    } finally {
      if (client != null) {
        client.shutdownNow();
      }
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "the issuer did not answer in time";
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "the issuer's TLS certificate is not trusted: " + e.getMessage();
    }
    if (e instanceof java.text.ParseException || e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      return "the issuer answered a malformed document";
    }
    return "the issuer could not be reached: " + e;
  }

  /** GETs one document: 200 only, at most maxDocumentBytes, headers and body each within the timeout. */
  private String get(HttpClient client, String url) throws IOException, InterruptedException, IssuerUnavailableException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IssuerUnavailableException("not a URL: " + url, e);
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = response.body();
    // a body that trickles in is cut off when the timeout has passed: closing the stream ends the read
    ScheduledFuture<?> guard = TIMER.schedule(() -> closeQuietly(body), timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (body) {
      if (response.statusCode() != 200) {
        throw new IssuerUnavailableException(url + " answered HTTP " + response.statusCode(), null);
      }
      byte[] bytes;
      try {
        bytes = body.readNBytes(maxDocumentBytes + 1);
      } catch (IOException e) {
        if (guard.isDone()) {
          throw new java.net.http.HttpTimeoutException("the issuer did not send its document in time");
        }
        throw e;
      }
      if (bytes.length > maxDocumentBytes) {
        throw new IssuerUnavailableException(url + " answered more than " + maxDocumentBytes + " bytes", null);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } finally {
      guard.cancel(false);
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // the reader sees the stream closed either way
    }
  }
}
