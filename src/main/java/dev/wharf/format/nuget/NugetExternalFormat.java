package dev.wharf.format.nuget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A NuGet V3 feed (nuget.org's {@code https://api.nuget.org/v3/registration5-gz-semver2/}, or another
 * feed's {@code RegistrationsBaseUrl}) as an external connection. A package's versions come from its
 * registration index ({@code BASE/{lower-case id}/index.json}), whose pages the index links to instead
 * of inlining them are fetched and put back ({@link ExternalFormat.Linked}). The registration names
 * each version's {@code .nupkg} ({@code packageContent}) but states no hash: the hash is in the
 * version's catalog leaf (the {@code catalogEntry}'s {@code @id}: {@code packageHash}, SHA-512 in
 * base64), so a {@code .nupkg} is found by name and checked against its catalog leaf
 * ({@link ExternalFormat.NamedFiles}). A feed without a catalog (a registration without
 * {@code packageHash}) publishes no checksum, and nothing of it is stored. The stored version is
 * described by the {@code .nuspec} inside the fetched package, as a pushed one is.
 */
public final class NugetExternalFormat implements ExternalFormat.NamedFiles, ExternalFormat.Linked {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where a listed version keeps its {@code .nupkg}'s and its catalog leaf's URLs until it is fetched. */
  private static final String CONTENT = "externalContent";
  private static final String CATALOG = "externalCatalogLeaf";
  /** A catalog leaf states a package's whole metadata (dependency groups, release notes): far less than this. */
  private static final int MAX_CATALOG_LEAF_BYTES = 4 * 1024 * 1024;
  private static final String DOCUMENT = "registration index";
  /** The leaf fields kept as the listed version's document, named as a pushed version's are. */
  private static final List<String> TEXTS = List.of("title", "description", "summary", "authors", "projectUrl",
      "licenseExpression", "licenseUrl");

  @Override
  public String format() {
    return NugetRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    return ExternalFormat.below(base, key.name() + "/index.json");
  }

  @Override
  public String accept() {
    return "application/json";
  }

  @Override
  public List<URI> linked(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    List<URI> pages = new ArrayList<>();
    for (JsonNode page : pages(key, ExternalFormat.json(body, DOCUMENT, upstreamName, key), upstreamName)) {
      if (!page.has("items")) {
        pages.add(url(page.path("@id"), key, upstreamName, "a page without items has no @id"));
      }
    }
    return pages;
  }

