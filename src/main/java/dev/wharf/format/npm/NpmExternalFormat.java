package dev.wharf.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.packages.PackageAsset;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An npm registry (registry.npmjs.org or any that speaks its protocol) as an external connection:
 * the full packument at {@code BASE/NAME} ({@code @scope%2fname}); each version's tarball at its
 * {@code dist.tarball}, checked against {@code dist.integrity} (sha512) and {@code dist.shasum}.
 */
public final class NpmExternalFormat implements ExternalFormat.ListedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public String format() {
    return NpmRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    String path = key.namespace().isEmpty() ? key.name() : "@" + key.namespace() + "%2f" + key.name();
    return URI.create(base + "/" + path);
  }

  @Override
  public String accept() {
    return "application/json";
  }

  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    JsonNode root = ExternalFormat.json(body, "packument", upstreamName, key);
    String full = key.namespace().isEmpty() ? key.name() : "@" + key.namespace() + "/" + key.name();
    if (root == null || !root.isObject() || !root.path("versions").isObject()) {
      throw malformed(upstreamName, key, "no versions object");
    }
    if (!full.equals(root.path("name").asText())) {
      throw malformed(upstreamName, key, "it names " + root.path("name").asText() + ", not " + full);
    }
    Instant now = Instant.now();
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("versions").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!(entry.getValue() instanceof ObjectNode manifest)) {
        throw malformed(upstreamName, key, "version " + entry.getKey() + " is not an object");
      }
      JsonNode dist = manifest.path("dist");
      String tarball = dist.path("tarball").asText("");
      String sha512 = sha512Hex(dist.path("integrity").asText(""));
      String sha1 = dist.path("shasum").asText("");
      if (tarball.isEmpty() || (sha512 == null && !Algorithm.SHA1.isDigest(sha1))) {
        continue; // nothing to verify it against: never served
      }
      try {
        URI.create(tarball);
      } catch (IllegalArgumentException e) {
        continue;
      }
      Instant published = ExternalFormat.time(root.path("time").path(entry.getKey()), now);
      String description = manifest.path("description").isTextual() ? manifest.path("description").asText() : null;
      PackageVersion version = new PackageVersion(key, entry.getKey(), VersionStatus.PUBLISHED, "external", published,
          published, description, manifest.toString(), "EXTERNAL");
      PackageAsset asset = new PackageAsset(NpmRegistry.ASSET, null, -1, null,
          Algorithm.SHA1.isDigest(sha1) ? sha1.toLowerCase(java.util.Locale.ROOT) : null, sha512);
      versions.add(new PackageDocument.VersionWithAssets(version, List.of(asset)));
    }
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    versions.sort(java.util.Comparator.comparing(v -> v.version().publishedAt()));
    Map<String, String> tags = new LinkedHashMap<>();
    root.path("dist-tags").fields().forEachRemaining(tag -> {
      if (tag.getValue().isTextual()) {
        tags.put(tag.getKey(), tag.getValue().asText());
      }
    });
    Instant created = ExternalFormat.time(root.path("time").path("created"), versions.getFirst().version().publishedAt());
    return Optional.of(new PackageDocument(new PackageSummary(key, created, now), versions, tags));
  }

  @Override
  public RemoteFile file(PackageDocument.VersionWithAssets remote, String assetName) {
    PackageVersion version = remote.version();
    PackageAsset asset = remote.assets().getFirst();
    ObjectNode manifest;
    try {
      manifest = (ObjectNode) JSON.readTree(version.metadata());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    URI url = URI.create(manifest.path("dist").path("tarball").asText());
    // Stored as a publish stores it: dist.tarball follows the URL clients use, the digests are ours.
    ObjectNode stored = manifest.deepCopy();
    ObjectNode dist = stored.putObject("dist");
    for (String kept : List.of("fileCount", "unpackedSize", "signatures", "attestations")) {
      if (manifest.path("dist").has(kept)) {
        dist.set(kept, manifest.path("dist").get(kept));
      }
    }
    return new RemoteFile(url, new PublishingService.ExpectedDigests(null, asset.sha512(), asset.sha1()),
        new PublishingService.Publication(version.key(), version.version(), version.summary(), stored.toString(), Map.of(),
            "EXTERNAL"));
  }

  private static String sha512Hex(String integrity) {
    for (String entry : integrity.trim().split("\\s+")) {
      String hash = entry.contains("?") ? entry.substring(0, entry.indexOf('?')) : entry;
      if (hash.startsWith("sha512-")) {
        try {
          byte[] bytes = Base64.getDecoder().decode(hash.substring(7));
          return bytes.length == 64 ? HEX.formatHex(bytes) : null;
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static UpstreamUnavailableException malformed(String upstream, PackageKey key, String why) {
    return ExternalFormat.malformed("packument", upstream, key, why);
  }
}
