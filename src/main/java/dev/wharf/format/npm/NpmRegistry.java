package dev.wharf.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.npm.NpmPublishParser.Attachment;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * npm's rules over the package core, without HTTP: what a publish body means and whether it is
 * honest (integrity, shasum, manifest vs the tarball's package.json), dist-tags, deprecation, and
 * the packument (full and abbreviated). Authorization is the endpoints' job.
 */
public final class NpmRegistry {
  static final String FORMAT = "npm";
  /** CodeArtifact's asset name for an npm tarball. */
  static final String ASSET = "package.tgz";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG = Pattern.compile("[A-Za-z][A-Za-z0-9._\\-]{0,99}");
  /** Fields of a version that the abbreviated ("corgi") document keeps. */
  private static final List<String> ABBREVIATED_FIELDS = List.of("name", "version", "dependencies", "optionalDependencies",
      "devDependencies", "peerDependencies", "peerDependenciesMeta", "bundleDependencies", "bundledDependencies", "bin",
      "directories", "engines", "os", "cpu", "deprecated", "_hasShrinkwrap", "hasInstallScript", "funding", "license",
      "acceptDependencies", "libc");
  private static final Set<String> INSTALL_SCRIPTS = Set.of("preinstall", "install", "postinstall");

  private final FormatContext context;

  /** Rendered packuments, within the bound shared by every format's renderings. */
  private final Renderings<RenderKey> renderings;

  public NpmRegistry(FormatContext context) {
    this.context = java.util.Objects.requireNonNull(context, "context");
    this.renderings = new Renderings<>(context.renderings());
  }

  /** Where a package lives. */
  private static PackageKey key(RepositoryLocation location, NpmPackageName name) {
    return location.key(FORMAT, name.namespace(), name.name());
  }

  // ---------------------------------------------------------------- PUT /{name}

  /** What a PUT of a packument asks for. */
  public sealed interface PutRequest extends AutoCloseable {
    @Override
    void close();

    /** A new version with its tarball (npm publish). */
    record Publish(NpmPackageName name, String version, ObjectNode manifest, Attachment tarball,
        Map<String, String> distTags, NpmPublishParser.Parsed parsed) implements PutRequest {
      @Override
      public void close() {
        parsed.close();
      }
    }

    /** Changes to existing versions' metadata (npm deprecate / undeprecate): version → message ("" clears). */
    record Deprecate(NpmPackageName name, Map<String, String> deprecations, NpmPublishParser.Parsed parsed)
        implements PutRequest {
      @Override
      public void close() {
        parsed.close();
      }
    }
  }

  /** Parses and checks a PUT body; the caller closes the result (it removes temporary files). */
  public PutRequest readPut(RepositoryLocation location, NpmPackageName name, InputStream body, Path temporaryDirectory) {
    NpmPublishParser.Parsed parsed = NpmPublishParser.parse(body, context.maxAssetBytes(), temporaryDirectory);
    try {
      return classify(location, name, parsed);
    } catch (RuntimeException e) {
      parsed.close();
      throw e;
    }
  }

  private PutRequest classify(RepositoryLocation location, NpmPackageName name, NpmPublishParser.Parsed parsed) {
    ObjectNode document = parsed.document();
    String bodyName = document.path("name").asText(null);
    if (bodyName == null || !bodyName.equals(name.full())) {
      throw new WharfException.Invalid("The packument's name (" + bodyName + ") does not match the URL (" + name.full() + ")");
    }
    if (document.has("_id") && !name.full().equals(document.path("_id").asText())) {
      throw new WharfException.Invalid("The packument's _id does not match its name");
    }
    JsonNode versions = document.path("versions");
    if (!versions.isObject() || versions.isEmpty()) {
      throw new WharfException.Invalid("The packument has no versions");
    }
    if (parsed.attachments().isEmpty()) {
      return deprecations(location, name, versions, parsed);
    }
    if (versions.size() != 1 || parsed.attachments().size() != 1) {
      throw new WharfException.Invalid("A publish carries exactly one version and its tarball; this one claims "
          + versions.size() + " version(s) and attaches " + parsed.attachments().size());
    }
    String version = versions.fieldNames().next();
    if (!dev.wharf.format.SemVer.matches(version)) {
      throw new WharfException.Invalid("Invalid version: \"" + printable(version) + "\" is not a semantic version");
    }
    if (!(versions.path(version) instanceof ObjectNode manifest)) {
      throw new WharfException.Invalid("Version " + version + " must be an object");
    }
    if (!name.full().equals(manifest.path("name").asText()) || !version.equals(manifest.path("version").asText())) {
      throw new WharfException.Invalid("Version " + version + " names " + manifest.path("name").asText() + "@"
          + manifest.path("version").asText() + ", not " + name.full() + "@" + version);
    }
    Attachment tarball = parsed.attachments().get(name.full() + "-" + version + ".tgz");
    if (tarball == null) {
      throw new WharfException.Invalid("The packument claims version " + version + " but does not attach "
          + name.full() + "-" + version + ".tgz");
    }
    if (tarball.declaredLength() != null && !tarball.declaredLength().isNull()
        && tarball.declaredLength().asLong(-1) != tarball.size()) {
      throw new WharfException.Invalid("The attachment's length (" + tarball.declaredLength() + ") differs from its "
          + tarball.size() + " decoded bytes");
    }
    checkDigests(manifest.path("dist"), tarball);
    // The tarball itself is opened only in publish(), once the caller is known to may publish (inflating is work).

    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode distTags = document.path("dist-tags");
    distTags.fields().forEachRemaining(tag -> {
      if (tag.getValue().isTextual() && tag.getValue().asText().equals(version)) {
        tags.put(checkTag(tag.getKey()), version);
      }
    });
    if (tags.isEmpty()) {
      tags.put("latest", version);
    }
    ObjectNode stored = manifest.deepCopy();
    ObjectNode dist = stored.putObject("dist");
    for (String kept : List.of("fileCount", "unpackedSize", "signatures", "attestations")) {
      if (manifest.path("dist").has(kept)) {
        dist.set(kept, manifest.path("dist").get(kept));
      }
    }
    // dist.tarball is rendered per request (it follows the URL clients use); the digests are ours.
    dist.put("shasum", tarball.sha1Hex()).put("integrity", "sha512-" + tarball.sha512Base64());
    // Computed here, never trusted from the client: whether installing runs scripts.
    JsonNode scripts = stored.path("scripts");
    if (INSTALL_SCRIPTS.stream().anyMatch(scripts::has)) {
      stored.put("hasInstallScript", true);
    }
    return new PutRequest.Publish(name, version, stored, tarball, tags, parsed);
  }

  private static void checkDigests(JsonNode dist, Attachment tarball) {
    String integrity = dist.path("integrity").asText("");
    String expected = "sha512-" + tarball.sha512Base64();
    boolean hasSha512 = false;
    for (String entry : integrity.trim().split("\\s+")) {
      String hash = entry.contains("?") ? entry.substring(0, entry.indexOf('?')) : entry;
      if (hash.startsWith("sha512-")) {
        hasSha512 = true;
        if (!hash.equals(expected)) {
          throw new WharfException.Invalid("dist.integrity does not match the attached tarball (received " + expected + ")");
        }
      }
    }
    if (!hasSha512) {
      throw new WharfException.Invalid("dist.integrity with a sha512 hash is required");
    }
    if (dist.has("shasum") && !dist.path("shasum").asText().equalsIgnoreCase(tarball.sha1Hex())) {
      throw new WharfException.Invalid("dist.shasum does not match the attached tarball (received " + tarball.sha1Hex() + ")");
    }
  }

  /** Manifest confusion: what the registry shows must be what the tarball installs. */
  static void checkManifest(JsonNode manifest, JsonNode packageJson) {
    if (!manifest.path("name").equals(packageJson.path("name"))) {
      throw confusion("name", manifest.path("name"), packageJson.path("name"));
    }
    // npm publishes semver.clean(version) ("v1.2.0" as 1.2.0, "1.0.0+build.7" as 1.0.0) and leaves package.json as
    // written in the tarball: the same version for semver, so the same thing installs.
    JsonNode packagedVersion = packageJson.path("version");
    if (!manifest.path("version").equals(packagedVersion) && !(packagedVersion.isTextual()
        && manifest.path("version").asText().equals(cleanVersion(packagedVersion.asText())))) {
      throw confusion("version", manifest.path("version"), packagedVersion);
    }
    for (String field : List.of("dependencies", "optionalDependencies", "peerDependencies")) {
      if (!emptyIfMissing(manifest.path(field)).equals(emptyIfMissing(packageJson.path(field)))) {
        throw confusion(field, manifest.path(field), packageJson.path(field));
      }
    }
    JsonNode scripts = manifest.path("scripts");
    JsonNode packaged = packageJson.path("scripts");
    for (String script : INSTALL_SCRIPTS) {
      JsonNode claimed = scripts.path(script);
      JsonNode actual = packaged.path(script);
      // npm adds "install": "node-gyp rebuild" for packages with a binding.gyp; that only adds a script.
      boolean gyp = "install".equals(script) && actual.isMissingNode() && "node-gyp rebuild".equals(claimed.asText());
      if (!claimed.equals(actual) && !gyp) {
        throw confusion("scripts." + script, claimed, actual);
      }
    }
  }

  /** What npm's semver.clean makes of a version: no surrounding spaces, leading "=" or "v", or build metadata. */
  static String cleanVersion(String version) {
    String cleaned = version.strip().replaceFirst("^[=v]+", "");
    int build = cleaned.indexOf('+');
    return build < 0 ? cleaned : cleaned.substring(0, build);
  }

  private static JsonNode emptyIfMissing(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? JSON.createObjectNode() : node;
  }

  private static WharfException.Invalid confusion(String field, JsonNode claimed, JsonNode actual) {
    return new WharfException.Invalid("The packument's " + field + " (" + shorten(claimed) + ") differs from the tarball's "
        + "package.json (" + shorten(actual) + ")");
  }

  private static String shorten(JsonNode node) {
    String text = node.isMissingNode() ? "absent" : node.toString();
    return printable(text);
  }

  private static String printable(String text) {
    String shortened = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    return shortened.replaceAll("\\p{Cntrl}", "?");
  }

  private PutRequest deprecations(RepositoryLocation location, NpmPackageName name, JsonNode versions, NpmPublishParser.Parsed parsed) {
    Map<String, PackageVersion> existing = new LinkedHashMap<>();
    context.packages().versions(key(location, name)).forEach(v -> existing.put(v.version(), v));
    if (existing.isEmpty()) {
      throw new WharfException.Invalid("The packument claims versions it does not attach");
    }
    Map<String, String> changes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = versions.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      PackageVersion stored = existing.get(entry.getKey());
      if (stored == null) {
        throw new WharfException.Invalid("The packument claims version " + printable(entry.getKey())
            + " but does not attach its tarball");
      }
      JsonNode wanted = entry.getValue().path("deprecated");
      String current = readTree(stored.metadata()).path("deprecated").asText("");
      String next = wanted.isTextual() ? wanted.asText() : "";
      if (!current.equals(next)) {
        changes.put(entry.getKey(), next);
      }
    }
    return new PutRequest.Deprecate(name, changes, parsed);
  }

  /**
   * Checks the tarball's own package.json against the manifest (manifest confusion), then stores the
   * publish; a version that exists → 403 as npm expects. Call it only once the caller is authorized
   * to publish: reading the tarball inflates it.
   */
  public PackageVersion publish(RepositoryLocation location, PutRequest.Publish publish) {
    checkManifest(publish.manifest(), NpmTarball.packageJson(publish.tarball().file()));
    PackageKey key = key(location, publish.name());
    if (context.packages().version(key, publish.version()).isPresent()) {
      throw cannotPublishOver(publish.version());
    }
    String description = publish.manifest().path("description").isTextual()
        ? publish.manifest().path("description").asText() : null;
    try (InputStream content = Files.newInputStream(publish.tarball().file())) {
      return context.publishing().publish(new PublishingService.Publication(key, publish.version(), description,
          publish.manifest().toString(), publish.distTags(), "INTERNAL"),
          List.of(new PublishingService.AssetContent(ASSET, content, context.maxAssetBytes())));
    } catch (WharfException.Conflict lostRace) {
      throw cannotPublishOver(publish.version());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static WharfException.AccessDenied cannotPublishOver(String version) {
    return new WharfException.AccessDenied("You cannot publish over the previously published versions: " + version + ".");
  }

  public void deprecate(RepositoryLocation location, PutRequest.Deprecate deprecate) {
    PackageKey key = key(location, deprecate.name());
    deprecate.deprecations().forEach((version, message) -> {
      context.packages().version(key, version).orElseThrow(() -> notFound(deprecate.name()));
      context.packages().changeMetadata(key, version, stored -> {
        ObjectNode manifest = (ObjectNode) readTree(stored.metadata());
        if (message.isEmpty()) {
          manifest.remove("deprecated");
        } else {
          manifest.put("deprecated", message);
        }
        return Optional.of(manifest.toString());
      });
    });
  }

  // ---------------------------------------------------------------- dist-tags

  public Map<String, String> distTags(RepositoryLocation location, NpmPackageName name) {
    PackageKey key = key(location, name);
    if (context.packages().findPackage(key).isEmpty()) {
      throw notFound(name);
    }
    return context.packages().distTags(key);
  }

  public void putDistTag(RepositoryLocation location, NpmPackageName name, String tag, String version) {
    checkTag(tag);
    if (dev.wharf.format.SemVer.matches(tag)) {
      throw new WharfException.Invalid("Tag name must not be a valid SemVer range: " + tag);
    }
    PackageKey key = key(location, name);
    if (context.packages().findPackage(key).isEmpty()) {
      throw notFound(name);
    }
    context.packages().putDistTag(key, tag, version);
  }

  public void deleteDistTag(RepositoryLocation location, NpmPackageName name, String tag) {
    checkTag(tag);
    if ("latest".equals(tag)) {
      throw new WharfException.Invalid("The latest tag cannot be removed");
    }
    PackageKey key = key(location, name);
    if (context.packages().findPackage(key).isEmpty() || !context.packages().deleteDistTag(key, tag)) {
      throw new WharfException.NotFound(null, "Tag " + tag + " is not set on " + name.full());
    }
  }

  private static String checkTag(String tag) {
    if (!TAG.matcher(tag).matches()) {
      throw new WharfException.Invalid("Invalid tag name: \"" + printable(tag) + "\"");
    }
    return tag;
  }

  static WharfException.NotFound notFound(NpmPackageName name) {
    return new WharfException.NotFound(null, "Not found: " + name.full(), "package", name.full());
  }

  // ---------------------------------------------------------------- reading

  /** A tarball to stream: its asset (size, digests) for a listed or unlisted version. */
  public Optional<PackageAsset> tarball(RepositoryLocation location, NpmPackageName name, String fileName) {
    String prefix = name.name() + "-";
    if (!fileName.startsWith(prefix) || !fileName.endsWith(".tgz")) {
      return Optional.empty();
    }
    String version = fileName.substring(prefix.length(), fileName.length() - 4);
    return context.upstreams().version(key(location, name), version).filter(v -> v.version().status().downloadable())
        .flatMap(v -> v.assets().stream().filter(a -> ASSET.equals(a.name())).findFirst());
  }

  /**
   * The packument, or empty when the package does not exist or has no listed version.
   *
   * @param registryUrl the repository endpoint, ending in '/', that tarball URLs start with
   */
  public Optional<RenderedMetadata> packument(RepositoryLocation location, NpmPackageName name, String registryUrl,
      boolean abbreviated) {
    PackageKey packageKey = key(location, name);
    return context.upstreams().document(packageKey).flatMap(document ->
        renderings.get(new RenderKey(packageKey, name.full(), registryUrl, abbreviated), document, d ->
            render(d, name, registryUrl, abbreviated).map(body -> RenderedMetadata.of(body, d.summary().modifiedAt()))));
  }

  private record RenderKey(PackageKey key, String fullName, String registryUrl, boolean abbreviated) {}

  static Optional<String> render(PackageDocument document, NpmPackageName name, String registryUrl, boolean abbreviated) {
    ObjectNode out = JSON.createObjectNode();
    if (!abbreviated) {
      out.put("_id", name.full());
      out.put("_rev", document.versions().size() + "-" + Long.toHexString(document.summary().modifiedAt().toEpochMilli()));
    }
    out.put("name", name.full());
    ObjectNode tags = JSON.createObjectNode();
    ObjectNode versions = JSON.createObjectNode();
    ObjectNode time = JSON.createObjectNode();
    String tarballBase = registryUrl + name.full() + "/-/";
    String lastListed = null;
    Instant modified = document.summary().modifiedAt();
    JsonNode latestManifest = null;
    for (PackageDocument.VersionWithAssets entry : document.versions()) {
      PackageVersion version = entry.version();
      if (!version.status().listed()) {
        continue;
      }
      Optional<PackageAsset> asset = entry.assets().stream().filter(a -> ASSET.equals(a.name())).findFirst();
      if (asset.isEmpty()) {
        continue;
      }
      ObjectNode manifest = (ObjectNode) readTree(version.metadata());
      ObjectNode dist = manifest.with("dist");
      dist.put("tarball", tarballBase + name.tarballFileName(version.version()));
      if (asset.get().sha1() != null) {
        dist.put("shasum", asset.get().sha1());
      }
      // Null only for a version an external connection lists that was published without a sha512.
      if (asset.get().sha512() != null) {
        dist.put("integrity", "sha512-" + java.util.Base64.getEncoder().encodeToString(
            java.util.HexFormat.of().parseHex(asset.get().sha512())));
      }
      if (abbreviated) {
        ObjectNode small = JSON.createObjectNode();
        for (String field : ABBREVIATED_FIELDS) {
          if (manifest.has(field)) {
            small.set(field, manifest.get(field));
          }
        }
        small.set("dist", dist);
        versions.set(version.version(), small);
      } else {
        versions.set(version.version(), manifest);
        time.put(version.version(), version.publishedAt().toString());
      }
      lastListed = version.version();
      if (version.modifiedAt().isAfter(modified)) {
        modified = version.modifiedAt();
      }
      if (version.version().equals(document.distTags().get("latest"))) {
        latestManifest = manifest;
      }
    }
    if (lastListed == null) {
      return Optional.empty();
    }
    document.distTags().forEach((tag, version) -> {
      if (versions.has(version)) {
        tags.put(tag, version);
      }
    });
    if (!tags.has("latest")) {
      tags.put("latest", lastListed);
    }
    out.set("dist-tags", tags);
    if (abbreviated) {
      out.put("modified", modified.toString());
      out.set("versions", versions);
    } else {
      out.set("versions", versions);
      time.put("created", document.summary().createdAt().toString());
      time.put("modified", modified.toString());
      out.set("time", time);
      JsonNode latest = latestManifest != null ? latestManifest : versions.path(tags.path("latest").asText());
      for (String field : List.of("description", "readme", "license", "homepage", "repository", "keywords", "author",
          "bugs", "maintainers")) {
        if (latest.has(field)) {
          out.set(field, latest.get(field));
        }
      }
    }
    return Optional.of(out.toString());
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The versions of a package as the CodeArtifact API lists them (tests and tools). */
  List<String> versionNames(RepositoryLocation location, NpmPackageName name) {
    List<String> names = new ArrayList<>();
    context.packages().versions(key(location, name)).forEach(v -> names.add(v.version()));
    return names;
  }
}
