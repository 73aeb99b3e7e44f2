package dev.wharf.format.cargo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Cargo sparse index (crates.io's {@code https://index.crates.io}, or another registry's) as an
 * external connection: a crate's index file at {@code BASE/}{@link CargoNames#indexPath}, one JSON
 * line per version; each crate checked against the line's {@code cksum}. Downloads come from
 * crates.io's {@code https://static.crates.io/crates/NAME/VERSION/download} when the index is
 * crates.io's, else from the registry's web API beside its index
 * ({@code BASE/api/v1/crates/NAME/VERSION/download}, where Wharf and registries that keep cargo's
 * default {@code dl} serve them). Lines without a valid name, version or checksum are left out.
 */
public final class CargoExternalFormat implements ExternalFormat.ListedFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CRATES_IO_INDEX = "index.crates.io";
  /** The index-line fields kept as the version's document (the checksum is the asset's). */
  private static final List<String> KEPT = List.of("name", "vers", "deps", "features", "features2", "links",
      "rust_version", "yanked");

  @Override
  public String format() {
    return CargoRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    return ExternalFormat.below(base, CargoNames.indexPath(key.name()));
  }

  @Override
  public String accept() {
    return "*/*";
  }

  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    String base = ExternalFormat.baseOf(documentUri, CargoNames.indexPath(key.name()));
    Instant now = Instant.now();
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode entry;
      try {
        entry = JSON.readTree(line);
      } catch (IOException e) {
        throw ExternalFormat.malformed("index file", upstreamName, key, "a line is not JSON");
      }
      String name = entry.path("name").asText("");
      String version = entry.path("vers").asText("");
      String cksum = entry.path("cksum").asText("");
      if (!CargoNames.validName(name) || !CargoNames.key(name).equals(key.name()) || !CargoNames.validVersion(version)
          || !Algorithm.SHA256.isLowerCaseDigest(cksum) || entry.path("v").asInt(1) > 2) {
        continue;
      }
      ObjectNode document = JSON.createObjectNode();
      for (String field : KEPT) {
        if (entry.has(field) && !entry.path(field).isNull()) {
          document.set(field, entry.path(field));
        }
      }
      document.putObject(URLS).put(CargoRegistry.fileName(name, version), downloadUrl(base, name, version));
      versions.add(new PackageDocument.VersionWithAssets(new PackageVersion(key, version, VersionStatus.PUBLISHED,
          "external", now, now, null, document.toString(), "EXTERNAL"),
          List.of(new PackageAsset(CargoRegistry.fileName(name, version), cksum, -1, null, null, null))));
    }
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PackageDocument(new PackageSummary(key, now, now), versions, Map.of()));
  }

  static String downloadUrl(String indexBase, String name, String version) {
    URI base = URI.create(indexBase);
    String path = name + "/" + version + "/download";
    return CRATES_IO_INDEX.equals(base.getHost()) ? "https://static.crates.io/crates/" + path
        : ExternalFormat.withSlash(base) + CargoRequestPath.API + "/" + path;
  }
}
