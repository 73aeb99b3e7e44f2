package dev.wharf.packages;

import static dev.wharf.packages.PackageService.displayName;

import dev.wharf.blob.BlobDigests;
import dev.wharf.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Versions and assets coming into a repository: published directly by a format's client or the
 * API, retained from an upstream repository, or ingested from an external connection. The one
 * entry point for every way a version or a file arrives. Publishing stores the assets' blobs first
 * and then commits all metadata in one transaction, so a version is never visible half-published,
 * and a published version is immutable: of concurrent publishes of one version exactly one wins.
 * Authorization is the caller's job.
 */
public final class PublishingService {
  private final PackageService packages;
  private final OriginControlService origins;

  /**
   * @param packages the package core: its store, blob store, clock, caches and change announcements
   * @param origins the origin controls that may block publishing, and that a new package gets
   */
  private final dev.wharf.metrics.Metrics metrics;

  public PublishingService(PackageService packages, OriginControlService origins, dev.wharf.metrics.Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.packages = Objects.requireNonNull(packages, "packages");
    this.origins = Objects.requireNonNull(origins, "origins");
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
    requireModelNames(publication.key(), publication.version());
    contents.forEach(content -> requireModelAssetName(content.name()));
    requirePublishAllowed(publication.key());
    PackageStore store = packages.store();
    List<PackageAsset> assets = new ArrayList<>();
    for (AssetContent content : contents) {
      assets.add(storeContent(content));
    }
    Instant now = packages.clock().instant();
    PackageVersion version = new PackageVersion(publication.key(), publication.version(), publication.status(),
        PackageService.newRevision(), now, now, publication.summary(), publication.metadata(), publication.origin());
    // An unreferenced blob left by a lost race or a failed commit is garbage for the collector, never visible.
    PackageStore.InsertOutcome outcome = store.insertVersion(version, assets, publication.distTags(),
        OriginControlService.newPackageRestrictions(publication.origin()), now);
    packages.changed(publication.key());
    if (outcome == PackageStore.InsertOutcome.VERSION_EXISTS) {
      throw versionExists(publication.key(), publication.version());
    }
    return version;
  }

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
    PackageStore store = packages.store();
    PackageVersion source = found.version();
    PackageKey key = new PackageKey(source.key().domainOwner(), source.key().domainName(), repository,
        source.key().format(), source.key().namespace(), source.key().name());
    requireModelNames(key, source.version());
    found.assets().forEach(asset -> requireModelAssetName(asset.name()));
    boolean newPackage = store.findPackage(key).isEmpty();
    Instant now = packages.clock().instant();
    PackageVersion copy = new PackageVersion(key, source.version(), source.status(), source.revision(),
        source.publishedAt(), now, source.summary(), source.metadata(), source.origin(), source.entryPoint());
    PackageStore.InsertOutcome outcome = store.copyVersion(copy, found.assets(), false,
        OriginControlService.newPackageRestrictions("UPSTREAM"), now);
    if (outcome == PackageStore.InsertOutcome.INSERTED && !newPackage) {
      PackageDocument.VersionWithAssets added = new PackageDocument.VersionWithAssets(copy, found.assets());
      packages.retained(key, added, now);
      return added;
    }
    if (outcome != PackageStore.InsertOutcome.INSERTED) {
      // Retained before with fewer files (PyPI, Maven): the files it lacks are added, existing ones kept.
      for (PackageAsset asset : found.assets()) {
        store.insertAsset(key, source.version(), asset, now);
      }
      fillMetadata(key, source.version(), source.summary(), source.metadata(), now);
    }
    packages.changed(key);
    return packages.versionWithAssets(key, source.version())
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
    return addAssets(key, version, List.of(content), null);
  }

  /**
   * Adds a file to an existing version with the files that go with it (a wheel and its core metadata) and,
   * when {@code versionMetadata} is not null, makes that the version's metadata (the file describes its
   * version: Maven's POM arriving after the jar): every blob is stored first, then all of it is committed
   * in one transaction, so a crash or a refused file leaves all of it or none.
   *
   * @return false, with nothing changed, when the version does not exist or already has a file of the first
   *     one's name (the others are added unless a file of their name is there)
   * @throws WharfException.TooLarge if a file exceeds its limit
   * @throws WharfException.AccessDenied if the package's origin configuration blocks publishing
   */
  public boolean addAssets(PackageKey key, String version, List<AssetContent> contents, String versionMetadata) {
    requireModelNames(key, version);
    contents.forEach(content -> requireModelAssetName(content.name()));
    requirePublishAllowed(key);
    List<PackageAsset> assets = new ArrayList<>();
    for (AssetContent content : contents) {
      assets.add(storeContent(content));
    }
    boolean added = packages.store().insertAssets(key, version, assets, versionMetadata,
        versionMetadata == null ? null : PackageService.newRevision(), packages.clock().instant());
    packages.changed(key);
    return added;
  }

  /**
   * Adds an asset Wharf made from the version's own files (a gem's marshalled specification, made from
   * a gem an external connection gave): not a publish, so the package's origin configuration (which
   * blocks publishing to a package that came from a public registry) does not apply.
   *
   * @return false when the version does not exist or an asset of that name is already there
   */
  public boolean addDerivedAsset(PackageKey key, String version, AssetContent content) {
    requireModelNames(key, version);
    requireModelAssetName(content.name());
    PackageAsset asset = storeContent(content);
    boolean added = packages.store().insertAsset(key, version, asset, packages.clock().instant());
    packages.changed(key);
    return added;
  }

  /** Streams one asset's content into the blob store: the asset record that refers to it. */
  private PackageAsset storeContent(AssetContent content) {
    return storeContent(content, null);
  }

  /**
   * Streams one asset's content into the blob store, checked against {@code expectedSha256} when it is not
   * null: the asset record that refers to it.
   */
  private PackageAsset storeContent(AssetContent content, String expectedSha256) {
    BlobDigests digests;
    try {
      digests = packages.blobs().put(content.content(), content.maxBytes(), expectedSha256);
      metrics.bytesStored(digests.size());
    } catch (dev.wharf.blob.BlobTooLargeException e) {
      throw new WharfException.TooLarge("Asset " + content.name() + " exceeds the limit of " + content.maxBytes() + " bytes");
    } catch (dev.wharf.blob.BlobDigestMismatchException e) {
      throw new WharfException.Invalid("ValidationException", "The SHA-256 of asset " + content.name() + " ("
          + e.actualSha256() + ") does not match the assetSHA256 sent (" + expectedSha256 + ")");
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
    requireModelNames(key, version);
    requireModelAssetName(content.name());
    requirePublishAllowed(key);
    packages.versionWithAssets(key, version).ifPresent(existing -> {
      Optional<PackageAsset> same = existing.assets().stream().filter(a -> a.name().equals(content.name())).findFirst();
      if (same.isPresent() && !same.get().sha256().equals(expectedSha256)) {
        throw assetExists(key, version, content.name());
      }
      if (same.isEmpty() && existing.version().status() != VersionStatus.UNFINISHED) {
        throw notUnfinished(key, version, existing.version().status());
      }
    });
    PackageAsset asset = storeContent(content, expectedSha256);
    Instant now = packages.clock().instant();
    PackageVersion wanted = new PackageVersion(key, version, unfinished ? VersionStatus.UNFINISHED : VersionStatus.PUBLISHED,
        PackageService.newRevision(), now, now, null, metadata, "INTERNAL");
    // A blob left by a refused commit is unreferenced: garbage for the collector, never visible.
    PackageStore.AssetPublication result = packages.store().publishAsset(wanted, asset,
        OriginControlService.newPackageRestrictions("INTERNAL"), now);
    packages.changed(key);
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
    boolean removed = packages.store().removeAsset(key, version, assetName, sha256, packages.clock().instant());
    packages.changed(key);
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

  /** The conflict of publishing a version that exists. */
  public static WharfException.Conflict versionExists(PackageKey key, String version) {
    return new WharfException.Conflict("ConflictException", "Package version " + version + " of "
        + displayName(key) + " already exists", "package-version", version);
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
    PackageStore store = packages.store();
    PackageKey key = publication.key();
    requireModelNames(key, publication.version());
    requireModelAssetName(content.name());
    BlobDigests digests;
    try {
      digests = packages.blobs().put(content.content(), content.maxBytes(), null);
      metrics.bytesStored(digests.size());
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
    Instant now = packages.clock().instant();
    PackageVersion version = new PackageVersion(key, publication.version(), VersionStatus.PUBLISHED,
        PackageService.newRevision(), now, now, publication.summary(), publication.metadata(), "EXTERNAL",
        PackageVersion.EntryPoint.externalConnection(connectionName));
    if (store.insertVersion(version, List.of(asset), publication.distTags(),
        OriginControlService.newPackageRestrictions("EXTERNAL"), now) != PackageStore.InsertOutcome.INSERTED) {
      store.insertAsset(key, publication.version(), asset, now);
      fillMetadata(key, publication.version(), publication.summary(), publication.metadata(), now);
    }
    packages.changed(key);
    return packages.versionWithAssets(key, publication.version())
        .orElseThrow(() -> new IllegalStateException("ingested version vanished"));
  }

  /**
   * A file that describes its version (Maven's POM) can arrive after another file of it (the jar
   * asked for first): its metadata then fills the version's, which had none.
   */
  private void fillMetadata(PackageKey key, String version, String summary, String metadata, Instant now) {
    if (metadata != null && !"{}".equals(metadata)) {
      packages.store().fillVersionMetadata(key, version, summary, metadata, now);
    }
  }

  /**
   * Refuses a package, namespace or version the CodeArtifact API could not name (its model's
   * PackageNamespace, PackageName and PackageVersion: 1..255 characters, none of {@code #}, {@code /}
   * or whitespace), before anything is read or stored: every publish, retention from an upstream and
   * ingest from an external connection of every format passes here, so nothing is stored that
   * DescribePackage, ListPackageVersions or DeletePackage would then refuse.
   *
   * @throws WharfException.Invalid a ValidationException naming the member
   */
  public static void requireModelNames(PackageKey key, String version) {
    if (!key.namespace().isEmpty()) {
      PackageNames.requireModelName(key.namespace(), "namespace");
    }
    PackageNames.requireModelName(key.name(), "package");
    PackageNames.requireModelName(version, "packageVersion");
  }

  private static void requireModelAssetName(String name) {
    PackageNames.requireModelAssetName(name, "asset");
  }

  /**
   * Refuses a publish (a new version or a file added to one) when the package's origin
   * configuration in that repository says {@code publish: BLOCK}, or its package group's PUBLISH
   * restriction does not allow the repository; every format goes through here.
   *
   * @throws WharfException.AccessDenied naming the package and the setting
   */
  public void requirePublishAllowed(PackageKey key) {
    origins.publishRefusal(key).ifPresent(why -> {
      throw new WharfException.AccessDenied("Publishing to package " + displayName(key) + " (" + key.format()
          + ") in repository " + key.repository() + " is blocked by " + why);
    });
  }
}
