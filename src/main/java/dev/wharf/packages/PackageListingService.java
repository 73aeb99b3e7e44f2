package dev.wharf.packages;

import java.util.List;
import java.util.Objects;

/**
 * Lists of a repository's packages and of a package's versions, read straight from the store
 * (not through the package document cache): whole listings for the formats' indexes, and the
 * pages of the CodeArtifact API, whose cost does not depend on how many there are. The one entry
 * point for listing. Authorization is the caller's job.
 */
public final class PackageListingService {
  private final PackageService packages;

  /** @param packages the package core, whose store the lists are read from */
  public PackageListingService(PackageService packages) {
    this.packages = Objects.requireNonNull(packages, "packages");
  }

  /** Packages of a repository; every filter may be null; {@code namespace} and {@code namePrefix} are prefixes. */
  public List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format,
      String namespace, String namePrefix) {
    return packages.store().listPackages(domainOwner, domainName, repository, format, namespace, namePrefix);
  }

  /**
   * A page of package names of one format and namespace in a repository, in name order, after
   * {@code after} (null: from the start): for listings too large to read at once.
   */
  public List<String> packageNames(String domainOwner, String domainName, String repository, String format,
      String namespace, String after, int limit) {
    return packages.store().packageNames(domainOwner, domainName, repository, format, namespace, after, limit);
  }

  /**
   * As {@link #packageNames(String, String, String, String, String, String, int)}, without the names
   * that any repository of {@code notIn} also has: for listing an upstream graph's names once each.
   */
  public List<String> packageNames(String domainOwner, String domainName, String repository, String format,
      String namespace, List<String> notIn, String after, int limit) {
    return packages.store().packageNames(domainOwner, domainName, repository, format, namespace, notIn, after, limit);
  }

  /** One page of a repository's packages, each with its origin restrictions, and whether more follow. */
  public record PackagePage(List<PackageStore.ListedPackage> packages, boolean more) {
    public PackagePage {
      packages = List.copyOf(packages);
    }
  }

  /**
   * A page of a repository's packages straight from the store, in format, namespace and name order,
   * every filter (origin restrictions included) applied there, starting after {@code after} (the
   * previous page's last package; null for the first page): its cost does not depend on how many
   * packages the repository has or how deep the page is.
   */
  public PackagePage packagePage(String domainOwner, String domainName, String repository,
      PackageStore.PackageFilter filter, PackageStore.PackagePosition after, int limit) {
    List<PackageStore.ListedPackage> found =
        packages.store().listPackagesPage(domainOwner, domainName, repository, filter, after, limit + 1);
    return new PackagePage(found.size() > limit ? found.subList(0, limit) : found, found.size() > limit);
  }

  /** One page of versions and whether more follow; the versions carry no summary or metadata. */
  public record VersionPage(List<PackageVersion> versions, boolean more) {
    public VersionPage {
      versions = List.copyOf(versions);
    }
  }

  /**
   * A page of a package's versions straight from the store (publish order, or newest first),
   * optionally only those with a status (wire name) and origin type, starting after {@code after}
   * (a position of the previous page's last version; null for the first page): its cost does not
   * depend on how many versions the package has or how deep the page is.
   */
  public VersionPage versionPage(PackageKey key, String status, String originType, boolean newestFirst,
      PackageStore.VersionPosition after, int limit) {
    List<PackageVersion> found =
        packages.store().listVersionsPage(key, status, originType, newestFirst, after, limit + 1);
    return new VersionPage(found.size() > limit ? found.subList(0, limit) : found, found.size() > limit);
  }
}
