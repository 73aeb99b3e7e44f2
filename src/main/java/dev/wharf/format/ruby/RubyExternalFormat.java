package dev.wharf.format.ruby;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A RubyGems compact index (rubygems.org's, or another gem source's) as an external connection: a
 * gem's {@code BASE/info/NAME}, a line per file ({@code VERSION[-PLATFORM] DEPS|checksum:SHA256,...});
 * each file at {@code BASE/gems/FILE}, checked against its line's checksum. The marshalled
 * specification {@code gem install} also needs is made from the fetched gem itself
 * ({@link RubyRegistry#file}), since the index gives no checksum to check an upstream's against.
 */
public final class RubyExternalFormat implements ExternalFormat.ListedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String format() {
    return RubyRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    return ExternalFormat.below(base, infoPath(key));
  }

  @Override
  public String accept() {
    return "text/plain, */*";
  }

  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    String base = ExternalFormat.baseOf(documentUri, infoPath(key));
    Map<String, ObjectNode> documents = new LinkedHashMap<>();
    Map<String, List<PackageAsset>> assets = new LinkedHashMap<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      int space = line.indexOf(' ');
      int bar = line.indexOf('|');
      if (line.equals("---") || line.isBlank() || space < 1 || bar < space) {
        continue;
      }
      String[] versionAndPlatform = line.substring(0, space).split("-", 2); // as bundler reads it
      String version = versionAndPlatform[0];
      String platform = versionAndPlatform.length > 1 ? versionAndPlatform[1] : "ruby";
      Map<String, String> facts = new LinkedHashMap<>();
      for (String fact : line.substring(bar + 1).split(",")) {
        int colon = fact.indexOf(':');
        if (colon > 0) {
          facts.put(fact.substring(0, colon), fact.substring(colon + 1));
        }
      }
      String sha256 = facts.getOrDefault("checksum", "");
      if (!RubyNames.validVersion(version) || !RubyNames.validPlatform(platform)
          || !Algorithm.SHA256.isLowerCaseDigest(sha256)) {
        continue;
      }
      ObjectNode document = documents.computeIfAbsent(version, v -> JSON.createObjectNode().put("name", key.name())
          .put("version", v));
      ObjectNode entry = document.with("platforms").putObject(platform);
      ArrayNode dependencies = entry.putArray("dependencies");
      String deps = line.substring(space + 1, bar).strip();
      for (String dependency : deps.isEmpty() ? new String[0] : deps.split(",")) {
        int colon = dependency.indexOf(':');
        String name = colon < 0 ? dependency : dependency.substring(0, colon);
        if (RubyNames.validName(name)) {
          dependencies.addObject().put("name", name).put("type", "runtime")
              .put("requirement", colon < 0 ? ">= 0" : dependency.substring(colon + 1));
        }
      }
      entry.put("ruby", facts.getOrDefault("ruby", ">= 0"));
      entry.put("rubygems", facts.getOrDefault("rubygems", ">= 0"));
      entry.put("sha256", sha256);
      String file = RubyNames.fullName(key.name(), version, platform) + RubyRegistry.GEM_SUFFIX;
      document.with(URLS).put(file, base + "gems/" + file);
      assets.computeIfAbsent(version, v -> new ArrayList<>()).add(new PackageAsset(file, sha256, -1, null, null, null));
    }
    if (documents.isEmpty()) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
    documents.forEach((version, document) -> versions.add(new PackageDocument.VersionWithAssets(new PackageVersion(key,
        version, VersionStatus.PUBLISHED, "external", now, now, null, document.toString(), "EXTERNAL"),
        assets.get(version))));
    return Optional.of(new PackageDocument(new PackageSummary(key, now, now), versions, Map.of()));
  }

  /** A gem's compact-index file below the upstream's base URL. */
  private static String infoPath(PackageKey key) {
    return "info/" + key.name();
  }
}
