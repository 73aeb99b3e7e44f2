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
   * In one transaction: creates the package if needed, inserts the version with its assets and
   * sets the given dist-tags. When the version already exists nothing at all changes.
   */
  InsertOutcome insertVersion(PackageVersion version, List<PackageAsset> assets, Map<String, String> distTags, Instant now);

  /**
   * In one transaction: adds an asset to an existing version (PyPI: another file of a release).
   * False when the version does not exist or already has an asset of that name (nothing changes).
   */
  boolean insertAsset(PackageKey key, String version, PackageAsset asset, Instant now);

  Optional<PackageSummary> findPackage(PackageKey key);

  /** The package's versions, in publish order. */
  List<PackageVersion> listVersions(PackageKey key);

  Optional<PackageVersion> findVersion(PackageKey key, String version);

  List<PackageAsset> listAssets(PackageKey key, String version);

  /** The package with every version, asset and dist-tag, read consistently. */
  Optional<PackageDocument> readDocument(PackageKey key);

  /** Packages of a repository, ordered by format, namespace and name; filters are optional (null). */
  List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format,
      String namespace, String namePrefix);

  /** Up to {@code limit} names of a format and namespace, in name order, after {@code after} (null: the first). */
  List<String> packageNames(String domainOwner, String domainName, String repository, String format, String namespace,
      String after, int limit);

  Map<String, String> distTags(PackageKey key);

  /** Sets a tag; false when the package or the version does not exist. */
  boolean putDistTag(PackageKey key, String tag, String version, Instant now);

  /** Removes a tag; false when it was not set. */
  boolean deleteDistTag(PackageKey key, String tag, Instant now);

  /** Replaces a version's metadata and revision; false when the version does not exist. */
  boolean updateVersionMetadata(PackageKey key, String version, String metadata, String revision, Instant now);

  /** Changes a version's status and revision; false when the version does not exist. */
  boolean updateVersionStatus(PackageKey key, String version, VersionStatus status, String revision, Instant now);

  /** Removes every package, version, asset and tag of a repository (when the repository is deleted). */
  void deleteRepositoryContents(String domainOwner, String domainName, String repository);
}
