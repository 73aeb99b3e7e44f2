package dev.wharf.packages;

import static dev.wharf.packages.PackageService.displayName;

import dev.wharf.error.WharfException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens to versions after they were published: their status (Published, Unlisted,
 * Archived, Disposed), their deletion, and copies into another repository of the domain. The one
 * entry point for those changes, whether a format completes an Unfinished version or the
 * CodeArtifact API changes many versions in a batch with per-version outcomes. Authorization is
 * the caller's job.
 */
public final class VersionLifecycleService {
  private final PackageService packages;
  private final OriginControlService origins;

  /**
   * @param packages the package core: its store, clock, caches and change announcements
   * @param origins the origin controls that may block copying into a repository
   */
  public VersionLifecycleService(PackageService packages, OriginControlService origins) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.origins = Objects.requireNonNull(origins, "origins");
  }

  /**
   * Sets one version's status (a format completing an Unfinished version, or changing one); a new
   * revision is issued.
   *
   * @throws WharfException.NotFound when the version does not exist
   */
  public void updateStatus(PackageKey key, String version, VersionStatus status) {
    boolean done = packages.store().updateVersionStatus(key, version, status, PackageService.newRevision(),
        packages.clock().instant());
    packages.changed(key);
    if (!done) {
      throw PackageService.versionNotFound(key, version);
    }
  }

  /** CodeArtifact's PackageVersionErrorCode. */
  public enum VersionErrorCode {
    ALREADY_EXISTS,
    MISMATCHED_REVISION,
    MISMATCHED_STATUS,
    NOT_ALLOWED,
    NOT_FOUND,
    SKIPPED
  }

  /** What happened to one version of a batch. */
  public sealed interface VersionOutcome {
    /** Done; {@code status} as the API names it (incl. "Deleted"). */
    record Succeeded(String revision, String status) implements VersionOutcome {}

    record Failed(VersionErrorCode code, String message) implements VersionOutcome {}
  }

  /** Per version, in request order: the outcome of a batch operation. */
  public record BatchResult(Map<String, VersionOutcome> outcomes) {
    public BatchResult {
      outcomes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outcomes));
    }
  }

  /** What a batch operation does to one version that passed the revision and status checks. */
  private interface VersionAction {
    VersionOutcome apply(PackageVersion current);
  }

  private BatchResult batch(PackageKey key, List<String> versions, Map<String, String> revisions,
      VersionStatus expectedStatus, VersionAction action) {
    return batch(key, name -> packages.store().findVersion(key, name), versions, revisions, expectedStatus, action);
  }

  private BatchResult batch(PackageKey key, java.util.function.Function<String, Optional<PackageVersion>> finder,
      List<String> versions, Map<String, String> revisions, VersionStatus expectedStatus, VersionAction action) {
    Map<String, VersionOutcome> outcomes = new java.util.LinkedHashMap<>();
    try {
      for (String name : new java.util.LinkedHashSet<>(versions)) {
        Optional<PackageVersion> found = finder.apply(name);
        if (found.isEmpty()) {
          outcomes.put(name, new VersionOutcome.Failed(VersionErrorCode.NOT_FOUND, "Version " + name + " of "
              + displayName(key) + " not found"));
          continue;
        }
        PackageVersion current = found.get();
        String expectedRevision = revisions.get(name);
        if (expectedRevision != null && !expectedRevision.equals(current.revision())) {
          outcomes.put(name, new VersionOutcome.Failed(VersionErrorCode.MISMATCHED_REVISION, "Version " + name
              + " has revision " + current.revision() + ", not " + expectedRevision));
          continue;
        }
        if (expectedStatus != null && current.status() != expectedStatus) {
          outcomes.put(name, new VersionOutcome.Failed(VersionErrorCode.MISMATCHED_STATUS, "Version " + name
              + " has status " + current.status().wireName() + ", not " + expectedStatus.wireName()));
          continue;
        }
        outcomes.put(name, action.apply(current));
      }
    } finally {
      packages.changed(key);
    }
    return new BatchResult(outcomes);
  }

  private static VersionOutcome changedMeanwhile(PackageVersion current) {
    return new VersionOutcome.Failed(VersionErrorCode.MISMATCHED_REVISION, "Version " + current.version()
        + " was changed by another request meanwhile");
  }

  /**
   * UpdatePackageVersionsStatus: sets Published, Unlisted or Archived (Unfinished versions may be
   * completed this way); a Disposed version cannot be changed (NOT_ALLOWED).
   *
   * @throws WharfException.Invalid for any other target status
   */
  public BatchResult updateVersionsStatus(PackageKey key, List<String> versions, Map<String, String> revisions,
      VersionStatus expectedStatus, VersionStatus targetStatus) {
    if (targetStatus != VersionStatus.PUBLISHED && targetStatus != VersionStatus.UNLISTED
        && targetStatus != VersionStatus.ARCHIVED) {
      throw new WharfException.Invalid("ValidationException", "The target status " + targetStatus.wireName()
          + " cannot be set with UpdatePackageVersionsStatus: use Published, Unlisted or Archived"
          + (targetStatus == VersionStatus.DISPOSED ? " (DisposePackageVersions disposes versions)" : ""));
    }
    return batch(key, versions, revisions, expectedStatus, current -> {
      if (current.status() == VersionStatus.DISPOSED) {
        return new VersionOutcome.Failed(VersionErrorCode.NOT_ALLOWED, "Version " + current.version()
            + " is Disposed; its status cannot be changed");
      }
      if (current.status() == targetStatus) {
        return new VersionOutcome.Succeeded(current.revision(), targetStatus.wireName());
      }
      String revision = PackageService.newRevision();
      return packages.store().changeVersionStatus(key, current.version(), current.revision(), targetStatus, revision,
          false, packages.clock().instant()) ? new VersionOutcome.Succeeded(revision, targetStatus.wireName())
          : changedMeanwhile(current);
    });
  }

  /**
   * DisposePackageVersions: the versions' asset records are removed and each is kept as Disposed.
   * The blobs stay in the blob store (another version or repository may share them) until a
   * garbage collector exists.
   */
  public BatchResult disposeVersions(PackageKey key, List<String> versions, Map<String, String> revisions,
      VersionStatus expectedStatus) {
    return batch(key, versions, revisions, expectedStatus, current -> {
      if (current.status() == VersionStatus.DISPOSED) {
        return new VersionOutcome.Succeeded(current.revision(), VersionStatus.DISPOSED.wireName());
      }
      String revision = PackageService.newRevision();
      return packages.store().changeVersionStatus(key, current.version(), current.revision(), VersionStatus.DISPOSED,
          revision, true, packages.clock().instant()) ? new VersionOutcome.Succeeded(revision,
          VersionStatus.DISPOSED.wireName()) : changedMeanwhile(current);
    });
  }

  /** DeletePackageVersions: the versions' records (and assets' records) are removed; status "Deleted". */
  public BatchResult deleteVersions(PackageKey key, List<String> versions, VersionStatus expectedStatus) {
    return batch(key, versions, Map.of(), expectedStatus, current ->
        packages.store().deleteVersion(key, current.version(), current.revision(), packages.clock().instant())
            ? new VersionOutcome.Succeeded(current.revision(), "Deleted") : changedMeanwhile(current));
  }

  /**
   * CopyPackageVersions: copies versions (Published, Unlisted or Archived) with their metadata,
   * status, revision and origin (type and domain entry point: a copy does not change where a version
   * entered the domain) into another repository of the domain, referring to the same blobs. The
   * destination's origin configuration must allow publishing. A version the source repository does
   * not have is looked up with {@code fromUpstream} (includeFromUpstream: the source's upstream
   * repositories; {@code v -> Optional.empty()} otherwise); revisions given must match the version
   * found, wherever it is.
   */
  public BatchResult copyVersions(PackageKey source, String destinationRepository, List<String> versions,
      Map<String, String> revisions, boolean allowOverwrite,
      java.util.function.Function<String, Optional<PackageVersion>> fromUpstream) {
    PackageStore store = packages.store();
    PackageKey destination = new PackageKey(source.domainOwner(), source.domainName(), destinationRepository,
        source.format(), source.namespace(), source.name());
    Optional<String> blocked = origins.publishRefusal(destination);
    List<String> names = new ArrayList<>(versions);
    revisions.keySet().stream().filter(v -> !names.contains(v)).forEach(names::add);
    java.util.function.Function<String, Optional<PackageVersion>> finder = name -> store.findVersion(source, name)
        .or(() -> fromUpstream.apply(name));
    try {
      return batch(source, finder, names, revisions, null, current -> {
        if (current.status() != VersionStatus.PUBLISHED && current.status() != VersionStatus.UNLISTED
            && current.status() != VersionStatus.ARCHIVED) {
          return new VersionOutcome.Failed(VersionErrorCode.NOT_ALLOWED, "Version " + current.version() + " is "
              + current.status().wireName() + " and cannot be copied");
        }
        if (blocked.isPresent()) {
          return new VersionOutcome.Failed(VersionErrorCode.NOT_ALLOWED, "Publishing to package "
              + displayName(destination) + " in repository " + destinationRepository + " is blocked by "
              + blocked.get());
        }
        // current.key() is the source repository's, or the upstream repository's that has the version.
        List<PackageAsset> assets = store.listAssets(current.key(), current.version());
        Instant now = packages.clock().instant();
        PackageVersion copy = new PackageVersion(destination, current.version(), current.status(), current.revision(),
            current.publishedAt(), now, current.summary(), current.metadata(), current.origin(), current.entryPoint());
        return store.copyVersion(copy, assets, allowOverwrite, now) == PackageStore.InsertOutcome.INSERTED
            ? new VersionOutcome.Succeeded(copy.revision(), copy.status().wireName())
            : new VersionOutcome.Failed(VersionErrorCode.ALREADY_EXISTS, "Version " + current.version() + " of "
                + displayName(destination) + " already exists in repository " + destinationRepository);
      });
    } finally {
      packages.changed(destination);
    }
  }
}
