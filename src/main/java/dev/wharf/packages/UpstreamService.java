package dev.wharf.packages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a package through a repository's upstream graph, as CodeArtifact does: the repository
 * itself first, then each upstream in the order the repository lists them, each one's own upstreams
 * searched before the next (depth first); the first repository that has a version wins. Within a
 * repository whose origin configuration for the package says {@code upstream: BLOCK}, the search
 * does not go further up (the dependency-confusion defence). A version found upstream is retained
 * in the repository that was asked (see {@link PackageService#retain}), so it stays available
 * however the upstream changes. Authorization is the caller's: reading through a repository needs
 * read permission on that repository only.
 */
public final class UpstreamService {
  /** A repository's direct upstreams in priority order (empty when it has none or does not exist). */
  @FunctionalInterface
  public interface RepositoryUpstreams {
    List<String> upstreams(String domainOwner, String domainName, String repository);
  }

  /**
   * What a repository's external connection offers (a public registry): the package as the
   * connection has it, its versions keyed to that repository and already retained there, or empty.
   */
  public interface ExternalSource {
    /** Whether the repository of {@code key} has an external connection serving the key's format. */
    boolean connected(PackageKey key);

    Optional<PackageDocument> document(PackageKey keyInConnectedRepository);
  }

  private static final ExternalSource NONE = new ExternalSource() {
    @Override
    public boolean connected(PackageKey key) {
      return false;
    }

    @Override
    public Optional<PackageDocument> document(PackageKey keyInConnectedRepository) {
      return Optional.empty();
    }
  };

  private final PackageService packages;
  private final RepositoryUpstreams upstreams;
  private volatile ExternalSource external = NONE;

  /** Merged documents, reused while every source document is the same instance. */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Merged> merged =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(20_000).build();

  private record Merged(List<PackageDocument> sources, Optional<PackageDocument> document) {}

  public UpstreamService(PackageService packages, RepositoryUpstreams upstreams) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
  }

  /** Sets what external connections answer (the default has none). */
  public void externalSource(ExternalSource source) {
    this.external = Objects.requireNonNull(source, "source");
  }

  /**
   * The package in each repository searched, in search order, starting with {@code key}'s own
   * repository; repositories that do not have the package are left out.
   */
  List<PackageDocument> sources(PackageKey key) {
    List<PackageDocument> found = new ArrayList<>();
    visit(key, key.repository(), new HashSet<>(), found);
    return found;
  }

  private void visit(PackageKey key, String repository, Set<String> seen, List<PackageDocument> found) {
    if (!seen.add(repository)) {
      return;
    }
    PackageKey here = withRepository(key, repository);
    Optional<PackageDocument> document = packages.document(here);
    document.ifPresent(found::add);
    List<String> direct = upstreams.upstreams(key.domainOwner(), key.domainName(), repository);
    if (direct.isEmpty() && !external.connected(here)) {
      return;
    }
    if (packages.originRestrictions(here).upstream() == OriginRestrictions.Mode.BLOCK) {
      return;
    }
    for (String upstream : direct) {
      visit(key, upstream, seen, found);
    }
    external.document(here).ifPresent(found::add);
  }

  /**
   * The package as a client of {@code key}'s repository sees it: the versions of every repository
   * searched, the first repository's wins for a version present in several, in publish order;
   * dist-tags of the repository itself, then those of upstreams for tags it does not set. Versions
   * keep the key of the repository they are in (not yet retained when that is an upstream).
   */
  public Optional<PackageDocument> document(PackageKey key) {
    List<PackageDocument> sources = sources(key);
    Merged cached = merged.getIfPresent(key);
    if (cached != null && sameInstances(cached.sources(), sources)) {
      return cached.document();
    }
    Optional<PackageDocument> result = merge(key, sources);
    merged.put(key, new Merged(sources, result));
    return result;
  }

  private static boolean sameInstances(List<PackageDocument> a, List<PackageDocument> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static Optional<PackageDocument> merge(PackageKey key, List<PackageDocument> sources) {
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    if (sources.size() == 1) {
      return Optional.of(sources.getFirst());
    }
    Map<String, PackageDocument.VersionWithAssets> versions = new LinkedHashMap<>();
    Map<String, String> tags = new LinkedHashMap<>();
    for (PackageDocument source : sources) {
      for (PackageDocument.VersionWithAssets version : source.versions()) {
        versions.putIfAbsent(version.version().version(), version);
      }
    }
    for (PackageDocument source : sources) {
      source.distTags().forEach((tag, version) -> {
        if (versions.containsKey(version)) {
          tags.putIfAbsent(tag, version);
        }
      });
    }
    List<PackageDocument.VersionWithAssets> ordered = new ArrayList<>(versions.values());
    ordered.sort(Comparator.comparing(v -> v.version().publishedAt()));
    PackageDocument first = sources.getFirst();
    PackageSummary summary = first.summary().key().equals(key) ? first.summary() : sources.stream()
        .filter(s -> s.summary().key().repository().equals(key.repository())).findFirst().orElse(first).summary();
    return Optional.of(new PackageDocument(summary, ordered, tags));
  }

  /**
   * A version as a client of {@code key}'s repository gets it: the repository's own, else the first
   * found upstream, which is then retained in the repository (whatever its status: the caller
   * decides whether it may be downloaded).
   */
  public Optional<PackageDocument.VersionWithAssets> version(PackageKey key, String version) {
    Optional<PackageDocument.VersionWithAssets> local = find(packages.document(key), version);
    if (local.isPresent()) {
      return local;
    }
    return find(document(key), version).map(found -> found.version().key().repository().equals(key.repository())
        ? found : packages.retain(key.repository(), found));
  }

  /** The version of {@code key}'s repository (or found upstream and retained) that has an asset of that name. */
  public Optional<PackageDocument.VersionWithAssets> versionWithAsset(PackageKey key, String assetName) {
    Optional<PackageDocument.VersionWithAssets> local = packages.document(key).flatMap(d -> withAsset(d, assetName));
    if (local.isPresent()) {
      return local;
    }
    return document(key).flatMap(d -> withAsset(d, assetName)).map(found ->
        found.version().key().repository().equals(key.repository()) ? found : packages.retain(key.repository(), found));
  }

  private static Optional<PackageDocument.VersionWithAssets> withAsset(PackageDocument document, String assetName) {
    return document.versions().stream().filter(v -> v.assets().stream().anyMatch(a -> a.name().equals(assetName)))
        .findFirst();
  }

  private static Optional<PackageDocument.VersionWithAssets> find(Optional<PackageDocument> document, String version) {
    return document.flatMap(d -> d.versions().stream().filter(v -> v.version().version().equals(version)).findFirst());
  }

  /** The names of the packages of a format (and namespace) in the repository and every upstream searched. */
  public List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format) {
    LinkedHashSet<String> order = new LinkedHashSet<>();
    collect(domainOwner, domainName, repository, order);
    Map<String, PackageSummary> byName = new LinkedHashMap<>();
    for (String name : order) {
      for (PackageSummary summary : packages.listPackages(domainOwner, domainName, name, format, null, null)) {
        byName.putIfAbsent(summary.key().namespace() + "/" + summary.key().name(), summary);
      }
    }
    return List.copyOf(byName.values());
  }

  private void collect(String domainOwner, String domainName, String repository, LinkedHashSet<String> order) {
    if (order.add(repository)) {
      for (String upstream : upstreams.upstreams(domainOwner, domainName, repository)) {
        collect(domainOwner, domainName, upstream, order);
      }
    }
  }

  static PackageKey withRepository(PackageKey key, String repository) {
    return repository.equals(key.repository()) ? key : new PackageKey(key.domainOwner(), key.domainName(), repository,
        key.format(), key.namespace(), key.name());
  }
}
