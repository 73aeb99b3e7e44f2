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

  /**
   * Origin restrictions per package (absent: no row, so ALLOW/ALLOW), read on every upstream search
   * and every publish. Cleared with the package's document: by every write through this service on
   * this node, and by {@link #invalidate}/{@link #invalidateAll} for other nodes' changes, so a
   * PutPackageOriginConfiguration reaches other nodes as fast as any other package change; the
   * expiry only bounds a missed notification, as for documents.
   */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Optional<OriginRestrictions>> restrictions =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(java.time.Duration.ofSeconds(30))
          .build();

  private final List<java.util.function.Consumer<Optional<PackageKey>>> changeListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public PackageService(PackageStore store, BlobStore blobs, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // What the other package services share: passed through this core, never held twice.

  PackageStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /**
   * A version to publish; {@code metadata} is the format's JSON document for it. {@code status} is
   * Published, or Unfinished for a version whose files arrive one by one (Maven, generic) until it
   * is completed with {@link VersionLifecycleService#updateStatus}.
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

  /**
   * Registers a callback run after every committed change to a package (its key), or to many at
   * once (empty).
   */
  public void onChange(java.util.function.Consumer<Optional<PackageKey>> listener) {
    changeListeners.add(Objects.requireNonNull(listener));
  }

  /** Drops what is cached about one package: its document and origin restrictions (another node changed it). */
  public void invalidate(PackageKey key) {
    documents.invalidate(key);
    restrictions.invalidate(key);
  }

  /** Drops everything cached about packages (another node changed many, or this node may have missed changes). */
  public void invalidateAll() {
    documents.invalidateAll();
    restrictions.invalidateAll();
  }

  /** After a package service's committed writes to one package: drops what is cached about it, tells the listeners. */
  void changed(PackageKey key) {
    invalidate(key);
    changeListeners.forEach(listener -> listener.accept(Optional.of(key)));
  }

  private void changedAll() {
    invalidateAll();
    changeListeners.forEach(listener -> listener.accept(Optional.empty()));
  }

  /** The content of one asset, read once; it must be at most {@code maxBytes} long. */
  public record AssetContent(String name, InputStream content, long maxBytes) {}

  /**
   * Publishes a version with its assets.
   *
   * @throws WharfException.Conflict if the version exists (nothing is changed)
   * @throws WharfException.TooLarge if an asset exceeds its limit
   * @throws WharfException.AccessDenied if the package's origin configuration blocks publishing
   */
  public PackageVersion publish(Publication publication, List<AssetContent> contents) {
    requirePublishAllowed(publication.key());
    boolean newPackage = store.findPackage(publication.key()).isEmpty();
    List<PackageAsset> assets = new ArrayList<>();
    for (AssetContent content : contents) {
      assets.add(storeContent(content));
    }
    Instant now = clock.instant();
    PackageVersion version = new PackageVersion(publication.key(), publication.version(), publication.status(),
        newRevision(), now, now, publication.summary(), publication.metadata(), publication.origin());
    // An unreferenced blob left by a lost race or a failed commit is garbage for the collector, never visible.
    PackageStore.InsertOutcome outcome = store.insertVersion(version, assets, publication.distTags(), now);
    if (outcome == PackageStore.InsertOutcome.INSERTED && newPackage) {
      setDefaultRestrictions(publication.key(), publication.origin());
    }
    changed(publication.key());
    if (outcome == PackageStore.InsertOutcome.VERSION_EXISTS) {
      throw versionExists(publication.key(), publication.version());
    }
    return version;
  }

  /**
   * CodeArtifact's default origin controls, set when a package's first version arrives: published
   * directly → publish ALLOW, upstream BLOCK (a same-named package from an upstream or a public
   * registry cannot slip in: the dependency-confusion defence); taken from an upstream or an
   * external connection → publish BLOCK, upstream ALLOW. Settings made with
   * PutPackageOriginConfiguration before are kept.
   */
  private void setDefaultRestrictions(PackageKey key, String origin) {
    if (store.originRestrictions(key).isEmpty()) {
      store.putOriginRestrictions(key, "INTERNAL".equals(origin) ? INTERNAL_DEFAULT : UPSTREAM_DEFAULT, clock.instant());
      restrictions.invalidate(key); // the caller announces the change (changed) once its writes are done
    }
  }

  private static final OriginRestrictions INTERNAL_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);
  private static final OriginRestrictions UPSTREAM_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);

  /**
   * Keeps in {@code repository} a version found in another repository of the domain (an upstream):
   * the version record with its metadata, status, revision and publish time, and asset records that
   * refer to the same blobs (no bytes copied). Its origin type and domain entry point are the
   * source's (INTERNAL and the repository it was published to, or EXTERNAL and the external connection
   * it came from), however many repositories it passed through. The package's origin configuration is not checked
   * here: the caller decided that the package may take versions from upstreams.
   *
   * @return the retained version with its assets (the existing one when it was retained meanwhile)
   */
  public PackageDocument.VersionWithAssets retain(String repository, PackageDocument.VersionWithAssets found) {
    PackageVersion source = found.version();
    PackageKey key = new PackageKey(source.key().domainOwner(), source.key().domainName(), repository,
        source.key().format(), source.key().namespace(), source.key().name());
    boolean newPackage = store.findPackage(key).isEmpty();
    Instant now = clock.instant();
    PackageVersion copy = new PackageVersion(key, source.version(), source.status(), source.revision(),
        source.publishedAt(), now, source.summary(), source.metadata(), source.origin(), source.entryPoint());
    PackageStore.InsertOutcome outcome = store.copyVersion(copy, found.assets(), false, now);
    if (outcome == PackageStore.InsertOutcome.INSERTED && !newPackage) {
      // The cached document gains the version in place (after the commit) rather than being read
      // again whole: retaining one version of a package with thousands costs one insert, not a reload.
      PackageDocument.VersionWithAssets added = new PackageDocument.VersionWithAssets(copy, found.assets());
      documents.asMap().computeIfPresent(key, (k, cached) -> cached.isPresent() ? withVersion(cached.get(), added, now)
          : cached);
      changeListeners.forEach(listener -> listener.accept(Optional.of(key))); // other nodes drop theirs
      return added;
    }
    if (outcome == PackageStore.InsertOutcome.INSERTED) {
      setDefaultRestrictions(key, "UPSTREAM");
    } else {
      // Retained before with fewer files (PyPI, Maven): the files it lacks are added, existing ones kept.
      for (PackageAsset asset : found.assets()) {
        store.insertAsset(key, source.version(), asset, now);
      }
      fillMetadata(key, source.version(), source.summary(), source.metadata(), now);
    }
    changed(key);
    return document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(source.version())).findFirst())
        .orElse(new PackageDocument.VersionWithAssets(copy, found.assets()));
  }

  /**
   * Adds assets to an existing version (PyPI: another file of a release), all or nothing per asset.
   *
   * @return false when the version does not exist or an asset of that name is already there
   * @throws WharfException.TooLarge if an asset exceeds its limit
   * @throws WharfException.AccessDenied if the package's origin configuration blocks publishing
   */
  public boolean addAsset(PackageKey key, String version, AssetContent content) {
    requirePublishAllowed(key);
    PackageAsset asset = storeContent(content);
    boolean added = store.insertAsset(key, version, asset, clock.instant());
    changed(key);
    return added;
  }

  /** Streams one asset's content into the blob store: the asset record that refers to it. */
  private PackageAsset storeContent(AssetContent content) {
    BlobDigests digests;
    try {
      digests = blobs.put(content.content(), content.maxBytes(), null);
    } catch (dev.wharf.blob.BlobTooLargeException e) {
      throw new WharfException.TooLarge("Asset " + content.name() + " exceeds the limit of " + content.maxBytes() + " bytes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return asset(content.name(), digests);
  }

  private static PackageAsset asset(String name, BlobDigests digests) {
    return new PackageAsset(name, digests.sha256(), digests.size(), digests.md5(), digests.sha1(), digests.sha512());
  }

  /** What {@link #publishAsset} left: the version as it is afterwards and the asset as stored. */
  public record PublishedAsset(PackageVersion version, PackageAsset asset) {}

  /**
   * Publishes one asset of a version whose files arrive one by one (generic packages, the API's
   * PublishPackageVersion). The version is created if absent, Unfinished when {@code unfinished},
   * else Published; an Unfinished version takes more assets and becomes Published with the first call
   * without {@code unfinished}. Sending an asset the version already has with the same content
   * changes nothing and succeeds, whatever the status (as CodeArtifact's republishing of identical
   * assets does). The content is streamed into the blob store and checked against
   * {@code expectedSha256} before any metadata is written; on any failure nothing is visible.
   *
   * @throws WharfException.Conflict if an asset of that name exists with other content, or the version
   *     is no longer Unfinished and lacks this asset (checked before the content is read, and again
   *     atomically when the metadata is committed)
   * @throws WharfException.Invalid if the content's SHA-256 is not {@code expectedSha256}
   * @throws WharfException.TooLarge if the content exceeds {@code content.maxBytes()}
   */
  public PublishedAsset publishAsset(PackageKey key, String version, String metadata, AssetContent content,
      String expectedSha256, boolean unfinished) {
    Objects.requireNonNull(expectedSha256, "expectedSha256");
    requirePublishAllowed(key);
    boolean newPackage = store.findPackage(key).isEmpty();
    document(key).flatMap(d -> d.versions().stream().filter(v -> v.version().version().equals(version)).findFirst())
        .ifPresent(existing -> {
          Optional<PackageAsset> same = existing.assets().stream().filter(a -> a.name().equals(content.name())).findFirst();
          if (same.isPresent() && !same.get().sha256().equals(expectedSha256)) {
            throw assetExists(key, version, content.name());
          }
          if (same.isEmpty() && existing.version().status() != VersionStatus.UNFINISHED) {
            throw notUnfinished(key, version, existing.version().status());
          }
        });
    BlobDigests digests;
    try {
      digests = blobs.put(content.content(), content.maxBytes(), expectedSha256);
    } catch (dev.wharf.blob.BlobTooLargeException e) {
      throw new WharfException.TooLarge("Asset " + content.name() + " exceeds the limit of " + content.maxBytes() + " bytes");
    } catch (dev.wharf.blob.BlobDigestMismatchException e) {
      throw new WharfException.Invalid("ValidationException", "The SHA-256 of asset " + content.name() + " ("
          + e.actualSha256() + ") does not match the assetSHA256 sent (" + expectedSha256 + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PackageAsset asset = asset(content.name(), digests);
    Instant now = clock.instant();
    PackageVersion wanted = new PackageVersion(key, version, unfinished ? VersionStatus.UNFINISHED : VersionStatus.PUBLISHED,
        newRevision(), now, now, null, metadata, "INTERNAL");
    // A blob left by a refused commit is unreferenced: garbage for the collector, never visible.
    PackageStore.AssetPublication result = store.publishAsset(wanted, asset, now);
    if (result.outcome() == PackageStore.AssetOutcome.CREATED && newPackage) {
      setDefaultRestrictions(key, "INTERNAL");
    }
    changed(key);
    return switch (result.outcome()) {
      case CREATED, UPDATED, UNCHANGED -> new PublishedAsset(result.version(), asset);
      case ASSET_CONFLICT -> throw assetExists(key, version, content.name());
      case NOT_UNFINISHED -> throw notUnfinished(key, version, result.version().status());
    };
  }

  /**
   * Takes one asset back out of a version if it still has that content (its blob is left to the
   * collector). For a format whose upload protocol proves a file bad only after storing it (Maven
   * uploads a file, then its checksums); never a way to change a file: the caller decides when.
   */
  public boolean removeAsset(PackageKey key, String version, String assetName, String sha256) {
    boolean removed = store.removeAsset(key, version, assetName, sha256, clock.instant());
    changed(key);
    return removed;
  }

  private static WharfException.Conflict assetExists(PackageKey key, String version, String asset) {
    return new WharfException.Conflict("ConflictException", "Asset " + asset + " of package version " + version + " of "
        + displayName(key) + " already exists with different content", "asset", asset);
  }

  private static WharfException.Conflict notUnfinished(PackageKey key, String version, VersionStatus status) {
    return new WharfException.Conflict("ConflictException", "Package version " + version + " of " + displayName(key)
        + " is " + status.wireName() + ": assets can be added only while it is Unfinished", "package-version", version);
  }

  public static WharfException.Conflict versionExists(PackageKey key, String version) {
    return new WharfException.Conflict("ConflictException", "Package version " + version + " of "
        + displayName(key) + " already exists", "package-version", version);
  }

  public static String displayName(PackageKey key) {
    return key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
  }

  static WharfException.NotFound versionNotFound(PackageKey key, String version) {
    return new WharfException.NotFound("ResourceNotFoundException", "Version " + version + " of " + displayName(key)
        + " not found", "package-version", version);
  }

  /** A new version revision: random, so a client's stale revision never matches by chance. */
  static String newRevision() {
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
    changed(key);
    if (!done) {
      throw versionNotFound(key, version);
    }
  }

  /** @return false when the tag was not set */
  public boolean deleteDistTag(PackageKey key, String tag) {
    boolean done = store.deleteDistTag(key, tag, clock.instant());
    changed(key);
    return done;
  }

  /** Replaces a version's metadata (e.g. npm's deprecation message); a new revision is issued. */
  public void updateMetadata(PackageKey key, String version, String metadata) {
    boolean done = store.updateVersionMetadata(key, version, metadata, newRevision(), clock.instant());
    changed(key);
    if (!done) {
      throw versionNotFound(key, version);
    }
  }

  /** Forgets a deleted repository's packages (their blobs stay until garbage collection exists). */
  public void deleteRepositoryContents(dev.wharf.catalog.Repository repository) {
    store.deleteRepositoryContents(repository.domainOwner(), repository.domainName(), repository.name());
    changedAll();
  }

  /** Digests an ingested file must have, as its upstream published them (hex; null when not published). */
  public record ExpectedDigests(String sha256, String sha512, String sha1) {
    public ExpectedDigests {
      if (sha256 == null && sha512 == null && sha1 == null) {
        throw new IllegalArgumentException("at least one expected digest is needed");
      }
    }
  }

  /**
   * Stores a file fetched from an external connection as an asset of {@code publication}'s version
   * (created with origin EXTERNAL and the connection, e.g. {@code public:npmjs}, as its domain entry
   * point if absent; a version that exists keeps its entry point), once its content matches every digest the upstream
   * published. The repository's origin configuration for publishing does not apply (this is not a
   * publish); the caller checked that the package takes versions from upstream.
   *
   * @param connectionName the external connection's name ({@code public:npmjs}), the version's entry point
   * @param upstreamName how messages name the upstream (the connection and its host)
   * @throws UpstreamUnavailableException when the content does not match (nothing is stored)
   * @throws WharfException.TooLarge when the content exceeds {@code content.maxBytes()}
   */
  public PackageDocument.VersionWithAssets ingest(Publication publication, AssetContent content, ExpectedDigests expected,
      String connectionName, String upstreamName) {
    Objects.requireNonNull(connectionName, "connectionName");
    PackageKey key = publication.key();
    BlobDigests digests;
    try {
      digests = blobs.put(content.content(), content.maxBytes(), null);
    } catch (dev.wharf.blob.BlobTooLargeException e) {
      throw new UpstreamUnavailableException("The upstream " + upstreamName + " sent more than the limit of "
          + content.maxBytes() + " bytes for " + content.name());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // A blob that fails the check stays unreferenced (garbage for the collector), never visible.
    if ((expected.sha256() != null && !expected.sha256().equalsIgnoreCase(digests.sha256()))
        || (expected.sha512() != null && !expected.sha512().equalsIgnoreCase(digests.sha512()))
        || (expected.sha1() != null && !expected.sha1().equalsIgnoreCase(digests.sha1()))) {
      throw new UpstreamUnavailableException("The upstream " + upstreamName + " sent " + content.name()
          + " with content that does not match the hash it publishes for it; it was not stored");
    }
    PackageAsset asset = asset(content.name(), digests);
    boolean newPackage = store.findPackage(key).isEmpty();
    Instant now = clock.instant();
    PackageVersion version = new PackageVersion(key, publication.version(), VersionStatus.PUBLISHED, newRevision(), now,
        now, publication.summary(), publication.metadata(), "EXTERNAL",
        PackageVersion.EntryPoint.externalConnection(connectionName));
    if (store.insertVersion(version, List.of(asset), publication.distTags(), now) == PackageStore.InsertOutcome.INSERTED) {
      if (newPackage) {
        setDefaultRestrictions(key, "EXTERNAL");
      }
    } else {
      store.insertAsset(key, publication.version(), asset, now);
      fillMetadata(key, publication.version(), publication.summary(), publication.metadata(), now);
    }
    changed(key);
    return document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(publication.version())).findFirst())
        .orElseThrow(() -> new IllegalStateException("ingested version vanished"));
  }

  /**
   * A file that describes its version (Maven's POM) can arrive after another file of it (the jar
   * asked for first): its metadata then fills the version's, which had none.
   */
  private void fillMetadata(PackageKey key, String version, String summary, String metadata, Instant now) {
    if (metadata != null && !"{}".equals(metadata)) {
      store.fillVersionMetadata(key, version, summary, metadata, now);
    }
  }

  /** The document with one more version (unchanged if a concurrent reload already has it). */
  private static Optional<PackageDocument> withVersion(PackageDocument document, PackageDocument.VersionWithAssets added,
      Instant now) {
    if (document.versions().stream().anyMatch(v -> v.version().version().equals(added.version().version()))) {
      return Optional.of(document);
    }
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>(document.versions());
    versions.add(added);
    versions.sort(java.util.Comparator.comparing((PackageDocument.VersionWithAssets v) -> v.version().publishedAt())
        .thenComparing(v -> v.version().version()));
    return Optional.of(new PackageDocument(new PackageSummary(document.summary().key(), document.summary().createdAt(),
        now), versions, document.distTags()));
  }

  // ---------------------------------------------------------------- origin controls

  /**
   * Refuses a publish (a new version or a file added to one) when the package's origin
   * configuration in that repository says {@code publish: BLOCK}; every format goes through here.
   *
   * @throws WharfException.AccessDenied naming the package and the setting
   */
  public void requirePublishAllowed(PackageKey key) {
    if (originRestrictions(key).publish() == OriginRestrictions.Mode.BLOCK) {
      throw new WharfException.AccessDenied("Publishing to package " + displayName(key) + " (" + key.format()
          + ") in repository " + key.repository() + " is blocked by its origin configuration (publish: BLOCK)");
    }
  }

  /**
   * The package's origin restrictions: as set by PutPackageOriginConfiguration or by the first
   * version's arrival (see {@link #retain}); ALLOW/ALLOW for a package that has neither. Cached
   * like the package's document (cleared by every change to the package, on every node).
   */
  public OriginRestrictions originRestrictions(PackageKey key) {
    return restrictions.get(key, store::originRestrictions).orElse(OriginRestrictions.DEFAULT);
  }

  /** Sets a package's origin restrictions; the package is created (without versions) if needed, as CodeArtifact does. */
  public void putOriginRestrictions(PackageKey key, OriginRestrictions restrictions) {
    store.putOriginRestrictions(key, restrictions, clock.instant());
    changed(key);
  }

  // ---------------------------------------------------------------- package management

  /** Removes a package with all its versions' records; its blobs stay until garbage collection exists. */
  public Optional<PackageSummary> deletePackage(PackageKey key) {
    Optional<PackageSummary> existing = store.findPackage(key);
    boolean deleted = existing.isPresent() && store.deletePackage(key);
    changed(key);
    return deleted ? existing : Optional.empty();
  }

  // ---------------------------------------------------------------- paged reads (CodeArtifact API)

  /**
   * The package as stored now, read directly (not through the document cache): for API reads that
   * must not load every version of a large package.
   */
  public Optional<PackageSummary> packageRecord(PackageKey key) {
    return store.findPackage(key);
  }

  /**
   * CodeArtifact's defaultDisplayVersion: for npm the version the {@code latest} dist-tag names
   * (when it exists), else, and for every other format, the most recently published version whose
   * status is Published.
   */
  public Optional<String> defaultDisplayVersion(PackageKey key) {
    // One read rather than three: it is part of every ListPackageVersions page.
    return store.taggedOrLatestPublishedVersion(key, "npm".equals(key.format()) ? "latest" : null);
  }
}
