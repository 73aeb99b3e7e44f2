package dev.wharf.format.nuget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * NuGet packages in a repository: push (checked against the package's own {@code .nuspec}), unlist,
 * the flat container's version lists and files, registrations (pages and leaves), search and
 * autocomplete.
 *
 * <p>A package's name is its id in lower case; a version is stored normalized, with two assets:
 * {@code ID.VERSION.nupkg} and {@code ID.nuspec} (lower case, as the flat container names them). Its
 * document keeps the {@code .nuspec}'s descriptive fields, its readme's text and its dependency groups.
 * Unlisted versions stay downloadable by exact version and are shown as {@code listed: false}.
 */
public final class NugetRegistry {
  public static final String FORMAT = "nuget";
  /** Versions per registration page, and the most versions whose pages are inlined in the index (as nuget.org). */
  static final int PAGE_SIZE = 64;
  static final int MAX_INLINED_VERSIONS = 128;
  static final int MAX_SEARCH_RESULTS = 1000;
  private static final int NAMES_PAGE = 1000;
  private static final int SEARCH_SCAN_LIMIT = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FormatContext context;
  /** Rendered per package and endpoint: the documents hold absolute URLs. */
  private final Renderings<View> registrations;

  private record View(PackageKey key, String endpoint, String document) {}

  NugetRegistry(FormatContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.registrations = new Renderings<>(context.renderings());
  }

  static PackageKey key(RepositoryLocation location, String id) {
    return location.key(FORMAT, "", NugetNames.key(id));
  }

  static String nupkgName(String id, String version) {
    return NugetNames.key(id) + "." + version.toLowerCase(Locale.ROOT) + ".nupkg";
  }

  static String nuspecName(String id) {
    return NugetNames.key(id) + ".nuspec";
  }

  // ---------------------------------------------------------------- push and unlist

  /**
   * Stores a pushed package as a new version. A version that exists (in any spelling of its
   * pre-release label) is refused with a 409, as NuGet servers answer; {@code --skip-duplicate} reads it.
   *
   * @throws WharfException.Conflict when the version exists
   */
  void push(RepositoryLocation location, NugetPackage pushed, Path nupkg) {
    Nuspec nuspec = pushed.nuspec();
    PackageKey key = key(location, nuspec.id());
    String version = nuspec.normalizedVersion();
    boolean exists = context.packages().versions(key).stream()
        .anyMatch(v -> v.version().equalsIgnoreCase(version));
    if (exists) {
      throw conflict(nuspec.id(), version);
    }
    try (InputStream in = Files.newInputStream(nupkg)) {
      context.publishing().publish(new PublishingService.Publication(key, version,
          nuspec.summary() != null ? nuspec.summary() : nuspec.description(), document(pushed).toString(), Map.of(),
          "INTERNAL"), List.of(
              new PublishingService.AssetContent(nupkgName(nuspec.id(), version), in, context.maxAssetBytes()),
              new PublishingService.AssetContent(nuspecName(nuspec.id()), new ByteArrayInputStream(pushed.nuspecBytes()),
                  pushed.nuspecBytes().length)));
    } catch (WharfException.Conflict raced) {
      throw conflict(nuspec.id(), version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WharfException.Conflict conflict(String id, String version) {
    return new WharfException.Conflict(null, "Package " + id + " " + version + " already exists: a published version"
        + " cannot be replaced");
  }

  static ObjectNode document(NugetPackage pushed) {
    Nuspec nuspec = pushed.nuspec();
    ObjectNode out = JSON.createObjectNode();
    out.put("id", nuspec.id());
    out.put("version", nuspec.version());
    put(out, "title", nuspec.title());
    put(out, "description", nuspec.description());
    put(out, "summary", nuspec.summary());
    put(out, "authors", nuspec.authors());
    put(out, "tags", nuspec.tags());
    put(out, "projectUrl", nuspec.projectUrl());
    put(out, "licenseExpression", nuspec.licenseExpression());
    put(out, "licenseUrl", nuspec.licenseUrl());
    put(out, "repositoryUrl", nuspec.repositoryUrl());
    put(out, "readme", pushed.readme());
    ArrayNode groups = out.putArray("dependencyGroups");
    for (Nuspec.DependencyGroup group : nuspec.dependencyGroups()) {
      ObjectNode node = groups.addObject();
      put(node, "targetFramework", group.targetFramework());
      ArrayNode dependencies = node.putArray("dependencies");
      group.dependencies().forEach(d -> put(dependencies.addObject().put("id", d.id()), "range", d.range()));
    }
    return out;
  }

  private static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  /**
   * Unlists a version (NuGet's delete, as CodeArtifact maps it): its status becomes Unlisted. An
   * Unlisted version stays so.
   *
   * @throws WharfException.NotFound when the repository has no such version
   */
  void unlist(RepositoryLocation location, String id, String version) {
    PackageKey key = key(location, id);
    PackageVersion stored = context.packages().versions(key).stream()
        .filter(v -> v.version().equalsIgnoreCase(version)).findFirst()
        .orElseThrow(() -> new WharfException.NotFound(null, "Package " + id + " " + version + " does not exist"));
    if (stored.status() == VersionStatus.PUBLISHED) {
      context.lifecycle().updateStatus(key, stored.version(), VersionStatus.UNLISTED);
    } else if (stored.status() != VersionStatus.UNLISTED) {
      throw new WharfException.NotFound(null, "Package " + id + " " + version + " is " + stored.status().wireName());
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * The package's downloadable versions (Published and Unlisted, with a {@code .nupkg}), the
   * repository's and its upstreams', once each (the first found for a version), in NuGet's order.
   */
  static List<PackageDocument.VersionWithAssets> versions(PackageDocument document) {
    Map<String, PackageDocument.VersionWithAssets> chosen = new LinkedHashMap<>();
    for (PackageDocument.VersionWithAssets entry : document.versions()) {
      PackageVersion version = entry.version();
      if (version.status().downloadable() && (nupkg(entry).isPresent() || listedExternally(entry))) {
        chosen.putIfAbsent(version.version().toLowerCase(Locale.ROOT), entry);
      }
    }
    List<PackageDocument.VersionWithAssets> sorted = new ArrayList<>(chosen.values());
    sorted.sort((a, b) -> NugetNames.compare(a.version().version(), b.version().version()));
    return sorted;
  }

  /** A version an external connection lists, whose {@code .nupkg} is fetched when a client first asks for it. */
  private static boolean listedExternally(PackageDocument.VersionWithAssets entry) {
    return entry.assets().isEmpty() && "EXTERNAL".equals(entry.version().origin());
  }

  static Optional<PackageAsset> nupkg(PackageDocument.VersionWithAssets entry) {
    String name = nupkgName(entry.version().key().name(), entry.version().version());
    return entry.assets().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  Optional<PackageDocument> document(RepositoryLocation location, String id) {
    return context.upstreams().document(key(location, id));
  }

  /** The flat container's {@code index.json}: every downloadable version, lower case. */
  Optional<RenderedMetadata> flatVersions(RepositoryLocation location, String id, String endpoint) {
    PackageKey key = key(location, id);
    return context.upstreams().document(key).flatMap(document -> registrations.get(new View(key, endpoint, "flat"),
        document, d -> {
          List<PackageDocument.VersionWithAssets> versions = versions(d);
          if (versions.isEmpty()) {
            return Optional.empty();
          }
          ObjectNode out = JSON.createObjectNode();
          ArrayNode list = out.putArray("versions");
          versions.forEach(v -> list.add(v.version().version().toLowerCase(Locale.ROOT)));
          return Optional.of(RenderedMetadata.of(out.toString(), d.summary().modifiedAt()));
        }));
  }

  /** A file of the flat container. */
  sealed interface FlatFile {
    /** A file the version keeps. */
    record Stored(PackageAsset asset) implements FlatFile {}

    /** The {@code .nuspec} inside the {@code .nupkg} of a version that does not keep it apart (from nuget.org). */
    record Inside(byte[] nuspec, java.time.Instant modifiedAt) implements FlatFile {}
  }

  /**
   * A file of the flat container: the {@code .nupkg} or the {@code .nuspec} of a downloadable version,
   * from the repository, its upstreams, or fetched from an external connection (a listed version whose
   * {@code .nupkg} is found by name, {@link NugetExternalFormat}).
   */
  Optional<FlatFile> flatFile(RepositoryLocation location, String id, String version, String fileName) {
    String nupkg = nupkgName(id, version);
    if (!fileName.equalsIgnoreCase(nupkg) && !fileName.equalsIgnoreCase(nuspecName(id))) {
      return Optional.empty();
    }
    String wanted = fileName.equalsIgnoreCase(nupkg) ? nupkg : nuspecName(id);
    PackageKey key = key(location, id);
    Optional<PackageDocument.VersionWithAssets> found = context.upstreams().versionWithAsset(key, nupkg)
        .or(() -> context.upstreams().document(key).flatMap(document -> versions(document).stream()
            .filter(v -> v.version().version().equalsIgnoreCase(version)).findFirst())
            .flatMap(listed -> context.upstreams().versionWithAsset(key, listed.version().version(), nupkg)))
        .filter(v -> v.version().status().downloadable());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Optional<PackageAsset> stored = found.get().assets().stream().filter(a -> a.name().equals(wanted)).findFirst();
    if (stored.isPresent() || wanted.equals(nupkg)) {
      return stored.map(FlatFile.Stored::new);
    }
    return nupkg(found.get()).map(asset -> new FlatFile.Inside(nuspecInside(asset), found.get().version().modifiedAt()));
  }

  private byte[] nuspecInside(PackageAsset nupkg) {
    Path spooled = null;
    try (InputStream in = context.packages().open(nupkg).orElseThrow(() -> new WharfException.NotFound(null,
        "Not found: " + nupkg.name()))) {
      spooled = SpoolFiles.create(context.spoolDirectory(), "nuspec-", ".nupkg");
      Files.copy(in, spooled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return NugetPackage.read(spooled).nuspecBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      SpoolFiles.deleteQuietly(spooled);
    }
  }

  /** Where a registration's URLs point. */
  record Urls(String endpoint) {
    String index(String id) {
      return endpoint + NugetRequestPath.REGISTRATION + NugetNames.key(id) + "/index.json";
    }

    String page(String id, String lower, String upper) {
      return endpoint + NugetRequestPath.REGISTRATION + NugetNames.key(id) + "/page/" + lower.toLowerCase(Locale.ROOT)
          + "/" + upper.toLowerCase(Locale.ROOT) + ".json";
    }

    String leaf(String id, String version) {
      return endpoint + NugetRequestPath.REGISTRATION + NugetNames.key(id) + "/" + version.toLowerCase(Locale.ROOT)
          + ".json";
    }

    String content(String id, String version) {
      String lowerId = NugetNames.key(id);
      String lowerVersion = version.toLowerCase(Locale.ROOT);
      return endpoint + NugetRequestPath.PACKAGE + lowerId + "/" + lowerVersion + "/" + lowerId + "." + lowerVersion
          + ".nupkg";
    }
  }

  /**
   * The registration index: pages of {@link #PAGE_SIZE} versions, each with its leaves inlined when the
   * package has at most {@link #MAX_INLINED_VERSIONS} versions, else only its bounds and its URL.
   */
  Optional<RenderedMetadata> registrationIndex(RepositoryLocation location, String id, String endpoint) {
    PackageKey key = key(location, id);
    return context.upstreams().document(key).flatMap(document -> registrations.get(new View(key, endpoint, "index"),
        document, d -> renderIndex(d, new Urls(endpoint)).map(body -> RenderedMetadata.of(body,
            d.summary().modifiedAt()))));
  }

  static Optional<String> renderIndex(PackageDocument document, Urls urls) {
    List<PackageDocument.VersionWithAssets> versions = versions(document);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    String id = versions.getFirst().version().key().name();
    boolean inline = versions.size() <= MAX_INLINED_VERSIONS;
    ObjectNode index = JSON.createObjectNode();
    index.put("@id", urls.index(id));
    ArrayNode pages = JSON.createArrayNode();
    for (int start = 0; start < versions.size(); start += PAGE_SIZE) {
      List<PackageDocument.VersionWithAssets> page = versions.subList(start, Math.min(versions.size(), start + PAGE_SIZE));
      String lower = page.getFirst().version().version();
      String upper = page.getLast().version().version();
      ObjectNode node = pages.addObject();
      node.put("@id", inline ? urls.index(id) + "#page/" + lower + "/" + upper : urls.page(id, lower, upper));
      node.put("@type", "catalog:CatalogPage");
      node.put("count", page.size());
      if (inline) {
        ArrayNode items = node.putArray("items");
        page.forEach(v -> items.add(leafItem(v, urls)));
        node.put("parent", urls.index(id));
      }
      node.put("lower", lower);
      node.put("upper", upper);
    }
    index.put("count", pages.size());
    index.set("items", pages);
    return Optional.of(index.toString());
  }

  /** A page the index does not inline: the versions from {@code lower} to {@code upper}. */
  Optional<RenderedMetadata> registrationPage(RepositoryLocation location, String id, String lower, String upper,
      String endpoint) {
    PackageKey key = key(location, id);
    return context.upstreams().document(key).flatMap(document -> {
      List<PackageDocument.VersionWithAssets> versions = versions(document).stream()
          .filter(v -> NugetNames.compare(v.version().version(), lower) >= 0
              && NugetNames.compare(v.version().version(), upper) <= 0).toList();
      if (versions.isEmpty()) {
        return Optional.empty();
      }
      Urls urls = new Urls(endpoint);
      ObjectNode page = JSON.createObjectNode();
      page.put("@id", urls.page(id, lower, upper));
      page.put("@type", "catalog:CatalogPage");
      page.put("count", versions.size());
      ArrayNode items = page.putArray("items");
      versions.forEach(v -> items.add(leafItem(v, urls)));
      page.put("lower", versions.getFirst().version().version());
      page.put("upper", versions.getLast().version().version());
      page.put("parent", urls.index(id));
      return Optional.of(RenderedMetadata.of(page.toString(), document.summary().modifiedAt()));
    });
  }

  /** A registration leaf document. */
  Optional<RenderedMetadata> registrationLeaf(RepositoryLocation location, String id, String version, String endpoint) {
    PackageKey key = key(location, id);
    return context.upstreams().document(key).flatMap(document -> versions(document).stream()
        .filter(v -> v.version().version().equalsIgnoreCase(version)).findFirst().map(v -> {
          Urls urls = new Urls(endpoint);
          String stored = v.version().version();
          ObjectNode leaf = JSON.createObjectNode();
          leaf.put("@id", urls.leaf(id, stored));
          leaf.putArray("@type").add("Package");
          leaf.put("listed", v.version().status() == VersionStatus.PUBLISHED);
          leaf.put("packageContent", urls.content(id, stored));
          leaf.put("published", v.version().publishedAt().toString());
          leaf.put("registration", urls.index(id));
          return RenderedMetadata.of(leaf.toString(), v.version().modifiedAt());
        }));
  }

  private static ObjectNode leafItem(PackageDocument.VersionWithAssets entry, Urls urls) {
    PackageVersion version = entry.version();
    String id = version.key().name();
    VersionDocument stored = new VersionDocument(version);
    ObjectNode item = JSON.createObjectNode();
    item.put("@id", urls.leaf(id, version.version()));
    item.put("@type", "Package");
    ObjectNode catalog = item.putObject("catalogEntry");
    catalog.put("@id", urls.leaf(id, version.version()) + "#catalogEntry");
    catalog.put("@type", "PackageDetails");
    catalog.put("authors", stored.path("authors").asText(""));
    ArrayNode groups = catalog.putArray("dependencyGroups");
    for (JsonNode group : stored.path("dependencyGroups")) {
      ObjectNode out = groups.addObject();
      out.put("@type", "PackageDependencyGroup");
      if (group.path("targetFramework").isTextual()) {
        out.put("targetFramework", group.path("targetFramework").asText());
      }
      ArrayNode dependencies = out.putArray("dependencies");
      for (JsonNode dependency : group.path("dependencies")) {
        String dependencyId = dependency.path("id").asText();
        dependencies.addObject().put("@type", "PackageDependency").put("id", dependencyId)
            .put("range", dependency.path("range").asText("(, )")).put("registration", urls.index(dependencyId));
      }
    }
    catalog.put("description", stored.path("description").asText(""));
    catalog.put("id", stored.path("id").asText(id));
    put(catalog, "licenseExpression", stored.text("licenseExpression"));
    catalog.put("licenseUrl", stored.path("licenseUrl").asText(""));
    catalog.put("listed", version.status() == VersionStatus.PUBLISHED);
    catalog.put("packageContent", urls.content(id, version.version()));
    catalog.put("projectUrl", stored.path("projectUrl").asText(""));
    catalog.put("published", version.publishedAt().toString());
    catalog.put("summary", stored.path("summary").asText(""));
    ArrayNode tags = catalog.putArray("tags");
    for (String tag : stored.path("tags").asText("").split("[\\s,;]+")) {
      if (!tag.isEmpty()) {
        tags.add(tag);
      }
    }
    catalog.put("title", stored.path("title").asText(""));
    catalog.put("version", version.version());
    item.put("packageContent", urls.content(id, version.version()));
    item.put("registration", urls.index(id));
    return item;
  }

  // ---------------------------------------------------------------- search

  /** A package search found: its id as published, its listed versions (NuGet's order), its newest version's document. */
  record Found(String id, List<String> versions, VersionDocument newest) {}

  record SearchResult(List<Found> packages, int total) {}

  /**
   * The packages of the repository and its upstreams whose lower-case id contains {@code query}, in
   * id order, from {@code skip}, at most {@code take}; each with its listed versions (pre-releases only
   * when asked for). Packages without such a version are not found. Only the packages up to the end of the
   * page are read: the total counts those found so far and every later name that matches (a package whose
   * versions are all unlisted or pre-releases is counted there), so one search reads at most skip + take
   * packages' documents, not every match's.
   */
  SearchResult search(RepositoryLocation location, String query, int skip, int take, boolean prerelease) {
    String wanted = query.toLowerCase(Locale.ROOT).strip();
    List<Found> found = new ArrayList<>();
    int total = 0;
    for (String name : names(location)) {
      if (!name.contains(wanted)) {
        continue;
      }
      if (found.size() >= take) {
        total++; // past the page: counted by name, not read
        continue;
      }
      Optional<Found> listed = describe(location, name, prerelease);
      if (listed.isEmpty()) {
        continue;
      }
      if (total >= skip) {
        found.add(listed.get());
      }
      total++;
    }
    return new SearchResult(found, total);
  }

  /** The listed versions of one package (for autocomplete's {@code id=}); empty when none. */
  Optional<Found> describe(RepositoryLocation location, String id, boolean prerelease) {
    return document(location, id).flatMap(document -> {
      List<PackageDocument.VersionWithAssets> listed = versions(document).stream()
          .filter(v -> v.version().status() == VersionStatus.PUBLISHED)
          .filter(v -> prerelease || !NugetNames.prerelease(v.version().version())).toList();
      if (listed.isEmpty()) {
        return Optional.empty();
      }
      VersionDocument newest = new VersionDocument(listed.getLast().version());
      return Optional.of(new Found(newest.path("id").asText(id), listed.stream().map(v -> v.version().version())
          .toList(), newest));
    });
  }

  /** The package names of the repository and its upstreams, once each, in name order, up to a bound. */
  private List<String> names(RepositoryLocation location) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    List<String> repositories = context.upstreams().graph(location.domainOwner(), location.domainName(),
        location.repository());
    for (int i = 0; i < repositories.size() && names.size() < SEARCH_SCAN_LIMIT; i++) {
      String after = null;
      while (names.size() < SEARCH_SCAN_LIMIT) {
        List<String> page = context.listing().packageNames(location.domainOwner(), location.domainName(),
            repositories.get(i), FORMAT, "", repositories.subList(0, i), after, NAMES_PAGE);
        names.addAll(page);
        if (page.size() < NAMES_PAGE) {
          break;
        }
        after = page.getLast();
      }
    }
    return List.copyOf(names);
  }
}
