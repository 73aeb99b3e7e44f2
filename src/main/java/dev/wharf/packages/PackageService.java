package dev.wharf.packages;

import dev.wharf.blob.BlobReader;
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
import java.util.function.Function;

/**
 * The package core of every format: reads of one package (its document, versions, assets and
 * dist-tags, cached), the changes to one package that no other service owns (dist-tags, metadata,
 * deletion), and what every package service shares: the store, the blob store, the clock, the
 * caches and the change announcements. The other use cases have their own entry point built on
 * it: {@link PublishingService} (versions and files arriving), {@link VersionLifecycleService}
 * (statuses, deletion and copies of versions), {@link OriginControlService} (origin restrictions)
 * and {@link PackageListingService} (lists and pages). Authorization is the caller's job.
 */
public final class PackageService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PackageStore store;
  private final BlobStore blobs;
  private final Clock clock;
  /**
   * Weighted by the heap they hold, within a sixth of the heap ({@link HeapShare}), so a few packages with
   * thousands of versions cannot crowd out memory.
   */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Optional<PackageDocument>> documents =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumWeight(HeapShare.of(6))
          .<PackageKey, Optional<PackageDocument>>weigher((key, document) ->
              (int) Math.min(Integer.MAX_VALUE, 64 + document.map(PackageDocument::approximateBytes).orElse(0L)))
          .expireAfterWrite(java.time.Duration.ofSeconds(30))
          .recordStats()
          .build();

  /**
   * Origin restrictions per package (absent: no row, so ALLOW/ALLOW), read on every upstream search
   * and every publish (through {@link OriginControlService}). Cleared with the package's document:
   * by every write through the package services on this node, and by {@link #invalidate}/{@link
   * #invalidateAll} for other nodes' changes, so a PutPackageOriginConfiguration reaches other nodes
   * as fast as any other package change; the expiry only bounds a missed notification, as for
   * documents.
   */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Optional<OriginRestrictions>> restrictions =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(java.time.Duration.ofSeconds(30))
          .recordStats()
          .build();

  /** Its caches by metric name, for hit rates (built with {@code recordStats}). */
  public java.util.Map<String, com.github.benmanes.caffeine.cache.Cache<?, ?>> caches() {
    return java.util.Map.of("packages.documents", documents, "packages.origin-restrictions", restrictions);
  }

  private final List<java.util.function.Consumer<Optional<PackageKey>>> changeListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param clock what publish, change and revision times are read from */
  public PackageService(PackageStore store, BlobStore blobs, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // What the other package services share: passed through this core, never held twice.

  PackageStore store() {
    return store;
  }

  BlobStore blobs() {
    return blobs;
  }

  Clock clock() {
    return clock;
  }

  com.github.benmanes.caffeine.cache.Cache<PackageKey, Optional<OriginRestrictions>> originRestrictionsCache() {
    return restrictions;
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

  /**
   * After a version was retained in a package that had others (see {@link PublishingService#retain}):
   * the cached document gains the version in place (after the commit) rather than being read
   * again whole, so retaining one version of a package with thousands costs one insert, not a
   * reload; the listeners are told, so other nodes drop theirs.
   */
  void retained(PackageKey key, PackageDocument.VersionWithAssets added, Instant now) {
    documents.asMap().computeIfPresent(key, (k, cached) -> cached.isPresent() ? withVersion(cached.get(), added, now)
        : cached);
    changeListeners.forEach(listener -> listener.accept(Optional.of(key)));
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

  /** How messages name a package: {@code namespace/name}, or the name alone without a namespace. */
  public static String displayName(PackageKey key) {
    return key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
  }

  /** A new revision for a version: 32 random bytes, Base64-encoded. */
  static String newRevision() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static WharfException.NotFound versionNotFound(PackageKey key, String version) {
    return new WharfException.NotFound("ResourceNotFoundException", "Version " + version + " of " + displayName(key)
        + " not found", "package-version", version);
  }

  /** The package's summary, from its cached document; empty when it does not exist. */
  public Optional<PackageSummary> findPackage(PackageKey key) {
    return document(key).map(PackageDocument::summary);
  }

  /**
   * Everything about a package, from a cache that every write through the package services clears
   * for that package (after its commit), so readers never see a stale package on this node; the
   * 30-second expiry bounds what another node's writes can leave stale until cluster invalidation.
   * The same instance is returned until the package changes, so renderings can be cached on it.
   */
  public Optional<PackageDocument> document(PackageKey key) {
    return documents.get(key, store::readDocument);
  }

  /** The package's versions in publish order, from its cached document (empty when there is no package). */
  public List<PackageVersion> versions(PackageKey key) {
    return document(key).map(d -> d.versions().stream().map(PackageDocument.VersionWithAssets::version).toList())
        .orElse(List.of());
  }

  /** One version of the package, from its cached document. */
  public Optional<PackageVersion> version(PackageKey key, String version) {
    return document(key).flatMap(d -> d.versions().stream().map(PackageDocument.VersionWithAssets::version)
        .filter(v -> v.version().equals(version)).findFirst());
  }

  /** A version's assets, from the package's cached document (empty when there is no such version). */
  public List<PackageAsset> assets(PackageKey key, String version) {
    return versionWithAssets(key, version).map(PackageDocument.VersionWithAssets::assets).orElse(List.of());
  }

  /** One version with its assets, from the package's cached document. */
  Optional<PackageDocument.VersionWithAssets> versionWithAssets(PackageKey key, String version) {
    return document(key).flatMap(d -> d.versions().stream().filter(v -> v.version().version().equals(version)).findFirst());
  }

  /**
   * The package as stored now, read directly (not through the document cache): for API reads that
   * must not load every version of a large package.
   */
  public Optional<PackageSummary> packageRecord(PackageKey key) {
    return store.findPackage(key);
  }

  /** Opens an asset's content for streaming, if its blob is present. */
  public Optional<InputStream> open(PackageAsset asset) {
    try {
      return blobs.open(asset.sha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens an asset's blob for serving (see {@link BlobStore#openReader}); empty when the blob is missing. */
  public Optional<BlobReader> openReader(PackageAsset asset) {
    try {
      return blobs.openReader(asset.sha256());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The package's dist-tags (tag to version), from its cached document. */
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

  private static final int METADATA_CHANGE_ATTEMPTS = 16;

  /**
   * Changes a version's metadata from what the store holds now (not the cached document): {@code change}
   * gets the stored version and gives its new metadata, or empty to leave it as it is, and may throw to
   * refuse. The new metadata is written only if no other change (on any node) came between the read and
   * the write; otherwise {@code change} runs again on the newer version, so two changes made at once (a
   * yank and a deprecation, two platforms of a gem) both stay.
   *
   * @throws WharfException.NotFound when the version does not exist
   */
  public void changeMetadata(PackageKey key, String version, Function<PackageVersion, Optional<String>> change) {
    for (int attempt = 0; attempt < METADATA_CHANGE_ATTEMPTS; attempt++) {
      PackageVersion stored = store.findVersion(key, version).orElseThrow(() -> versionNotFound(key, version));
      Optional<String> metadata = change.apply(stored);
      if (metadata.isEmpty() || metadata.get().equals(stored.metadata())) {
        return;
      }
      boolean done = store.updateVersionMetadata(key, version, metadata.get(), stored.revision(), newRevision(),
          clock.instant());
      changed(key);
      if (done) {
        return;
      }
    }
    throw new WharfException.Conflict(null, "Version " + version + " of " + displayName(key)
        + " kept changing while this change was made; try again");
  }

  /** Removes a package with all its versions' records; its blobs stay until garbage collection exists. */
  public Optional<PackageSummary> deletePackage(PackageKey key) {
    Optional<PackageSummary> existing = store.findPackage(key);
    boolean deleted = existing.isPresent() && store.deletePackage(key);
    changed(key);
    return deleted ? existing : Optional.empty();
  }

  /** Forgets a deleted repository's packages (their blobs stay until garbage collection exists). */
  public void deleteRepositoryContents(dev.wharf.catalog.Repository repository) {
    store.deleteRepositoryContents(repository.domainOwner(), repository.domainName(), repository.name());
    changedAll();
  }

  /**
   * CodeArtifact's defaultDisplayVersion: the version the dist-tag {@code tag} names (npm's
   * {@code latest}) when there is one, else the most recently published version whose status is
   * Published.
   *
   * @param tag the format's display-version tag, or null when the format has none
   */
  public Optional<String> defaultDisplayVersion(PackageKey key, String tag) {
    // One read rather than three: it is part of every ListPackageVersions page.
    return store.taggedOrLatestPublishedVersion(key, tag);
  }
}
