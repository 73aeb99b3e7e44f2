package dev.wharf.packages;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored version of a package.
 *
 * @param metadata the format's version document as JSON (npm: the manifest, without {@code dist.tarball})
 * @param origin INTERNAL (published here), EXTERNAL (from an external connection) or UNKNOWN
 * @param entryPoint where the version first entered the domain (CodeArtifact's DomainEntryPoint); it
 *     travels with the version when it is retained from an upstream or copied to another repository
 */
public record PackageVersion(PackageKey key, String version, VersionStatus status, String revision, Instant publishedAt,
    Instant modifiedAt, String summary, String metadata, String origin, EntryPoint entryPoint) {

  public PackageVersion {
    Objects.requireNonNull(entryPoint, "entryPoint");
  }

  /**
   * A version whose entry point follows from its origin: its own repository when it is INTERNAL
   * (published here), unknown otherwise. For versions that are being published, and for what an
   * external connection lists (not stored yet).
   */
  public PackageVersion(PackageKey key, String version, VersionStatus status, String revision, Instant publishedAt,
      Instant modifiedAt, String summary, String metadata, String origin) {
    this(key, version, status, revision, publishedAt, modifiedAt, summary, metadata, origin,
        "INTERNAL".equals(origin) ? EntryPoint.repository(key.repository()) : EntryPoint.UNKNOWN);
  }

  /**
   * How a version entered the domain: the repository it was published to, or the external connection
   * (e.g. {@code public:npmjs}) it was ingested from; both null when not known (versions ingested
   * before Wharf recorded it).
   */
  public record EntryPoint(String repositoryName, String externalConnectionName) {
    public static final EntryPoint UNKNOWN = new EntryPoint(null, null);

    public EntryPoint {
      if (repositoryName != null && externalConnectionName != null) {
        throw new IllegalArgumentException("an entry point is a repository or an external connection, not both");
      }
    }

    public static EntryPoint repository(String name) {
      return new EntryPoint(Objects.requireNonNull(name, "name"), null);
    }

    public static EntryPoint externalConnection(String name) {
      return new EntryPoint(null, Objects.requireNonNull(name, "name"));
    }

    public boolean known() {
      return repositoryName != null || externalConnectionName != null;
    }
  }
}
