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

  public record VersionWithAssets(PackageVersion version, List<PackageAsset> assets) {
    public VersionWithAssets {
      assets = List.copyOf(assets);
    }
  }
}
