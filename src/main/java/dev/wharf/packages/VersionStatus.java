package dev.wharf.packages;

/** CodeArtifact's package version statuses. */
public enum VersionStatus {
  PUBLISHED("Published"),
  UNFINISHED("Unfinished"),
  UNLISTED("Unlisted"),
  ARCHIVED("Archived"),
  DISPOSED("Disposed");

  private final String wireName;

  VersionStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name as the CodeArtifact API spells it (e.g. "Published"). */
  public String wireName() {
    return wireName;
  }

  public static VersionStatus fromWireName(String name) {
    for (VersionStatus status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown package version status: " + name);
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
