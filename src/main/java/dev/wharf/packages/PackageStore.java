package dev.wharf.packages;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage of package metadata (the blobs themselves live in a {@code BlobStore}). Knows nothing of
 * policy or of any format's rules. Implementations: {@code SqlPackageStore} (SQLite, PostgreSQL).
 */
public interface PackageStore {

  /** What {@link #insertVersion} did. */
  enum InsertOutcome {
    INSERTED,
    VERSION_EXISTS
  }

  /**
   * In one transaction: creates the package if needed (with the origin restrictions {@code newPackage}, when
   * not null), inserts the version with its assets and sets the given dist-tags. When the version already
   * exists nothing at all changes. One transaction, so that a crash cannot leave a new package's version
   * without the origin configuration it comes with.
   */
  InsertOutcome insertVersion(PackageVersion version, List<PackageAsset> assets, Map<String, String> distTags,
      OriginRestrictions newPackage, Instant now);

  /** {@link #insertVersion(PackageVersion, List, Map, OriginRestrictions, Instant)} setting no origin restrictions. */
  default InsertOutcome insertVersion(PackageVersion version, List<PackageAsset> assets, Map<String, String> distTags,
      Instant now) {
    return insertVersion(version, assets, distTags, null, now);
  }

  /**
   * In one transaction: adds an asset to an existing version (PyPI: another file of a release).
   * False when the version does not exist or already has an asset of that name (nothing changes).
   */
  default boolean insertAsset(PackageKey key, String version, PackageAsset asset, Instant now) {
    return insertAssets(key, version, List.of(asset), null, null, now);
  }

  /**
   * In one transaction: adds a file to an existing version with the files that go with it (a wheel and its
   * core metadata) and, when {@code metadata} is not null, makes it the version's metadata with the new
   * {@code revision} (the file describes its version: Maven's POM). The first asset decides: false, and
   * nothing changes, when the version does not exist or already has an asset of the first one's name; the
   * others are added unless the version has one of that name already. So a crash leaves all of it or none.
   */
  boolean insertAssets(PackageKey key, String version, List<PackageAsset> assets, String metadata, String revision,
      Instant now);

  /** What {@link #publishAsset} did. */
  enum AssetOutcome {
    /** The version did not exist: it was created with the asset. */
    CREATED,
    /** The version was Unfinished: the asset was added, or its status changed, or both (new revision). */
    UPDATED,
    /** The version already had this asset with the same content and nothing was to change. */
    UNCHANGED,
    /** The version has an asset of that name with other content: nothing changed. */
    ASSET_CONFLICT,
    /** The version exists, is no longer Unfinished and lacks this asset: nothing changed. */
    NOT_UNFINISHED
  }

  /** The outcome of {@link #publishAsset} and the version as it is afterwards. */
  record AssetPublication(AssetOutcome outcome, PackageVersion version) {}

  /**
   * In one transaction, publishes one asset of a version whose files arrive one by one (generic
   * packages). When the version does not exist it is created as {@code version} describes (status
   * Unfinished or Published) with the asset. When it exists and is Unfinished, the asset is added
   * (an asset of that name must have the same SHA-256) and the status becomes {@code version.status()};
   * if either changed, so do the revision and modification time, to {@code version}'s. A version with
   * any other status is never changed. Of concurrent calls on one version, each sees the others' effects
   * whole: an asset is never added once the version has left Unfinished.
   */
  AssetPublication publishAsset(PackageVersion version, PackageAsset asset, OriginRestrictions newPackage, Instant now);

  /** {@link #publishAsset(PackageVersion, PackageAsset, OriginRestrictions, Instant)} setting no origin restrictions. */
  default AssetPublication publishAsset(PackageVersion version, PackageAsset asset, Instant now) {
    return publishAsset(version, asset, null, now);
  }

  /**
   * Removes one asset of a version if it still has that content (Maven: a file whose uploaded
   * checksum did not match); false when it is not there with that sha256.
   */
  boolean removeAsset(PackageKey key, String version, String assetName, String sha256, Instant now);

