package dev.wharf.packages;

import java.util.List;
import java.util.Map;

/**
 * Everything stored about one package, read at once (what an npm packument is rendered from):
 * versions in publish order, each with its assets, and the dist-tags.
 */
public record PackageDocument(PackageSummary summary, List<VersionWithAssets> versions, Map<String, String> distTags) {
  public PackageDocument {
    versions = List.copyOf(versions);
    distTags = Map.copyOf(distTags);
  }

  /**
   * About the heap the document holds, in bytes (its metadata text counted twice: Java strings of Latin-1
   * text are a byte a character, other text two, plus the objects around them), for caches bounded by size.
   */
  public long approximateBytes() {
    long bytes = 256;
    for (VersionWithAssets entry : versions) {
      String metadata = entry.version().metadata();
      bytes += 256 + (metadata == null ? 0 : 2L * metadata.length()) + 320L * entry.assets().size();
    }
    return bytes;
  }

  public record VersionWithAssets(PackageVersion version, List<PackageAsset> assets) {
    public VersionWithAssets {
      assets = List.copyOf(assets);
    }
  }
}
