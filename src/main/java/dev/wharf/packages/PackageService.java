package dev.wharf.packages;

import dev.wharf.blob.BlobDigests;
import dev.wharf.blob.BlobStore;
import dev.wharf.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Packages, versions and assets of every format: the one entry point the npm, PyPI and Maven
 * endpoints and the CodeArtifact API call. Publishing stores the assets' blobs first and then
 * commits all metadata in one transaction, so a version is never visible half-published, and a
 * published version is immutable: of concurrent publishes of one version exactly one wins.
 * Authorization is the caller's job.
 */
public final class PackageService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PackageStore store;
  private final BlobStore blobs;
  private final Clock clock;
  /** Weighted by versions, so a few packages with thousands of versions cannot crowd out memory. */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Optional<PackageDocument>> documents =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumWeight(200_000)
          .<PackageKey, Optional<PackageDocument>>weigher((key, document) -> 1 + document.map(d -> d.versions().size()).orElse(0))
          .expireAfterWrite(java.time.Duration.ofSeconds(30))
          .build();

  public PackageService(PackageStore store, BlobStore blobs, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A version to publish; {@code metadata} is the format's JSON document for it. {@code status} is
   * Published, or Unfinished for a version whose files arrive one by one (Maven, generic) until it
   * is completed with {@link #updateStatus}.
   */
  public record Publication(PackageKey key, String version, String summary, String metadata, Map<String, String> distTags,
      String origin, VersionStatus status) {
    public Publication {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(metadata, "metadata");
      distTags = Map.copyOf(distTags);
      origin = origin == null ? "INTERNAL" : origin;
      status = status == null ? VersionStatus.PUBLISHED : status;
      if (status != VersionStatus.PUBLISHED && status != VersionStatus.UNFINISHED) {
        throw new IllegalArgumentException("a version is published as Published or Unfinished, not " + status);
      }
    }

    /** A version published complete. */
    public Publication(PackageKey key, String version, String summary, String metadata, Map<String, String> distTags,
        String origin) {
      this(key, version, summary, metadata, distTags, origin, VersionStatus.PUBLISHED);
    }
  }

  /** The content of one asset, read once; it must be at most {@code maxBytes} long. */
  public record AssetContent(String name, InputStream content, long maxBytes) {}

  /**
   * Publishes a version with its assets.
   *
   * @throws WharfException.Conflict if the version exists (nothing is changed)
   * @throws WharfException.TooLarge if an asset exceeds its limit
   */
  public PackageVersion publish(Publication publication, List<AssetContent> contents) {
    List<PackageAsset> assets = new ArrayList<>();
    for (AssetContent content : contents) {
      BlobDigests digests;
      try {
        digests = blobs.put(content.content(), content.maxBytes(), null);
      } catch (dev.wharf.blob.BlobTooLargeException e) {
        throw new WharfException.TooLarge("Asset " + content.name() + " exceeds the limit of " + content.maxBytes() + " bytes");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assets.add(new PackageAsset(content.name(), digests.sha256(), digests.size(), digests.md5(), digests.sha1(),
          digests.sha512()));
    }
    Instant now = clock.instant();
    PackageVersion version = new PackageVersion(publication.key(), publication.version(), publication.status(),
        newRevision(), now, now, publication.summary(), publication.metadata(), publication.origin());
    // An unreferenced blob left by a lost race or a failed commit is garbage for the collector, never visible.
    PackageStore.InsertOutcome outcome = store.insertVersion(version, assets, publication.distTags(), now);
    documents.invalidate(publication.key());
    if (outcome == PackageStore.InsertOutcome.VERSION_EXISTS) {
      throw versionExists(publication.key(), publication.version());
    }
    return version;
  }

  /**
   * Adds assets to an existing version (PyPI: another file of a release), all or nothing per asset.
   *
   * @return false when the version does not exist or an asset of that name is already there
   * @throws WharfException.TooLarge if an asset exceeds its limit
   */
  public boolean addAsset(PackageKey key, String version, AssetContent content) {
    BlobDigests digests;
    try {
      digests = blobs.put(content.content(), content.maxBytes(), null);
    } catch (dev.wharf.blob.BlobTooLargeException e) {
      throw new WharfException.TooLarge("Asset " + content.name() + " exceeds the limit of " + content.maxBytes() + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PackageAsset asset = new PackageAsset(content.name(), digests.sha256(), digests.size(), digests.md5(), digests.sha1(),
        digests.sha512());
    boolean added = store.insertAsset(key, version, asset, clock.instant());
    documents.invalidate(key);
    return added;
  }

  public static WharfException.Conflict versionExists(PackageKey key, String version) {
    return new WharfException.Conflict("ConflictException", "Package version " + version + " of "
        + displayName(key) + " already exists", "package-version", version);
  }

  public static String displayName(PackageKey key) {
    return key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
  }

  private static String newRevision() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public Optional<PackageSummary> findPackage(PackageKey key) {
    return document(key).map(PackageDocument::summary);
  }

  /**
   * Everything about a package, from a cache that every write through this service clears for
   * that package (after its commit), so readers never see a stale package on this node; the
   * 30-second expiry bounds what another node's writes can leave stale until cluster invalidation.
   * The same instance is returned until the package changes, so renderings can be cached on it.
   */
  public Optional<PackageDocument> document(PackageKey key) {
    return documents.get(key, store::readDocument);
  }

  public List<PackageVersion> versions(PackageKey key) {
    return document(key).map(d -> d.versions().stream().map(PackageDocument.VersionWithAssets::version).toList())
        .orElse(List.of());
  }

  public Optional<PackageVersion> version(PackageKey key, String version) {
    return document(key).flatMap(d -> d.versions().stream().map(PackageDocument.VersionWithAssets::version)
        .filter(v -> v.version().equals(version)).findFirst());
  }

  public List<PackageAsset> assets(PackageKey key, String version) {
    return document(key).flatMap(d -> d.versions().stream().filter(v -> v.version().version().equals(version)).findFirst())
        .map(PackageDocument.VersionWithAssets::assets).orElse(List.of());
  }

  /** Packages of a repository; every filter may be null. */
  public List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format,
      String namespace, String namePrefix) {
    return store.listPackages(domainOwner, domainName, repository, format, namespace, namePrefix);
  }

  /**
   * A page of package names of one format and namespace in a repository, in name order, after
   * {@code after} (null: from the start): for listings too large to read at once.
   */
  public List<String> packageNames(String domainOwner, String domainName, String repository, String format,
      String namespace, String after, int limit) {
    return store.packageNames(domainOwner, domainName, repository, format, namespace, after, limit);
  }

  /** Opens an asset's content for streaming, if its blob is present. */
  public Optional<InputStream> open(PackageAsset asset) {
    try {
      return blobs.open(asset.sha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, String> distTags(PackageKey key) {
    return document(key).map(PackageDocument::distTags).orElse(Map.of());
  }

  /** @throws WharfException.NotFound when the version does not exist */
  public void putDistTag(PackageKey key, String tag, String version) {
    boolean done = store.putDistTag(key, tag, version, clock.instant());
    documents.invalidate(key);
    if (!done) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Version " + version + " of " + displayName(key)
          + " not found", "package-version", version);
    }
  }

  /** @return false when the tag was not set */
  public boolean deleteDistTag(PackageKey key, String tag) {
    boolean done = store.deleteDistTag(key, tag, clock.instant());
    documents.invalidate(key);
    return done;
  }

  /** Replaces a version's metadata (e.g. npm's deprecation message); a new revision is issued. */
  public void updateMetadata(PackageKey key, String version, String metadata) {
    boolean done = store.updateVersionMetadata(key, version, metadata, newRevision(), clock.instant());
    documents.invalidate(key);
    if (!done) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Version " + version + " of " + displayName(key)
          + " not found", "package-version", version);
    }
  }

  public void updateStatus(PackageKey key, String version, VersionStatus status) {
    boolean done = store.updateVersionStatus(key, version, status, newRevision(), clock.instant());
    documents.invalidate(key);
    if (!done) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Version " + version + " of " + displayName(key)
          + " not found", "package-version", version);
    }
  }

  /** Forgets a deleted repository's packages (their blobs stay until garbage collection exists). */
  public void deleteRepositoryContents(dev.wharf.catalog.Repository repository) {
    store.deleteRepositoryContents(repository.domainOwner(), repository.domainName(), repository.name());
    documents.invalidateAll();
  }
}