  Optional<PackageSummary> findPackage(PackageKey key);

  /** The package's versions, in publish order. */
  List<PackageVersion> listVersions(PackageKey key);

  Optional<PackageVersion> findVersion(PackageKey key, String version);

  List<PackageAsset> listAssets(PackageKey key, String version);

  /** The package with every version, asset and dist-tag, read consistently. */
  Optional<PackageDocument> readDocument(PackageKey key);

  /**
   * Packages of a repository, ordered by format, namespace and name; filters are optional (null).
   * {@code namespace} is a prefix, as ListPackages' namespace filter is: "org" lists the packages of
   * "org", "org.example", "organic"...; it never matches a package without a namespace.
   */
  List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format,
      String namespace, String namePrefix);

  /**
   * One page of a repository's packages, in the order of {@link #listPackages} (format, namespace,
   * name), each with its origin restrictions ({@link OriginRestrictions#DEFAULT} when it has none):
   * at most {@code limit} packages matching {@code filter} that come after {@code after} (from the
   * first when null). Keyset paging, every filter applied in the query, so a page is full whenever
   * enough packages match and its cost does not grow with how deep into the listing it is.
   */
  List<ListedPackage> listPackagesPage(String domainOwner, String domainName, String repository, PackageFilter filter,
      PackagePosition after, int limit);

  /**
   * ListPackages' filters, each optional (null): format, namespace prefix (never matching a package
   * without a namespace), name prefix, and the publish and upstream origin restriction asked for.
   */
  record PackageFilter(String format, String namespace, String namePrefix, OriginRestrictions.Mode publish,
      OriginRestrictions.Mode upstream) {
    public static final PackageFilter NONE = new PackageFilter(null, null, null, null, null);
  }

  /** A place in a repository's package list: a package's format, namespace ('' when none) and name. */
  record PackagePosition(String format, String namespace, String name) {
    public PackagePosition {
      java.util.Objects.requireNonNull(format, "format");
      java.util.Objects.requireNonNull(namespace, "namespace");
      java.util.Objects.requireNonNull(name, "name");
    }

    public static PackagePosition of(PackageKey key) {
      return new PackagePosition(key.format(), key.namespace(), key.name());
    }
  }

  /** A package of a listing page with its origin restrictions. */
  record ListedPackage(PackageSummary summary, OriginRestrictions restrictions) {
    public ListedPackage {
      java.util.Objects.requireNonNull(summary, "summary");
      java.util.Objects.requireNonNull(restrictions, "restrictions");
    }
  }

  /** Up to {@code limit} names of a format and namespace, in name order, after {@code after} (null: the first). */
  default List<String> packageNames(String domainOwner, String domainName, String repository, String format,
      String namespace, String after, int limit) {
    return packageNames(domainOwner, domainName, repository, format, namespace, List.of(), after, limit);
  }

  /**
   * As {@link #packageNames(String, String, String, String, String, String, int)}, leaving out the
   * names that a package of the same format and namespace also has in any of {@code notIn} (other
   * repositories of the domain): to list the names of an upstream graph once each.
   */
  List<String> packageNames(String domainOwner, String domainName, String repository, String format, String namespace,
      List<String> notIn, String after, int limit);

  Map<String, String> distTags(PackageKey key);

  /** Sets a tag; false when the package or the version does not exist. */
  boolean putDistTag(PackageKey key, String tag, String version, Instant now);

  /** Removes a tag; false when it was not set. */
  boolean deleteDistTag(PackageKey key, String tag, Instant now);

  /**
   * Replaces a version's metadata and revision, if its revision is still {@code expectedRevision} (any
   * revision when that is null); false when the version does not exist or another change came first.
   */
  boolean updateVersionMetadata(PackageKey key, String version, String metadata, String expectedRevision,
      String revision, Instant now);

  /**
   * Gives a version that has no metadata yet ({@code {}}) this metadata and, if it has none, this
   * summary; the revision stays (nothing a client chose changed: a describing file arrived).
   *
   * @return false when the version is absent or already has metadata
   */
  boolean fillVersionMetadata(PackageKey key, String version, String summary, String metadata, Instant now);

  /** Changes a version's status and revision; false when the version does not exist. */
  boolean updateVersionStatus(PackageKey key, String version, VersionStatus status, String revision, Instant now);

  /** Removes every package, version, asset and tag of a repository (when the repository is deleted). */
  void deleteRepositoryContents(String domainOwner, String domainName, String repository);

  // ---------------------------------------------------------------- package management (CodeArtifact API)

  /** The package's origin restrictions, empty when none were set (ALLOW/ALLOW applies). */
  Optional<OriginRestrictions> originRestrictions(PackageKey key);

  /** Sets a package's origin restrictions, creating the package (without versions) if it does not exist. */
  void putOriginRestrictions(PackageKey key, OriginRestrictions restrictions, Instant now);

  /** In one transaction: removes the package with its versions, assets, tags and origin restrictions; false if absent. */
  boolean deletePackage(PackageKey key);

  /**
   * Changes a version's status and revision only if its revision is still {@code expectedRevision}
   * (a compare-and-set); with {@code removeAssets} its assets' records go too (dispose). False when
   * the version does not exist or was changed meanwhile.
   */
  boolean changeVersionStatus(PackageKey key, String version, String expectedRevision, VersionStatus status,
      String newRevision, boolean removeAssets, Instant now);

  /**
   * Removes a version with its assets and the dist-tags naming it, only if its revision is still
   * {@code expectedRevision}; false when it does not exist or was changed meanwhile.
   */
  boolean deleteVersion(PackageKey key, String version, String expectedRevision, Instant now);

  /**
   * In one transaction: stores a version copied from another repository with the same asset records
   * (blob references, no bytes copied). With {@code overwrite} an existing version of that name is
   * replaced; without it nothing changes and VERSION_EXISTS is returned. A package this creates gets the origin
   * restrictions {@code newPackage} (none when null).
   */
  InsertOutcome copyVersion(PackageVersion version, List<PackageAsset> assets, boolean overwrite,
      OriginRestrictions newPackage, Instant now);

  /** {@link #copyVersion(PackageVersion, List, boolean, OriginRestrictions, Instant)} setting no origin restrictions. */
  default InsertOutcome copyVersion(PackageVersion version, List<PackageAsset> assets, boolean overwrite, Instant now) {
    return copyVersion(version, assets, overwrite, null, now);
  }

  /**
   * One page of a package's versions in publish order (or newest first), optionally only those with
   * a status (wire name) and origin type, read without their metadata: the returned versions'
   * {@code summary} and {@code metadata} are null. At most {@code limit} versions, those that come
   * after {@code after} in that order (from the first when null): keyset paging, so a page's cost
   * does not grow with how far into the list it is, and pages stay stable while versions come and go.
   */
  List<PackageVersion> listVersionsPage(PackageKey key, String status, String originType, boolean newestFirst,
      VersionPosition after, int limit);

  /**
   * A place in a package's version list: a version's publish time and name, which order the list
   * (publish time, then name; the name is unique in the package).
   */
  record VersionPosition(Instant publishedAt, String version) {
    public VersionPosition {
      java.util.Objects.requireNonNull(publishedAt, "publishedAt");
      java.util.Objects.requireNonNull(version, "version");
    }

    public static VersionPosition of(PackageVersion version) {
      return new VersionPosition(version.publishedAt(), version.version());
    }
  }

  /** The most recently published version whose status is Published. */
  Optional<String> latestPublishedVersion(PackageKey key);

  /**
   * In one read: the version the dist-tag {@code tag} names, when the tag is set and that version
   * exists (whatever its status); else {@link #latestPublishedVersion}. {@code tag} null: the latter.
   */
  Optional<String> taggedOrLatestPublishedVersion(PackageKey key, String tag);
}
