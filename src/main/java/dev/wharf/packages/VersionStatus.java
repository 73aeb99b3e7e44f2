package dev.wharf.packages;

import dev.wharf.naming.WireNames;

/** CodeArtifact's package version statuses. */
public enum VersionStatus {
  PUBLISHED,
  UNFINISHED,
  UNLISTED,
  ARCHIVED,
  DISPOSED;

  /** The name as the CodeArtifact API spells it (e.g. "Published"). */
  public String wireName() {
    return WireNames.pascalCase(this);
  }

  public static VersionStatus fromWireName(String name) {
    return WireNames.find(VersionStatus.class, VersionStatus::wireName, name)
        .orElseThrow(() -> new IllegalArgumentException("unknown package version status: " + name));
  }

  /** Whether its assets may be downloaded (by exact version, for Unlisted). */
  public boolean downloadable() {
    return this == PUBLISHED || this == UNLISTED;
  }

  /** Whether it appears in listings such as npm's packument. */
  public boolean listed() {
    return this == PUBLISHED;
  }
}
