package dev.wharf.packages;

import java.util.Objects;

/**
 * A package's origin controls in one repository (CodeArtifact's PackageOriginRestrictions): whether
 * new versions may be published to it directly, and whether they may arrive from upstreams.
 */
public record OriginRestrictions(Mode publish, Mode upstream) {
  /** What a package without a configuration gets. */
  public static final OriginRestrictions DEFAULT = new OriginRestrictions(Mode.ALLOW, Mode.ALLOW);

  public enum Mode {
    ALLOW,
    BLOCK
  }

  public OriginRestrictions {
    Objects.requireNonNull(publish, "publish");
    Objects.requireNonNull(upstream, "upstream");
  }
}
