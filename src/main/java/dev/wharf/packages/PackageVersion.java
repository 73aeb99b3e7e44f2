package dev.wharf.packages;

import java.time.Instant;

/**
 * One stored version of a package.
 *
 * @param metadata the format's version document as JSON (npm: the manifest, without {@code dist.tarball})
 * @param origin INTERNAL (published here), EXTERNAL (from an external connection) or UNKNOWN
 */
public record PackageVersion(PackageKey key, String version, VersionStatus status, String revision, Instant publishedAt,
    Instant modifiedAt, String summary, String metadata, String origin) {}