  @Override
  public byte[] complete(PackageKey key, byte[] body, List<byte[]> linked, String upstreamName) {
    JsonNode index = ExternalFormat.json(body, DOCUMENT, upstreamName, key);
    int next = 0;
    for (JsonNode page : pages(key, index, upstreamName)) {
      if (!page.has("items")) {
        JsonNode fetched = ExternalFormat.json(linked.get(next++), "registration page", upstreamName, key);
        if (!fetched.path("items").isArray()) {
          throw malformed(upstreamName, key, "a page it links has no items");
        }
        ((ObjectNode) page).set("items", fetched.path("items"));
      }
    }
    try {
      return JSON.writeValueAsBytes(index);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> pages(PackageKey key, JsonNode index, String upstreamName) {
    if (!index.path("items").isArray()) {
      throw malformed(upstreamName, key, "no items");
    }
    List<JsonNode> pages = new ArrayList<>();
    for (JsonNode page : index.path("items")) {
      if (!page.isObject()) {
        throw malformed(upstreamName, key, "a page is not an object");
      }
      pages.add(page);
    }
    return pages;
  }

  /**
   * The versions the registration lists (a listed {@code false} one as Unlisted), each with its
   * {@code .nupkg}'s and its catalog leaf's URLs and the metadata a pushed version keeps; leaves for
   * another id, with a version NuGet cannot read or without those URLs are left out.
   */
  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    JsonNode index = ExternalFormat.json(body, DOCUMENT, upstreamName, key);
    Instant now = Instant.now();
    Map<String, PackageDocument.VersionWithAssets> versions = new LinkedHashMap<>();
    for (JsonNode page : pages(key, index, upstreamName)) {
      if (!page.path("items").isArray()) {
        throw malformed(upstreamName, key, "a page has no items");
      }
      for (JsonNode leaf : page.path("items")) {
        JsonNode entry = leaf.path("catalogEntry");
        String id = entry.path("id").asText("");
        Optional<String> version = NugetNames.normalize(entry.path("version").asText(null));
        Optional<URI> content = absolute(entry.path("packageContent")).or(() -> absolute(leaf.path("packageContent")));
        Optional<URI> catalog = absolute(entry.path("@id"));
        if (!NugetNames.validId(id) || !NugetNames.key(id).equals(key.name()) || version.isEmpty() || content.isEmpty()
            || catalog.isEmpty()) {
          continue;
        }
        ObjectNode document = JSON.createObjectNode();
        document.put("id", id);
        document.put("version", entry.path("version").asText());
        for (String field : TEXTS) {
          if (entry.path(field).isTextual() && !entry.path(field).asText().isEmpty()) {
            document.put(field, entry.path(field).asText());
          }
        }
        if (entry.path("tags").isArray()) {
          List<String> tags = new ArrayList<>();
          entry.path("tags").forEach(tag -> tags.add(tag.asText()));
          document.put("tags", String.join(" ", tags));
        }
        document.set("dependencyGroups", dependencyGroups(entry.path("dependencyGroups")));
        document.put(CONTENT, content.get().toString());
        document.put(CATALOG, catalog.get().toString());
        Instant published = ExternalFormat.time(entry.path("published"), now);
        VersionStatus status = entry.path("listed").asBoolean(true) ? VersionStatus.PUBLISHED : VersionStatus.UNLISTED;
        String summary = document.path("summary").asText(document.path("description").asText(null));
        versions.putIfAbsent(version.get().toLowerCase(Locale.ROOT), new PackageDocument.VersionWithAssets(
            new PackageVersion(key, version.get(), status, "external", published, published, summary,
                document.toString(), "EXTERNAL"), List.of()));
      }
    }
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    List<PackageDocument.VersionWithAssets> listed = new ArrayList<>(versions.values());
    Instant created = listed.stream().map(v -> v.version().publishedAt()).min(Instant::compareTo).orElse(now);
    return Optional.of(new PackageDocument(new PackageSummary(key, created, now), listed, Map.of()));
  }

  private static ArrayNode dependencyGroups(JsonNode groups) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode group : groups) {
      ObjectNode node = out.addObject();
      if (group.path("targetFramework").isTextual()) {
        node.put("targetFramework", group.path("targetFramework").asText());
      }
      ArrayNode dependencies = node.putArray("dependencies");
      for (JsonNode dependency : group.path("dependencies")) {
        if (NugetNames.validId(dependency.path("id").asText(""))) {
          ObjectNode d = dependencies.addObject().put("id", dependency.path("id").asText());
          if (dependency.path("range").isTextual()) {
            d.put("range", dependency.path("range").asText());
          }
        }
      }
    }
    return out;
  }

  /** The version's {@code .nupkg} (under the name a pushed one has), checked against its catalog leaf's hash. */
  @Override
  public Optional<NamedFile> namedFile(URI base, PackageDocument.VersionWithAssets remote, String assetName) {
    PackageVersion version = remote.version();
    if (!assetName.equals(NugetRegistry.nupkgName(version.key().name(), version.version()))) {
      return Optional.empty();
    }
    JsonNode document = document(version);
    Optional<URI> content = absolute(document.path(CONTENT));
    Optional<URI> catalog = absolute(document.path(CATALOG));
    if (content.isEmpty() || catalog.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NamedFile(content.get(), List.of(new ChecksumFile(catalog.get(), Algorithm.SHA512,
        MAX_CATALOG_LEAF_BYTES)), false));
  }

  /** The catalog leaf's {@code packageHash} in hex, when it states a SHA-512 one. */
  @Override
  public Optional<String> checksum(ChecksumFile file, byte[] body) {
    JsonNode leaf;
    try {
      leaf = JSON.readTree(body);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (leaf == null || !leaf.path("packageHash").isTextual()
        || !leaf.path("packageHashAlgorithm").asText("").equalsIgnoreCase("SHA512")) {
      return Optional.empty();
    }
    try {
      byte[] hash = Base64.getDecoder().decode(leaf.path("packageHash").asText());
      return hash.length == 64 ? Optional.of(HexFormat.of().formatHex(hash)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The fetched package's version, described by its {@code .nuspec} as a pushed one is; a package
   * that is no valid {@code .nupkg}, or whose id or version is not the one listed, is not stored.
   */
  @Override
  public PublishingService.Publication publication(PackageDocument.VersionWithAssets remote, String assetName,
      Path content) {
    PackageVersion version = remote.version();
    NugetPackage fetched;
    try {
      fetched = NugetPackage.read(content);
    } catch (WharfException.Invalid e) {
      throw new UpstreamUnavailableException("The external connection's " + assetName + " is not a valid package ("
          + e.getMessage() + "); it was not stored");
    }
    Nuspec nuspec = fetched.nuspec();
    if (!NugetNames.key(nuspec.id()).equals(version.key().name())
        || !nuspec.normalizedVersion().equalsIgnoreCase(version.version())) {
      throw new UpstreamUnavailableException("The external connection's " + assetName + " holds " + nuspec.id() + " "
          + nuspec.normalizedVersion() + ", not the version it lists; it was not stored");
    }
    return new PublishingService.Publication(version.key(), version.version(),
        nuspec.summary() != null ? nuspec.summary() : nuspec.description(),
        NugetRegistry.document(fetched).toString(), Map.of(), "EXTERNAL", VersionStatus.PUBLISHED);
  }

  private static JsonNode document(PackageVersion version) {
    try {
      return JSON.readTree(version.metadata());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<URI> absolute(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(node.asText());
      return uri.isAbsolute() && uri.getHost() != null
          && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
          ? Optional.of(uri) : Optional.empty();
    } catch (java.net.URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static URI url(JsonNode node, PackageKey key, String upstreamName, String why) {
    return absolute(node).orElseThrow(() -> malformed(upstreamName, key, why));
  }

  private static UpstreamUnavailableException malformed(String upstream, PackageKey key, String why) {
    return ExternalFormat.malformed(DOCUMENT, upstream, key, why);
  }
}
