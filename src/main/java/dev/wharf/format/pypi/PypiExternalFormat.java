package dev.wharf.format.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Python package index (pypi.org or any PEP 691 index) as an external connection: the JSON
 * simple page at {@code BASE/simple/NAME/}; each file at its {@code url}, checked against its
 * {@code hashes.sha256}. Files without a SHA-256, yanked files and files whose names are not wheels
 * or sdists are left out.
 */
public final class PypiExternalFormat implements ExternalFormat.ListedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String format() {
    return PypiRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    return URI.create(base + "/simple/" + key.name() + "/");
  }

  @Override
  public String accept() {
    return "application/vnd.pypi.simple.v1+json";
  }

  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    JsonNode root = ExternalFormat.json(body, "index page", upstreamName, key);
    if (root == null || !root.isObject() || !root.path("files").isArray()) {
      throw malformed(upstreamName, key, "no files array");
    }
    Instant now = Instant.now();
    Map<String, List<PackageAsset>> assets = new LinkedHashMap<>();
    Map<String, ObjectNode> metadata = new LinkedHashMap<>();
    Map<String, Instant> times = new LinkedHashMap<>();
    for (JsonNode file : root.path("files")) {
      String name = file.path("filename").asText("");
      String sha256 = file.path("hashes").path("sha256").asText("");
      JsonNode yanked = file.path("yanked");
      if (name.isEmpty() || !Algorithm.SHA256.isDigest(sha256) || (yanked.isBoolean() && yanked.asBoolean())
          || yanked.isTextual() || !file.path("url").isTextual()) {
        continue;
      }
      PypiNames.DistributionFile parsed;
      try {
        parsed = PypiNames.parseFileName(name, name.endsWith(".whl") ? "bdist_wheel" : "sdist");
      } catch (WharfException.Invalid e) {
        continue;
      }
      if (!PypiNames.normalize(parsed.project()).equals(key.name())) {
        continue;
      }
      URI url;
      try {
        url = documentUri.resolve(file.path("url").asText());
      } catch (IllegalArgumentException e) {
        continue;
      }
      String version = parsed.version();
      assets.computeIfAbsent(version, v -> new ArrayList<>())
          .add(new PackageAsset(name, sha256.toLowerCase(java.util.Locale.ROOT), -1, null, null, null));
      ObjectNode doc = metadata.computeIfAbsent(version, v -> JSON.createObjectNode().put("name", key.name()));
      if (file.path("requires-python").isTextual() && !doc.has("requires_python")) {
        doc.put("requires_python", file.path("requires-python").asText());
      }
      doc.with(URLS).put(name, url.toString());
      Instant uploaded = ExternalFormat.time(file.path("upload-time"), now);
      times.merge(version, uploaded, (a, b) -> a.isBefore(b) ? a : b);
    }
    if (assets.isEmpty()) {
      return Optional.empty();
    }
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
    assets.forEach((version, files) -> versions.add(new PackageDocument.VersionWithAssets(new PackageVersion(key, version,
        VersionStatus.PUBLISHED, "external", times.get(version), times.get(version), null,
        metadata.get(version).toString(), "EXTERNAL"), files)));
    versions.sort(java.util.Comparator.comparing(v -> v.version().publishedAt()));
    return Optional.of(new PackageDocument(new PackageSummary(key, versions.getFirst().version().publishedAt(), now),
        versions, Map.of()));
  }

  private static UpstreamUnavailableException malformed(String upstream, PackageKey key, String why) {
    return ExternalFormat.malformed("index page", upstream, key, why);
  }
}
