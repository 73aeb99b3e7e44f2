package dev.wharf.packages;

import java.util.Objects;

/**
 * Package origin controls: whether a package in a repository takes versions published directly
 * and versions from upstreams (CodeArtifact's PackageOriginRestrictions), as set by
 * PutPackageOriginConfiguration or, for a new package, by where its first version came from. The
 * one entry point for reading and setting them; the restrictions are cached with the package (see
 * {@link PackageService#invalidate}). Authorization is the caller's job.
 */
public final class OriginControlService {
  private static final OriginRestrictions INTERNAL_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);
  private static final OriginRestrictions UPSTREAM_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);

  private final PackageService packages;

  /** @param packages the package core: its store, clock, caches and change announcements */
  public OriginControlService(PackageService packages) {
    this.packages = Objects.requireNonNull(packages, "packages");
  }

  /**
   * The package's origin restrictions: as set by PutPackageOriginConfiguration or by the first
   * version's arrival (see {@link PublishingService#retain}); ALLOW/ALLOW for a package that has neither. Cached
   * like the package's document (cleared by every change to the package, on every node).
   */
  public OriginRestrictions originRestrictions(PackageKey key) {
    return packages.originRestrictionsCache().get(key, packages.store()::originRestrictions)
        .orElse(OriginRestrictions.DEFAULT);
  }

  /** Sets a package's origin restrictions; the package is created (without versions) if needed, as CodeArtifact does. */
  public void putOriginRestrictions(PackageKey key, OriginRestrictions restrictions) {
    packages.store().putOriginRestrictions(key, restrictions, packages.clock().instant());
    packages.changed(key);
  }

  /**
   * CodeArtifact's default origin controls, which a package gets when its first version arrives: published
   * directly → publish ALLOW, upstream BLOCK (a same-named package from an upstream or a public registry
   * cannot slip in: the dependency-confusion defence); taken from an upstream or an external connection →
   * publish BLOCK, upstream ALLOW. The store sets them in the transaction that creates the package (so a
   * crash cannot leave a package without them), and only then: settings made with
   * PutPackageOriginConfiguration before are kept.
   */
  static OriginRestrictions newPackageRestrictions(String origin) {
    return "INTERNAL".equals(origin) ? INTERNAL_DEFAULT : UPSTREAM_DEFAULT;
  }
}
