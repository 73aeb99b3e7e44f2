package dev.wharf.packages.external;

import dev.wharf.metrics.Metrics;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
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

  private final PublishingService publishing;
  private final Function<PackageKey, Optional<String>> connectionOf;
  private final Map<String, String> formats;
  private final Map<String, URI> urls;
  private final Map<String, ExternalFormat> readers;
  private final ExternalFetcher fetcher;
  private final Duration ttl;
  private final Clock clock;
  private final long maxFileBytes;
  private final Path temporaryDirectory;
  private final Metrics metrics;

  private record Cached(Instant fetchedAt, Optional<PackageDocument> document) {}

  /** Files found by name that the upstream did not have, and when it said so (remembered for the metadata TTL). */
  private final com.github.benmanes.caffeine.cache.Cache<URI, Instant> missing =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Cached> cache =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

  /**
   * @param connectionOf a repository's external connection name (from the package key's repository)
   * @param formats the package format each connection name serves
   * @param urls the configured upstream base URL of each connection name
   */
  public ExternalConnectionService(PublishingService publishing, Function<PackageKey, Optional<String>> connectionOf,
      Map<String, String> formats, Map<String, URI> urls, List<ExternalFormat> readers, ExternalFetcher fetcher,
      Duration ttl, Clock clock, long maxFileBytes, Path temporaryDirectory, Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.publishing = Objects.requireNonNull(publishing, "publishing");
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
    long started = System.nanoTime();
    Cached cached = cache.getIfPresent(key);
    Instant now = clock.instant();
    if (cached != null && cached.fetchedAt().plus(ttl).isAfter(now)) {
      metrics.external(Metrics.ExternalKind.METADATA, Metrics.ExternalResult.HIT, System.nanoTime() - started);
      return cached.document();
    }
    Connection c = connection.get();
    URI uri = c.reader().metadataUri(c.base(), key);
    try {
      Optional<PackageDocument> document = fetcher.metadata(uri, c.reader().accept(), MAX_METADATA_BYTES)
          .map(body -> completed(c, key, uri, body))
          .flatMap(body -> c.reader().parse(key, uri, body, upstreamName(c)));
      cache.put(key, new Cached(now, document));
      metrics.external(Metrics.ExternalKind.METADATA, document.isPresent() ? Metrics.ExternalResult.MISS
          : Metrics.ExternalResult.NOT_FOUND, System.nanoTime() - started);
      return document;
    } catch (UpstreamUnavailableException e) {
      metrics.external(Metrics.ExternalKind.METADATA, Metrics.ExternalResult.ERROR, System.nanoTime() - started);
      if (cached != null) {
        LOG.warn("{}; serving what was fetched at {}", e.getMessage(), cached.fetchedAt());
        return cached.document();
      }
      throw new UpstreamUnavailableException(c.name() + ": " + e.getMessage(), e);
    }
  }

  /** The most documents one metadata document may link to (NuGet pages 128 versions each: 12,800 versions). */
  static final int MAX_LINKED = 100;

  /**
   * A metadata document with the parts it links to put back ({@link ExternalFormat.Linked}): each from
   * the upstream's own origin, all of them within {@link #MAX_METADATA_BYTES} together with the
   * document, and at most {@link #MAX_LINKED}; a linked part the upstream does not have makes the
   * document malformed.
   */
  private byte[] completed(Connection c, PackageKey key, URI uri, byte[] body) {
    if (!(c.reader() instanceof ExternalFormat.Linked linked)) {
      return body;
    }
    String upstream = upstreamName(c);
    List<URI> links = linked.linked(key, uri, body, upstream);
    if (links.isEmpty()) {
      return body;
    }
    if (links.size() > MAX_LINKED) {
      throw ExternalFormat.malformed("document", upstream, key, "it links " + links.size() + " parts, more than "
          + MAX_LINKED);
    }
    long left = MAX_METADATA_BYTES - body.length;
    List<byte[]> parts = new java.util.ArrayList<>();
    for (URI link : links) {
      if (!sameOrigin(c.base(), link)) {
        throw ExternalFormat.malformed("document", upstream, key, "it links a part at another origin ("
            + ExternalFetcher.display(link) + ")");
      }
      byte[] part = fetcher.metadata(withCredentials(c.base(), link), c.reader().accept(), Math.max(left, 0))
          .orElseThrow(() -> ExternalFormat.malformed("document", upstream, key, "a part it links is missing ("
              + ExternalFetcher.display(link) + ")"));
      left -= part.length;
      parts.add(part);
    }
    return linked.complete(key, body, parts, upstream);
  }

  @Override
  public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
    Connection c = connectionFor(remote);
    if (!(c.reader() instanceof ExternalFormat.ListedFiles listed)) {
      throw new IllegalStateException(c.reader().format() + " lists no files in its metadata to fetch");
    }
    ExternalFormat.RemoteFile file = listed.file(remote, assetName);
    String upstream = upstreamName(c);
    requireAllowedFileUrl(c, file.url(), assetName, upstream);
    return withTemporaryFile(target -> {
      Path fetched = get(c, file.url(), target).orElseThrow(() -> new UpstreamUnavailableException("The upstream "
          + upstream + " lists " + assetName + " but does not have it"));
      return Optional.of(ingest(c, file.publication(), assetName, fetched, file.digests(), upstream));
    }).orElseThrow();
  }

  /**
   * Fetches a file by name (Maven), then the strongest checksum the upstream publishes for it
   * (SHA-512, SHA-256, SHA-1: the first that exists); a file without one (but a signature), or whose
   * checksum does not match or cannot be read, is not kept.
   */
  @Override
  public Optional<PackageDocument.VersionWithAssets> fetchNamed(PackageDocument.VersionWithAssets remote,
      String assetName) {
    Connection c = connectionFor(remote);
    if (!(c.reader() instanceof ExternalFormat.NamedFiles reader)) {
      return Optional.empty(); // its files are listed in its metadata, with their hashes
    }
    Optional<ExternalFormat.NamedFile> named = reader.namedFile(c.base(), remote, assetName);
    if (named.isEmpty()) {
      return Optional.empty();
    }
    String upstream = upstreamName(c);
    URI url = named.get().url();
    requireAllowedFileUrl(c, url, assetName, upstream);
    Instant missingSince = missing.getIfPresent(url);
    if (missingSince != null && missingSince.plus(ttl).isAfter(clock.instant())) {
      return Optional.empty(); // asked again and again (Gradle's .module files): not every time upstream
    }
    return withTemporaryFile(target -> {
      Optional<Path> fetched = get(c, url, target);
      if (fetched.isEmpty()) {
        missing.put(url, clock.instant());
        return Optional.empty();
      }
      PublishingService.ExpectedDigests expected = publishedChecksum(c, reader, named.get(), assetName, upstream)
          .or(() -> named.get().signature() ? Optional.of(new PublishingService.ExpectedDigests(sha256(fetched.get()),
              null, null)) : Optional.empty())
          .orElseThrow(() -> new UpstreamUnavailableException("The upstream " + upstream + " publishes no SHA-512,"
              + " SHA-256 or SHA-1 checksum for " + assetName + "; it was not stored"));
      return Optional.of(ingest(c, reader.publication(remote, assetName, fetched.get()), assetName, fetched.get(),
          expected, upstream));
    });
  }

  /** The strongest checksum the upstream publishes for the file; empty when it publishes none. */
  private Optional<PublishingService.ExpectedDigests> publishedChecksum(Connection c, ExternalFormat.NamedFiles reader,
      ExternalFormat.NamedFile file, String assetName, String upstream) {
    for (ExternalFormat.ChecksumFile checksum : file.checksums()) {
      requireAllowedFileUrl(c, checksum.url(), assetName, upstream);
      Optional<byte[]> body;
      try {
        body = fetcher.metadata(withCredentials(c.base(), checksum.url()), "text/plain, */*", checksum.maxBytes());
      } catch (UpstreamUnavailableException e) {
        throw new UpstreamUnavailableException(c.name() + ": " + e.getMessage(), e);
      }
      if (body.isEmpty()) {
        continue;
      }
      String hex = reader.checksum(checksum, body.get()).orElseThrow(() -> new UpstreamUnavailableException(
          "The upstream " + upstream + " publishes a malformed " + checksum.algorithm() + " checksum for " + assetName
              + "; it was not stored"));
      return Optional.of(switch (checksum.algorithm()) {
        case SHA512 -> new PublishingService.ExpectedDigests(null, hex, null);
        case SHA256 -> new PublishingService.ExpectedDigests(hex, null, null);
        case SHA1 -> new PublishingService.ExpectedDigests(null, null, hex);
      });
    }
    return Optional.empty();
  }

  /** The SHA-256 of a fetched file (what a signature without a published checksum is stored as). */
  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Connection connectionFor(PackageDocument.VersionWithAssets remote) {
    PackageKey key = remote.version().key();
    return connection(key).orElseThrow(() -> new UpstreamUnavailableException("Repository " + key.repository()
        + " no longer has an external connection for " + key.format()));
  }

  private static String upstreamName(Connection c) {
    return c.name() + " (" + ExternalFetcher.display(c.base()) + ")";
  }

  private static void requireAllowedFileUrl(Connection c, URI url, String assetName, String upstream) {
    if (!fileUrlAllowed(c.base(), url)) {
      throw new UpstreamUnavailableException("The upstream " + upstream + " lists " + assetName + " at another host"
          + " without HTTPS (" + ExternalFetcher.display(url) + "); it is not fetched");
    }
  }

  /**
   * Where a listed file may be fetched from: the upstream's own scheme, host and port, or another
   * host over HTTPS (PyPI lists its files on files.pythonhosted.org, not pypi.org). Either way the
   * content must match the hash the upstream's metadata gave, and the upstream's credentials go to
   * its own origin only.
   */
  static boolean fileUrlAllowed(URI base, URI url) {
    return sameOrigin(base, url) || ("https".equalsIgnoreCase(url.getScheme()) && url.getHost() != null
        && url.getRawUserInfo() == null);
  }


  /** GETs a file into {@code target}; empty when the upstream does not have it. */
  private Optional<Path> get(Connection c, URI url, Path target) {
    long started = System.nanoTime();
    try {
      Optional<Path> file = fetcher.file(withCredentials(c.base(), url), maxFileBytes, target);
      metrics.external(Metrics.ExternalKind.FILE, file.isPresent() ? Metrics.ExternalResult.MISS
          : Metrics.ExternalResult.NOT_FOUND, System.nanoTime() - started);
      return file;
    } catch (UpstreamUnavailableException e) {
      metrics.external(Metrics.ExternalKind.FILE, Metrics.ExternalResult.ERROR, System.nanoTime() - started);
      throw new UpstreamUnavailableException(c.name() + ": " + e.getMessage(), e);
    }
  }

  private PackageDocument.VersionWithAssets ingest(Connection c, PublishingService.Publication publication,
      String assetName, Path fetched, PublishingService.ExpectedDigests digests, String upstream) throws IOException {
    try (InputStream in = Files.newInputStream(fetched)) {
      return publishing.ingest(publication, new PublishingService.AssetContent(assetName, in, maxFileBytes), digests,
          c.name(), upstream);
    }
  }

  private interface WithFile<T> {
    Optional<T> apply(Path target) throws IOException;
  }

  /** Runs {@code work} with a fresh temporary file, deleted afterwards whatever happens. */
  private <T> Optional<T> withTemporaryFile(WithFile<T> work) {
    Path target = null;
    try {
      Files.createDirectories(temporaryDirectory);
      target = Files.createTempFile(temporaryDirectory, "external-", ".part");
      return work.apply(target);
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
  static URI withCredentials(URI base, URI url) {
    if (base.getRawUserInfo() == null || url.getRawUserInfo() != null || !sameOrigin(base, url)) {
      return url;
    }
    return URI.create(url.toString().replaceFirst("://", "://" + base.getRawUserInfo() + "@"));
  }
}
