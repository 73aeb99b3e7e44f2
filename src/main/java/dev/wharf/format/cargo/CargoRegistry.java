package dev.wharf.format.cargo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.SemVer;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cargo crates in a repository: publishing ({@code cargo publish}, checked against the crate's own
 * {@code Cargo.toml}), yanking, the sparse index files cargo resolves from, downloads and search.
 *
 * <p>A version's document is its index entry as crates.io writes it ({@code name}, {@code vers},
 * {@code deps}, {@code features}, {@code features2}, {@code links}, {@code rust_version},
 * {@code yanked}) plus the publish metadata the API describes (description, license, readme and
 * links). The checksum is the stored file's SHA-256, never the client's word.
 */
public final class CargoRegistry {
  public static final String FORMAT = "cargo";
  /** The one asset of a crate version. */
  static final String ASSET_SUFFIX = ".crate";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The publish metadata kept besides the index entry, for the API's description of a version. */
  private static final List<String> DESCRIPTIVE_FIELDS = List.of("description", "documentation", "homepage", "readme",
      "readme_file", "license", "license_file", "repository");
  private static final List<String> LIST_FIELDS = List.of("authors", "keywords", "categories");
  private static final int MAX_DEPENDENCIES = 2_000;
  private static final int MAX_FEATURES = 2_000;

  private final FormatContext context;
  private final Renderings<PackageKey> indexFiles;

  public CargoRegistry(FormatContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.indexFiles = new Renderings<>(context.renderings());
  }

  static PackageKey key(RepositoryLocation location, String name) {
    return location.key(FORMAT, "", CargoNames.key(name));
  }

  static String fileName(String name, String version) {
    return CargoNames.key(name) + "-" + version + ASSET_SUFFIX;
  }

  public enum PublishOutcome {
    CREATED,
    /** The identical crate was already there. */
    UNCHANGED
  }

