package dev.wharf.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A package group of a domain: its pattern, what people read about it, and its own origin restriction modes
 * (the effective modes, resolved through {@link Mode#INHERIT}, are the service's business).
 */
public record PackageGroup(String domainOwner, String domainName, PackageGroupPattern pattern, String arn,
    String description, String contactInfo, Instant createdAt, Map<RestrictionType, Mode> modes) {

  public PackageGroup {
    modes = Map.copyOf(modes);
  }

  /** What an origin restriction governs: publishing, reads through upstream repositories, external fetches. */
  public enum RestrictionType {
    PUBLISH,
    EXTERNAL_UPSTREAM,
    INTERNAL_UPSTREAM
  }

  /** An origin restriction's mode; {@code INHERIT} takes the parent's effective mode (the root never inherits). */
  public enum Mode {
    ALLOW,
    ALLOW_SPECIFIC_REPOSITORIES,
    BLOCK,
    INHERIT
  }

  public boolean isRoot() {
    return pattern.kind() == PackageGroupPattern.Kind.ROOT;
  }
}
