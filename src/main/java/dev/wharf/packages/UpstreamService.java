package dev.wharf.packages;

import dev.wharf.metrics.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a package through a repository's upstream graph, as CodeArtifact does: the repository
 * itself first, then each upstream in the order the repository lists them, each one's own upstreams
 * searched before the next (depth first); the first repository that has a version wins. From a
 * repository whose origin configuration for the package says {@code upstream: BLOCK}, the search
 * does not go further up (the dependency-confusion defence); from one whose package group blocks
 * INTERNAL_UPSTREAM (or EXTERNAL_UPSTREAM) for it, it does not go to its upstream repositories (or its
 * external connection); see {@link OriginControlService}. A version found upstream is retained
 * in the repository that was asked (see {@link PublishingService#retain}), so it stays available
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

    /**
     * The package as the connection's upstream has it now (or cached): versions keyed to the
     * connected repository, with assets that carry the upstream's published hashes but are not
     * stored yet; empty when the upstream does not have it.
     *
     * @throws UpstreamUnavailableException when the upstream cannot answer and nothing is cached
     */
    Optional<PackageDocument> document(PackageKey keyInConnectedRepository);

    /**
     * Fetches one asset of a version {@link #document} listed, checks it against the published
     * hashes and stores it in the connected repository (origin EXTERNAL).
     *
     * @return the version as now stored in the connected repository
     * @throws UpstreamUnavailableException when it cannot be fetched or does not match
     */
    PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName);

    /**
     * For formats whose metadata lists versions but not their files (Maven): fetches the file
     * {@code assetName} of a version {@link #document} listed, checks it against the checksum the
     * upstream publishes next to it and stores it in the connected repository (origin EXTERNAL).
     *
     * @return the version as now stored in the connected repository; empty when the upstream does
     *     not have that file, or the format lists its files
     * @throws UpstreamUnavailableException when it cannot be fetched, has no checksum or does not match
     */
    default Optional<PackageDocument.VersionWithAssets> fetchNamed(PackageDocument.VersionWithAssets remote,
        String assetName) {
      return Optional.empty();
    }
  }

  /**
   * The most repositories one read looks in, the repository itself included: CodeArtifact's limit
   * ("the maximum number of repositories CodeArtifact looks in when a package version is requested
   * is 25"); the ones after it in search order are not searched. It also bounds what one read costs
   * however the domain's repositories are chained.
   */
  public static final int MAX_SEARCHED = 25;

  private static final ExternalSource NONE = new ExternalSource() {
    @Override
    public boolean connected(PackageKey key) {
      return false;
    }

    @Override
    public Optional<PackageDocument> document(PackageKey keyInConnectedRepository) {
      return Optional.empty();
    }

    @Override
    public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
      throw new IllegalStateException("no external connections");
    }
  };

  /** One repository's package (or an external connection's), in search order. */
  private record Source(PackageDocument document, boolean external) {}

  /** What a search found, and the first upstream failure met on the way (null if none). */
  private record Search(List<Source> sources, UpstreamUnavailableException failure) {
    List<PackageDocument> documents() {
      return sources.stream().map(Source::document).toList();
    }
  }

  private final PackageService packages;
  private final OriginControlService origins;
  private final PublishingService publishing;
  private final RepositoryUpstreams upstreams;
  private volatile ExternalSource external = NONE;

  /**
   * Documents merged from several sources, reused while every source document is the same instance (the package
   * service hands out the same instance until the package changes or its entry is evicted). Only a merge of several
   * sources is kept: a single source is the document itself. The sources are held weakly and the merges are
   * weighed, so this cache never keeps alive a document that the package service has let go, and what it holds
   * itself is bounded (a 20-minute soak filled the 160 MB heap when it held every document ever read). A merge
   * cannot be reused once a source has changed, so it also expires after the package service's own 30 s.
   */
  private final com.github.benmanes.caffeine.cache.Cache<PackageKey, Merged> merged =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumWeight(HeapShare.of(16))
          .<PackageKey, Merged>weigher((key, merge) -> merge.weight())
          .expireAfterWrite(java.time.Duration.ofSeconds(30)).build();

  private record Merged(List<java.lang.ref.WeakReference<PackageDocument>> sources, PackageDocument document) {
    static Merged of(List<PackageDocument> sources, PackageDocument document) {
      return new Merged(sources.stream().map(java.lang.ref.WeakReference::new).toList(), document);
    }

    boolean mergedFrom(List<PackageDocument> current) {
      if (sources.size() != current.size()) {
        return false;
      }
      for (int i = 0; i < sources.size(); i++) {
        if (sources.get(i).get() != current.get(i)) {
          return false;
        }
      }
      return true;
    }

    int weight() {
      return (int) Math.min(Integer.MAX_VALUE, 64 + 16L * sources.size() + document.approximateBytes());
    }
  }

  private final Metrics metrics;

  public UpstreamService(PackageService packages, OriginControlService origins, PublishingService publishing,
      RepositoryUpstreams upstreams, Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.packages = Objects.requireNonNull(packages, "packages");
    this.origins = Objects.requireNonNull(origins, "origins");
    this.publishing = Objects.requireNonNull(publishing, "publishing");
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
  private Search search(PackageKey key) {
    List<Source> found = new ArrayList<>();
    UpstreamUnavailableException[] failure = new UpstreamUnavailableException[1];
    visit(key, key.repository(), new HashSet<>(), found, failure);
    return new Search(found, failure[0]);
  }

  private void visit(PackageKey key, String repository, Set<String> seen, List<Source> found,
      UpstreamUnavailableException[] failure) {
    if (seen.size() >= MAX_SEARCHED || !seen.add(repository)) {
      return;
    }
    PackageKey here = withRepository(key, repository);
    Optional<PackageDocument> document = packages.document(here);
    document.ifPresent(d -> found.add(new Source(d, false)));
    List<String> direct = upstreams.upstreams(key.domainOwner(), key.domainName(), repository);
    boolean connected = external.connected(here);
    if (direct.isEmpty() && !connected) {
      return;
    }
    if (!direct.isEmpty() && origins.allowsUpstreamRepositories(here)) {
      for (String upstream : direct) {
        visit(key, upstream, seen, found, failure);
      }
    }
    if (connected && origins.allowsExternalConnection(here)) {
      try {
        external.document(here).ifPresent(d -> found.add(new Source(d, true)));
      } catch (UpstreamUnavailableException e) {
        if (failure[0] == null) {
          failure[0] = e;
        }
      }
    }
  }

  /**
   * The package as a client of {@code key}'s repository sees it: the versions of every repository
   * searched, the first repository's wins for a version present in several, in publish order;
   * dist-tags of the repository itself, then those of upstreams for tags it does not set. Versions
   * keep the key of the repository they are in (not yet retained when that is an upstream).
   */
  public Optional<PackageDocument> document(PackageKey key) {
    Search search = search(key);
    if (search.sources().isEmpty() && search.failure() != null) {
      throw search.failure();
    }
    List<PackageDocument> sources = search.documents();
    if (sources.size() < 2) {
      return merge(key, sources);
    }
    Merged cached = merged.getIfPresent(key);
    if (cached != null && cached.mergedFrom(sources)) {
      return Optional.of(cached.document());
    }
    Optional<PackageDocument> result = merge(key, sources);
    result.ifPresent(document -> merged.put(key, Merged.of(sources, document)));
    return result;
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
    // A version is ordered by its earliest publish time anywhere: a copy fetched from an external
    // connection is stored at fetch time, the upstream's listing says when (or in which order) it came.
    Map<String, java.time.Instant> published = new java.util.HashMap<>();
    for (PackageDocument source : sources) {
      for (PackageDocument.VersionWithAssets version : source.versions()) {
        published.merge(version.version().version(), version.version().publishedAt(),
            (a, b) -> a.isBefore(b) ? a : b);
        PackageDocument.VersionWithAssets first = versions.putIfAbsent(version.version().version(), version);
        if (first != null && first != version) {
          // The same version in several places (PyPI files retained one by one): the first's files, then others'.
          List<PackageAsset> assets = new ArrayList<>(first.assets());
          version.assets().stream().filter(a -> assets.stream().noneMatch(b -> b.name().equals(a.name())))
              .forEach(assets::add);
          if (assets.size() > first.assets().size()) {
            versions.put(version.version().version(), new PackageDocument.VersionWithAssets(first.version(), assets));
          }
        }
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
    ordered.sort(Comparator.comparing(v -> published.get(v.version().version())));
    PackageDocument first = sources.getFirst();
    PackageSummary summary = first.summary().key().equals(key) ? first.summary() : sources.stream()
        .filter(s -> s.summary().key().repository().equals(key.repository())).findFirst().orElse(first).summary();
    return Optional.of(new PackageDocument(summary, ordered, tags));
  }

  /**
   * A version as a client of {@code key}'s repository gets it: the repository's own, else the first
   * repository searched that has it, which is then retained in the repository (fetched first when
   * it is an external connection's); whatever its status: the caller decides whether it may be
   * downloaded.
   *
   * @throws UpstreamUnavailableException when it was not found and an upstream could not answer
   */
  public Optional<PackageDocument.VersionWithAssets> version(PackageKey key, String version) {
    Optional<PackageDocument.VersionWithAssets> local = find(packages.document(key), version);
    if (local.isPresent()) {
      return local;
    }
    return lookedUp(key, () -> searchVersion(key, version));
  }

  private Optional<PackageDocument.VersionWithAssets> searchVersion(PackageKey key, String version) {
    return firstFound(key, source -> {
      // Only what the upstream would serve is taken from it (not Archived, Disposed or Unfinished versions).
      Optional<PackageDocument.VersionWithAssets> found = find(Optional.of(source.document()), version)
          .filter(v -> v.version().status().downloadable());
      if (found.isEmpty() || !source.external()) {
        return found;
      }
      if (found.get().assets().isEmpty()) {
        return Optional.empty(); // listed without files (Maven): its files are fetched one by one, by name
      }
      PackageDocument.VersionWithAssets stored = found.get();
      for (PackageAsset asset : found.get().assets()) {
        stored = external.fetch(found.get(), asset.name());
      }
      return Optional.of(stored);
    });
  }

  /**
   * The version (of {@code key}'s repository, or of the first repository searched that has the
   * file, then retained) with an asset of that name.
   *
   * @throws UpstreamUnavailableException when it was not found and an upstream could not answer
   */
  public Optional<PackageDocument.VersionWithAssets> versionWithAsset(PackageKey key, String assetName) {
    Optional<PackageDocument.VersionWithAssets> local = packages.document(key).flatMap(d -> withAsset(d, assetName));
    if (local.isPresent()) {
      return local;
    }
    return lookedUp(key, () -> searchAsset(key, assetName));
  }

  private Optional<PackageDocument.VersionWithAssets> searchAsset(PackageKey key, String assetName) {
    return firstFound(key, source -> withAsset(source.document(), assetName)
        .filter(v -> v.version().status().downloadable())
        .map(found -> source.external() ? external.fetch(found, assetName) : found));
  }

  /**
   * The first answer {@code take} finds in the repositories searched for {@code key}, in search order, retained
   * in {@code key}'s repository; when none has it, the failure of an upstream that could not answer, if any.
   */
  private Optional<PackageDocument.VersionWithAssets> firstFound(PackageKey key,
      java.util.function.Function<Source, Optional<PackageDocument.VersionWithAssets>> take) {
    Search search = search(key);
    for (Source source : search.sources()) {
      Optional<PackageDocument.VersionWithAssets> found = take.apply(source);
      if (found.isPresent()) {
        return Optional.of(bring(key, found.get()));
      }
    }
    if (search.failure() != null) {
      throw search.failure();
    }
    return Optional.empty();
  }

  /**
   * The file {@code assetName} of {@code version}, for formats whose files are found by name (Maven):
   * from {@code key}'s repository, else from the first repository searched whose version has it
   * (then retained), else fetched by name from an external connection that lists the version, unless
   * a repository searched before holds that version from anywhere else or in a state that cannot be
   * downloaded (a version published in the domain is never completed with a public registry's files).
   * When {@code key}'s repository has the version in a state that cannot be downloaded, it is
   * answered as is.
   *
   * @throws UpstreamUnavailableException when it was not found and an upstream could not answer
   */
  public Optional<PackageDocument.VersionWithAssets> versionWithAsset(PackageKey key, String version,
      String assetName) {
    Optional<PackageDocument.VersionWithAssets> local = find(packages.document(key), version);
    if (local.isPresent() && (hasAsset(local.get(), assetName) || !local.get().version().status().downloadable())) {
      return local;
    }
    return lookedUp(key, () -> searchNamedAsset(key, version, assetName));
  }

  private Optional<PackageDocument.VersionWithAssets> searchNamedAsset(PackageKey key, String version,
      String assetName) {
    Search search = search(key);
    boolean onlyExternal = true; // every copy of the version met so far came from an external connection
    for (Source source : search.sources()) {
      Optional<PackageDocument.VersionWithAssets> any = find(Optional.of(source.document()), version);
      Optional<PackageDocument.VersionWithAssets> found = any.filter(v -> v.version().status().downloadable());
      if (found.isPresent() && hasAsset(found.get(), assetName)) {
        PackageDocument.VersionWithAssets stored = source.external() ? external.fetch(found.get(), assetName)
            : found.get();
        return Optional.of(bring(key, stored));
      }
      if (found.isPresent() && source.external() && onlyExternal) {
        Optional<PackageDocument.VersionWithAssets> fetched = external.fetchNamed(found.get(), assetName);
        if (fetched.isPresent()) {
          return Optional.of(bring(key, fetched.get()));
        }
      }
      if (any.isPresent() && !source.external()) {
        // Published in the domain, or taken out of use there (Archived, Disposed): left as it is.
        onlyExternal &= "EXTERNAL".equals(any.get().version().origin()) && found.isPresent();
      }
    }
    if (search.failure() != null) {
      throw search.failure();
    }
    return Optional.empty();
  }

  /**
   * Runs a search of the upstreams for what {@code key}'s repository lacks, counted as a hit, a miss or an
   * error with its duration when the repository has upstreams or an external connection (a repository
   * without any has nothing to look up).
   */
  private Optional<PackageDocument.VersionWithAssets> lookedUp(PackageKey key,
      java.util.function.Supplier<Optional<PackageDocument.VersionWithAssets>> search) {
    boolean counted = external.connected(key)
        || !upstreams.upstreams(key.domainOwner(), key.domainName(), key.repository()).isEmpty();
    long started = System.nanoTime();
    try {
      Optional<PackageDocument.VersionWithAssets> found = search.get();
      if (counted) {
        metrics.upstreamLookup(found.isPresent() ? Metrics.UpstreamResult.HIT : Metrics.UpstreamResult.MISS,
            System.nanoTime() - started);
      }
      return found;
    } catch (RuntimeException e) {
      if (counted) {
        metrics.upstreamLookup(Metrics.UpstreamResult.ERROR, System.nanoTime() - started);
      }
      throw e;
    }
  }

  private static boolean hasAsset(PackageDocument.VersionWithAssets version, String assetName) {
    return version.assets().stream().anyMatch(a -> a.name().equals(assetName));
  }

  /** The version as retained in {@code key}'s repository (itself when it is there already). */
  private PackageDocument.VersionWithAssets bring(PackageKey key, PackageDocument.VersionWithAssets found) {
    return found.version().key().repository().equals(key.repository()) ? found
        : publishing.retain(key.repository(), found);
  }

  private static Optional<PackageDocument.VersionWithAssets> withAsset(PackageDocument document, String assetName) {
    return document.versions().stream().filter(v -> v.assets().stream().anyMatch(a -> a.name().equals(assetName)))
        .findFirst();
  }

  private static Optional<PackageDocument.VersionWithAssets> find(Optional<PackageDocument> document, String version) {
    return document.flatMap(d -> d.versions().stream().filter(v -> v.version().version().equals(version)).findFirst());
  }

  // ---------------------------------------------------------------- repositories only (no external connections)

  /**
   * The repositories a read of {@code key} searches, in search order and each once, starting with
   * {@code key}'s own: the upstream graph as {@link #document} walks it (not further up from a
   * repository whose origin configuration for the package says {@code upstream: BLOCK}), without
   * external connections.
   */
  public List<String> searchedRepositories(PackageKey key) {
    List<String> order = new ArrayList<>();
    walkRepositories(key, key.repository(), order);
    return order;
  }

  private void walkRepositories(PackageKey key, String repository, List<String> order) {
    if (order.size() >= MAX_SEARCHED || order.contains(repository)) {
      return;
    }
    order.add(repository);
    List<String> direct = upstreams.upstreams(key.domainOwner(), key.domainName(), repository);
    if (direct.isEmpty() || !origins.allowsUpstreamRepositories(withRepository(key, repository))) {
      return;
    }
    for (String upstream : direct) {
      walkRepositories(key, upstream, order);
    }
  }

  /**
   * Looks versions up in {@code key}'s upstream repositories: each as the first of them that has
   * it stores it (in search order, {@code key}'s own repository left out), whatever its status.
   * Nothing is retained and no external connection is asked (CopyPackageVersions with
   * includeFromUpstream). The graph is walked once, at the first lookup.
   */
  public java.util.function.Function<String, Optional<PackageVersion>> upstreamVersions(PackageKey key) {
    List<String> searched = new ArrayList<>();
    return version -> {
      if (searched.isEmpty()) {
        searched.addAll(searchedRepositories(key));
      }
      for (String repository : searched) {
        if (!repository.equals(key.repository())) {
          Optional<PackageVersion> found = packages.version(withRepository(key, repository), version);
          if (found.isPresent()) {
            return found;
          }
        }
      }
      return Optional.empty();
    };
  }

  /** Whether {@code key}'s repository or one of its upstream repositories has the package (no external connection). */
  public boolean existsInRepositories(PackageKey key) {
    return searchedRepositories(key).stream()
        .anyMatch(repository -> packages.packageRecord(withRepository(key, repository)).isPresent());
  }

  /**
   * Every repository of the upstream graph of {@code repository}, in search order and each once,
   * starting with itself (package origin configurations not considered: for listings of names).
   */
  public List<String> graph(String domainOwner, String domainName, String repository) {
    List<String> order = new ArrayList<>();
    walkGraph(domainOwner, domainName, repository, order);
    return order;
  }

  private void walkGraph(String domainOwner, String domainName, String repository, List<String> order) {
    if (order.size() >= MAX_SEARCHED || order.contains(repository)) {
      return;
    }
    order.add(repository);
    for (String upstream : upstreams.upstreams(domainOwner, domainName, repository)) {
      walkGraph(domainOwner, domainName, upstream, order);
    }
  }

  static PackageKey withRepository(PackageKey key, String repository) {
    return repository.equals(key.repository()) ? key : new PackageKey(key.domainOwner(), key.domainName(), repository,
        key.format(), key.namespace(), key.name());
  }
}