  /**
   * Checks and stores a published crate: the metadata's name and version must be the crate's own
   * (its {@code Cargo.toml}), every file of the crate must lie in its {@code name-version/} folder,
   * and a version once published keeps its bytes.
   *
   * @param metadata the publish request's JSON, already checked by {@link CargoPublish}
   * @param spooled the {@code .crate} file, spooled, and its SHA-256
   * @throws WharfException.Invalid for a mismatch or a malformed crate; nothing is stored then
   */
  PublishOutcome publish(RepositoryLocation location, CargoPublish.Metadata metadata, CargoPublish.Crate spooled) {
    Path crate = spooled.file();
    CargoCrate.Manifest manifest = CargoCrate.read(crate, metadata.name(), metadata.version());
    if (!manifest.name().equals(metadata.name())) {
      throw new WharfException.Invalid("The crate's Cargo.toml names the package '" + manifest.name()
          + "', but the publish request names '" + metadata.name() + "'");
    }
    if (!manifest.version().equals(metadata.version())) {
      throw new WharfException.Invalid("The crate's Cargo.toml has version " + manifest.version()
          + ", but the publish request has " + metadata.version());
    }
    PackageKey key = key(location, metadata.name());
    String sha256 = spooled.sha256();
    Optional<PackageDocument> existing = context.packages().document(key);
    if (existing.isPresent()) {
      requireSameSpelling(existing.get(), metadata.name());
      Optional<PackageDocument.VersionWithAssets> same = existing.get().versions().stream()
          .filter(v -> sameVersion(v.version().version(), metadata.version())).findFirst();
      if (same.isPresent()) {
        return unchangedOrRefused(same.get(), metadata, sha256);
      }
    } else {
      requireNoLookalike(location, metadata.name());
    }
    try (InputStream in = Files.newInputStream(crate)) {
      context.publishing().publish(new PublishingService.Publication(key, metadata.version(), metadata.description(),
          document(metadata).toString(), Map.of(), "INTERNAL"),
          List.of(new PublishingService.AssetContent(fileName(metadata.name(), metadata.version()), in,
              context.maxAssetBytes())));
      return PublishOutcome.CREATED;
    } catch (WharfException.Conflict raced) {
      PackageDocument.VersionWithAssets winner = context.packages().document(key).flatMap(d -> d.versions().stream()
          .filter(v -> v.version().version().equals(metadata.version())).findFirst()).orElseThrow(() -> raced);
      return unchangedOrRefused(winner, metadata, sha256);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireSameSpelling(PackageDocument document, String name) {
    for (PackageDocument.VersionWithAssets version : document.versions()) {
      String stored = new VersionDocument(version.version()).path("name").asText("");
      if (!stored.isEmpty() && !stored.equals(name)) {
        throw new WharfException.Invalid("The crate was published as '" + stored + "': names are case-insensitive,"
            + " publish it as '" + stored + "'");
      }
      return;
    }
  }

  /**
   * As crates.io: a new crate may not be named like one the repository has but for {@code -} and
   * {@code _} ({@code foo-bar} beside {@code foo_bar}), which people would mistake for each other.
   */
  private void requireNoLookalike(RepositoryLocation location, String name) {
    String canonical = CargoNames.key(name).replace('-', '_');
    int separator = canonical.indexOf('_');
    String prefix = separator < 0 ? canonical : canonical.substring(0, separator);
    for (var other : context.listing().listPackages(location.domainOwner(), location.domainName(),
        location.repository(), FORMAT, null, prefix)) {
      String otherName = other.key().name();
      if (!otherName.equals(CargoNames.key(name)) && otherName.replace('-', '_').equals(canonical)) {
        throw new WharfException.Invalid("crate " + name + " is too like the existing crate " + otherName
            + ": names that differ only in '-' and '_' are refused, as crates.io refuses them");
      }
    }
  }

  /** SemVer: versions that differ only in build metadata are the same version. */
  static boolean sameVersion(String a, String b) {
    return SemVer.withoutBuild(a).equals(SemVer.withoutBuild(b));
  }

  private static PublishOutcome unchangedOrRefused(PackageDocument.VersionWithAssets stored,
      CargoPublish.Metadata metadata, String sha256) {
    boolean same = stored.version().version().equals(metadata.version()) && stored.assets().stream()
        .anyMatch(a -> a.name().endsWith(ASSET_SUFFIX) && a.sha256().equals(sha256));
    if (same) {
      return PublishOutcome.UNCHANGED;
    }
    throw new WharfException.Conflict(null, "crate " + metadata.name() + "@" + stored.version().version()
        + " already exists with different content; a published version cannot be replaced");
  }

  /** The version's document: the index entry's fields (without the checksum) and the descriptive metadata. */
  static ObjectNode document(CargoPublish.Metadata metadata) {
    JsonNode request = metadata.json();
    ObjectNode out = JSON.createObjectNode();
    out.put("name", metadata.name());
    out.put("vers", metadata.version());
    ArrayNode deps = out.putArray("deps");
    JsonNode requested = request.path("deps");
    if (!requested.isMissingNode() && !requested.isArray()) {
      throw new WharfException.Invalid("'deps' must be a list of dependencies");
    }
    if (requested.size() > MAX_DEPENDENCIES) {
      throw new WharfException.Invalid("The crate has more than " + MAX_DEPENDENCIES + " dependencies");
    }
    for (JsonNode dep : requested) {
      deps.add(indexDependency(dep));
    }
    ObjectNode features = out.putObject("features");
    ObjectNode features2 = JSON.createObjectNode();
    JsonNode requestedFeatures = request.path("features");
    if (!requestedFeatures.isMissingNode() && !requestedFeatures.isObject()) {
      throw new WharfException.Invalid("'features' must be an object of feature lists");
    }
    if (requestedFeatures.size() > MAX_FEATURES) {
      throw new WharfException.Invalid("The crate has more than " + MAX_FEATURES + " features");
    }
    requestedFeatures.properties().forEach(entry -> {
      if (!entry.getValue().isArray()) {
        throw new WharfException.Invalid("Feature '" + entry.getKey() + "' must be a list of strings");
      }
      boolean newSyntax = false;
      for (JsonNode value : entry.getValue()) {
        if (!value.isTextual()) {
          throw new WharfException.Invalid("Feature '" + entry.getKey() + "' must be a list of strings");
        }
        newSyntax |= value.asText().startsWith("dep:") || value.asText().contains("?/");
      }
      // as crates.io: features in the newer syntax go to features2, which older cargo versions skip
      (newSyntax ? features2 : features).set(entry.getKey(), entry.getValue());
    });
    if (!features2.isEmpty()) {
      out.set("features2", features2);
    }
    copyText(request, "links", out);
    copyText(request, "rust_version", out);
    for (String field : DESCRIPTIVE_FIELDS) {
      copyText(request, field, out);
    }
    for (String field : LIST_FIELDS) {
      if (request.path(field).isArray()) {
        ArrayNode values = out.putArray(field);
        request.path(field).forEach(v -> {
          if (v.isTextual()) {
            values.add(v.asText());
          }
        });
      }
    }
    return out;
  }

  private static void copyText(JsonNode from, String field, ObjectNode to) {
    JsonNode value = from.path(field);
    if (value.isTextual()) {
      to.put(field, value.asText());
    } else if (!value.isMissingNode() && !value.isNull()) {
      throw new WharfException.Invalid("'" + field + "' must be a string");
    }
  }

  /**
   * A dependency of the publish request in the index's shape: the name the crate uses it by, its
   * requirement as {@code req}, and {@code package} when it is renamed.
   */
  private static ObjectNode indexDependency(JsonNode dep) {
    String name = dep.path("name").asText(null);
    if (!dep.path("name").isTextual() || !CargoNames.validName(name)) {
      throw new WharfException.Invalid("A dependency has an invalid crate name: '" + dep.path("name").asText("") + "'");
    }
    JsonNode req = dep.path("version_req");
    if (!req.isTextual() || req.asText().isBlank() || req.asText().length() > 200) {
      throw new WharfException.Invalid("Dependency '" + name + "' has no version requirement (version_req)");
    }
    String explicitName = dep.path("explicit_name_in_toml").isTextual() ? dep.path("explicit_name_in_toml").asText()
        : null;
    if (explicitName != null && !CargoNames.validName(explicitName)) {
      throw new WharfException.Invalid("Dependency '" + name + "' is renamed to an invalid name: '" + explicitName + "'");
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("name", explicitName != null ? explicitName : name);
    out.put("req", req.asText());
    ArrayNode features = out.putArray("features");
    dep.path("features").forEach(f -> {
      if (f.isTextual()) {
        features.add(f.asText());
      }
    });
    out.put("optional", dep.path("optional").asBoolean(false));
    out.put("default_features", dep.path("default_features").asBoolean(true));
    if (dep.path("target").isTextual()) {
      out.put("target", dep.path("target").asText());
    } else {
      out.putNull("target");
    }
    String kind = dep.path("kind").asText("normal");
    if (!List.of("normal", "dev", "build").contains(kind)) {
      throw new WharfException.Invalid("Dependency '" + name + "' has an unknown kind '" + kind + "'");
    }
    out.put("kind", kind);
    if (dep.path("registry").isTextual()) {
      out.put("registry", dep.path("registry").asText());
    }
    if (explicitName != null) {
      out.put("package", name);
    }
    return out;
  }


  // ---------------------------------------------------------------- yank

  /**
   * Yanks or un-yanks a version: sets its index entry's {@code yanked}; cargo then resolves no new
   * requirement to it, while lock files that name it still build.
   *
   * @throws WharfException.NotFound when the crate or the version does not exist here
   */
  public void yank(RepositoryLocation location, String name, String version, boolean yanked) {
    PackageKey key = key(location, name);
    PackageVersion stored = context.packages().versions(key).stream()
        .filter(v -> v.version().equals(version)).findFirst()
        .orElseThrow(() -> new WharfException.NotFound(null, "crate " + name + "@" + version + " does not exist"));
    if (!yanked && stored.status() == VersionStatus.UNLISTED) {
      throw new WharfException.Invalid("crate " + name + "@" + version + " is Unlisted (set with the API's"
          + " UpdatePackageVersionsStatus), which cargo sees as yanked: set it back to Published with the API");
    }
    context.packages().changeMetadata(key, stored.version(), current -> {
      ObjectNode document;
      try {
        document = JSON.readTree(current.metadata()) instanceof ObjectNode object ? object : JSON.createObjectNode();
      } catch (IOException e) {
        document = JSON.createObjectNode();
      }
      document.put("yanked", yanked);
      return Optional.of(document.toString());
    });
  }

  // ---------------------------------------------------------------- reading

  /**
   * The crate's index file: one JSON line per version, in publish order, the versions of the
   * repository's upstreams included. Published versions are listed, and Unlisted ones as yanked
   * (a lock file naming one still resolves); other statuses are left out. Empty when there is none.
   */
  public Optional<RenderedMetadata> indexFile(RepositoryLocation location, String name) {
    PackageKey key = key(location, name);
    return context.upstreams().document(key).flatMap(document ->
        indexFiles.get(key, document, d -> render(d, key.repository()).map(body -> RenderedMetadata.of(body,
            d.summary().modifiedAt()))));
  }

  /**
   * The index file of a merged document. Versions that differ only in build metadata are one version to
   * cargo: the repository's own is listed (else the first), as for versions present in several places.
   */
  static Optional<String> render(PackageDocument document, String repository) {
    java.util.Map<String, PackageDocument.VersionWithAssets> chosen = new java.util.LinkedHashMap<>();
    for (PackageDocument.VersionWithAssets entry : document.versions()) {
      chosen.merge(SemVer.withoutBuild(entry.version().version()), entry, (first, other) ->
          !first.version().key().repository().equals(repository)
              && other.version().key().repository().equals(repository) ? other : first);
    }
    StringBuilder out = new StringBuilder();
    for (PackageDocument.VersionWithAssets entry : chosen.values()) {
      VersionStatus status = entry.version().status();
      if (!status.downloadable()) {
        continue;
      }
      Optional<PackageAsset> crate = entry.assets().stream().filter(a -> a.name().endsWith(ASSET_SUFFIX)).findFirst();
      if (crate.isEmpty()) {
        continue;
      }
      out.append(indexLine(entry.version(), crate.get())).append('\n');
    }
    return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
  }

  /** One version's line of the index, as crates.io writes it. */
  static String indexLine(PackageVersion version, PackageAsset crate) {
    VersionDocument stored = new VersionDocument(version);
    ObjectNode line = JSON.createObjectNode();
    line.put("name", stored.path("name").asText(version.key().name()));
    line.put("vers", version.version());
    line.set("deps", stored.path("deps").isArray() ? stored.path("deps") : JSON.createArrayNode());
    line.put("cksum", crate.sha256());
    line.set("features", stored.path("features").isObject() ? stored.path("features") : JSON.createObjectNode());
    line.put("yanked", stored.path("yanked").asBoolean(false) || version.status() == VersionStatus.UNLISTED);
    if (stored.path("links").isTextual()) {
      line.put("links", stored.path("links").asText());
    }
    if (stored.path("features2").isObject()) {
      line.set("features2", stored.path("features2"));
      line.put("v", 2);
    }
    if (stored.path("rust_version").isTextual()) {
      line.put("rust_version", stored.path("rust_version").asText());
    }
    return line.toString();
  }

  /** The {@code .crate} of a downloadable version (Published or Unlisted), through the upstreams. */
  public Optional<PackageAsset> crateFile(RepositoryLocation location, String name, String version) {
    String fileName = fileName(name, version);
    PackageKey key = key(location, name);
    boolean ownOtherBuild = context.packages().document(key).stream().flatMap(d -> d.versions().stream())
        .anyMatch(v -> !v.version().version().equals(version) && sameVersion(v.version().version(), version));
    if (ownOtherBuild) {
      return Optional.empty(); // the repository has this version under other build metadata: an upstream's is not kept
    }
    return context.upstreams().versionWithAsset(key, fileName)
        .filter(v -> v.version().status().downloadable())
        .flatMap(v -> v.assets().stream().filter(a -> a.name().equals(fileName)).findFirst());
  }

  /** A crate that search found: its name as published, its highest listed version (SemVer), its description. */
  public record Found(String name, String maxVersion, String description) {}

  public record SearchResult(List<Found> crates, int total) {}

  static final int MAX_SEARCH_RESULTS = 100;
  private static final int SEARCH_PAGE = 1000;
  /** How many crate names one search reads at most, so that a query costs the same in any repository. */
  private static final int SEARCH_SCAN_LIMIT = 100_000;

  /**
   * The repository's own crates whose name contains {@code query} (case-insensitive; {@code -} and
   * {@code _} alike, as crates.io's search), in name order, at most {@code perPage}.
   */
  public SearchResult search(RepositoryLocation location, String query, int perPage) {
    String wanted = query.toLowerCase(Locale.ROOT).replace('-', '_').strip();
    List<Found> found = new ArrayList<>();
    int total = 0;
    int scanned = 0;
    String after = null;
    while (scanned < SEARCH_SCAN_LIMIT) {
      List<String> page = context.listing().packageNames(location.domainOwner(), location.domainName(),
          location.repository(), FORMAT, "", after, SEARCH_PAGE);
      for (String name : page) {
        if (!name.replace('-', '_').contains(wanted)) {
          continue;
        }
        total++;
        if (found.size() < perPage) {
          describe(location, name).ifPresent(found::add);
        }
      }
      scanned += page.size();
      if (page.size() < SEARCH_PAGE) {
        break;
      }
      after = page.getLast();
    }
    return new SearchResult(found, total);
  }

  private Optional<Found> describe(RepositoryLocation location, String name) {
    return context.packages().document(key(location, name)).flatMap(document -> {
      PackageVersion newest = null;
      for (PackageDocument.VersionWithAssets entry : document.versions()) {
        if (entry.version().status().listed() && !new VersionDocument(entry.version()).path("yanked").asBoolean(false)
            && (newest == null || SemVer.compare(entry.version().version(), newest.version()) > 0)) {
          newest = entry.version();
        }
      }
      if (newest == null) {
        return Optional.empty();
      }
      VersionDocument stored = new VersionDocument(newest);
      return Optional.of(new Found(stored.path("name").asText(name), newest.version(),
          stored.path("description").isTextual() ? stored.path("description").asText() : null));
    });
  }
}
