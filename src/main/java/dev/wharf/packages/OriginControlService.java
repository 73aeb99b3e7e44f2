package dev.wharf.packages;

import dev.wharf.catalog.PackageGroup.RestrictionType;
import java.util.Objects;
import java.util.Optional;

/**
 * Package origin controls: whether a package in a repository takes versions published directly
 * and versions from upstreams (CodeArtifact's PackageOriginRestrictions), as set by
 * PutPackageOriginConfiguration or, for a new package, by where its first version came from; and
 * the one place that decides whether a version may enter a repository, combining those with the
 * restrictions of the package's group as CodeArtifact documents it: BLOCK wins over ALLOW. The
 * package's {@code publish} goes with the group's PUBLISH, its {@code upstream} with both the group's
 * INTERNAL_UPSTREAM (retained from upstream repositories) and EXTERNAL_UPSTREAM (fetched through an
 * external connection); a group's ALLOW_SPECIFIC_REPOSITORIES allows the repositories of its list
 * only. The package's restrictions are cached with the package (see {@link PackageService#invalidate}),
 * the groups' by the group service, so a decision reads no database row when warm. Authorization is
 * the caller's job.
 */
public final class OriginControlService {
  private static final OriginRestrictions INTERNAL_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);
  private static final OriginRestrictions UPSTREAM_DEFAULT =
      new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);

  /** What the package groups decide: whether a package's group lets its versions enter its repository one way. */
  @FunctionalInterface
  public interface GroupRestrictions {
    /** No groups: every way is allowed. */
    GroupRestrictions NONE = (key, type) -> Optional.empty();

    /**
     * Empty when the group of {@code key}'s package lets its versions enter {@code key}'s repository the way
     * {@code type} names; else why not (the group's pattern and its mode), for the refusal's message.
     */
    Optional<String> refusal(PackageKey key, RestrictionType type);
  }

  private final PackageService packages;
  private volatile GroupRestrictions groups = GroupRestrictions.NONE;

  /** @param packages the package core: its store, clock, caches and change announcements */
  public OriginControlService(PackageService packages) {
    this.packages = Objects.requireNonNull(packages, "packages");
  }

  /**
   * Sets what the package groups decide (the default: no groups). Set once by the composition root before
   * the server serves (the group service needs the formats, which need this service); called on every publish and
   * upstream read, so it must answer from memory.
   */
  public void groupRestrictions(GroupRestrictions restrictions) {
    this.groups = Objects.requireNonNull(restrictions, "restrictions");
  }

  /**
   * Why a version may not be published to {@code key}'s repository (a new version, a file added to one, a
   * copy into it), or empty when it may: the package's {@code publish: BLOCK}, or its group's PUBLISH.
   */
  public Optional<String> publishRefusal(PackageKey key) {
    if (originRestrictions(key).publish() == OriginRestrictions.Mode.BLOCK) {
      return Optional.of("its origin configuration (publish: BLOCK)");
    }
    return groups.refusal(key, RestrictionType.PUBLISH);
  }

  /** Whether {@code key}'s repository may take the package's versions from its upstream repositories. */
  public boolean allowsUpstreamRepositories(PackageKey key) {
    return originRestrictions(key).upstream() == OriginRestrictions.Mode.ALLOW
        && groups.refusal(key, RestrictionType.INTERNAL_UPSTREAM).isEmpty();
  }

  /** Whether {@code key}'s repository may fetch the package's versions through its external connection. */
  public boolean allowsExternalConnection(PackageKey key) {
    return originRestrictions(key).upstream() == OriginRestrictions.Mode.ALLOW
        && groups.refusal(key, RestrictionType.EXTERNAL_UPSTREAM).isEmpty();
  }

  /**
   * The package's restrictions in effect, as DescribePackage shows them: {@code publish} BLOCK when the package
   * or its group blocks publishing to the repository; {@code upstream} BLOCK when the package blocks it or its
   * group blocks both ways in from upstreams (from upstream repositories and through an external connection).
   */
  public OriginRestrictions effectiveRestrictions(PackageKey key) {
    return new OriginRestrictions(
        publishRefusal(key).isEmpty() ? OriginRestrictions.Mode.ALLOW : OriginRestrictions.Mode.BLOCK,
        allowsUpstreamRepositories(key) || allowsExternalConnection(key) ? OriginRestrictions.Mode.ALLOW
            : OriginRestrictions.Mode.BLOCK);
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
