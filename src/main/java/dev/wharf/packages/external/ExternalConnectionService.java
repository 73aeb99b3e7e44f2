package dev.wharf.packages.external;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.UpstreamUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External connections (public:npmjs, public:pypi, …): each name maps to an upstream base URL that
 * the operator configured. A repository associated with one reads packages through it: the
 * package's metadata is fetched and reused for a configurable time (and, when the upstream fails,
 * for as long as it fails); a file is fetched when a client first asks for it, checked against the
 * hash the upstream published, and kept for good in the connected repository (origin EXTERNAL).
 */
public final class ExternalConnectionService implements UpstreamService.ExternalSource {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalConnectionService.class);
  /** The largest metadata document read from an upstream (npm packuments of popular packages reach tens of MB). */
  public static final long MAX_METADATA_BYTES = 64L * 1024 * 1024;

  private final PackageService packages;
  private final Function<PackageKey, Optional<String>> connectionOf;
  private final Map<String, String> formats;
  private final Map<String, URI> urls;
  private final Map<String, ExternalFormat> readers;
  private final ExternalFetcher fetcher;
  private final Duration ttl;
  private final Clock clock;
  private final long maxFileBytes;
  private final Path temporaryDirectory;

  private record Cached(Instant fetchedAt, Optional<PackageDocument> document) {}

  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Cached> cache =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

  /**
   * @param connectionOf a repository's external connection name (from the package key's repository)
   * @param formats the package format each connection name serves
   * @param urls the configured upstream base URL of each connection name
   */
  public ExternalConnectionService(PackageService packages, Function<PackageKey, Optional<String>> connectionOf,
      Map<String, String> formats, Map<String, URI> urls, List<ExternalFormat> readers, ExternalFetcher fetcher,
      Duration ttl, Clock clock, long maxFileBytes, Path temporaryDirectory) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.connectionOf = Objects.requireNonNull(connectionOf, "connectionOf");
    this.formats = Map.copyOf(formats);
    this.urls = Map.copyOf(urls);
    this.readers = readers.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(ExternalFormat::format, r -> r));
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxFileBytes = maxFileBytes;
    this.temporaryDirectory = Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
  }

  private record Connection(String name, URI base, ExternalFormat reader) {}

  private Optional<Connection> connection(PackageKey key) {
    return connectionOf.apply(key).flatMap(name -> {
      URI base = urls.get(name);
      ExternalFormat reader = readers.get(key.format());
      if (base == null || reader == null || !key.format().equals(formats.get(name))) {
        return Optional.empty();
      }
      return Optional.of(new Connection(name, base, reader));
    });
  }

  @Override
  public boolean connected(PackageKey key) {
    return connection(key).isPresent();
  }

  @Override
  public Optional<PackageDocument> document(PackageKey key) {
    Optional<Connection> connection = connection(key);
    if (connection.isEmpty()) {
      return Optional.empty();
    }
    Cached cached = cache.getIfPresent(key);
    Instant now = clock.instant();
    if (cached != null && cached.fetchedAt().plus(ttl).isAfter(now)) {
      return cached.document();
    }
    Connection c = connection.get();
    URI uri = c.reader().metadataUri(c.base(), key);
    try {
      Optional<PackageDocument> document = fetcher.metadata(uri, c.reader().accept(), MAX_METADATA_BYTES)
          .flatMap(body -> c.reader().parse(key, uri, body, c.name() + " (" + ExternalFetcher.display(c.base()) + ")"));
      cache.put(key, new Cached(now, document));
      return document;
    } catch (UpstreamUnavailableException e) {
      if (cached != null) {
        LOG.warn("{}; serving what was fetched at {}", e.getMessage(), cached.fetchedAt());
        return cached.document();
      }
      throw new UpstreamUnavailableException(c.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
    PackageKey key = remote.version().key();
    Connection c = connection(key).orElseThrow(() -> new UpstreamUnavailableException("Repository " + key.repository()
        + " no longer has an external connection for " + key.format()));
    ExternalFormat.RemoteFile file = c.reader().file(remote, assetName);
    String upstream = c.name() + " (" + ExternalFetcher.display(c.base()) + ")";
    if (!sameOrigin(c.base(), file.url())) {
      throw new UpstreamUnavailableException("The upstream " + upstream + " lists " + assetName + " at another host ("
          + ExternalFetcher.display(file.url()) + "); it is not fetched");
    }
    Path target = null;
    try {
      Files.createDirectories(temporaryDirectory);
      target = Files.createTempFile(temporaryDirectory, "external-", ".part");
      Path fetched;
      try {
        fetched = fetcher.file(withCredentials(c.base(), file.url()), maxFileBytes, target)
            .orElseThrow(() -> new UpstreamUnavailableException("The upstream " + upstream + " lists " + assetName
                + " but does not have it"));
      } catch (UpstreamUnavailableException e) {
        throw new UpstreamUnavailableException(c.name() + ": " + e.getMessage(), e);
      }
      try (InputStream in = Files.newInputStream(fetched)) {
        return packages.ingest(file.publication(), new PackageService.AssetContent(assetName, in, maxFileBytes),
            file.digests(), c.name(), upstream);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (target != null) {
        try {
          Files.deleteIfExists(target);
        } catch (IOException e) {
          LOG.warn("could not delete {}", target, e);
        }
      }
    }
  }

  private static boolean sameOrigin(URI base, URI url) {
    return Objects.equals(base.getScheme(), url.getScheme()) && Objects.equals(base.getHost(), url.getHost())
        && base.getPort() == url.getPort();
  }

  /** A file URL on the upstream's host gets the base URL's credentials, if it has any. */
  private static URI withCredentials(URI base, URI url) {
    if (base.getRawUserInfo() == null || url.getRawUserInfo() != null) {
      return url;
    }
    return URI.create(url.toString().replaceFirst("://", "://" + base.getRawUserInfo() + "@"));
  }
}
