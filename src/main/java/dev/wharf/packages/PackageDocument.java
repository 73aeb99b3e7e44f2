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
   * About the heap the document holds, in bytes, for caches bounded by size: the objects of each version and file
   * and the text they hold. Identifiers and digests are ASCII (a byte a character, as the JDK stores Latin-1
   * text); metadata and summaries are counted at two bytes a character, which they need when not Latin-1. Checked
   * against the measured size of documents read from the store ({@code PackageDocumentWeightTest}).
   */
  public long approximateBytes() {
    PackageKey key = summary.key();
    long bytes = 160 + key(key) + 96L * distTags.size();
    for (Map.Entry<String, String> tag : distTags.entrySet()) {
      bytes += ascii(tag.getKey()) + ascii(tag.getValue());
    }
    for (VersionWithAssets entry : versions) {
      PackageVersion version = entry.version();
      // The version, its two instants and entry point, the entry and its list of files.
      bytes += 200 + (version.key() == key ? 0 : key(version.key())) + ascii(version.version())
          + ascii(version.revision()) + ascii(version.origin()) + text(version.summary()) + text(version.metadata());
      PackageVersion.EntryPoint entryPoint = version.entryPoint();
      if (entryPoint.repositoryName() != key.repository()) { // the store shares the key's instance when it can
        bytes += ascii(entryPoint.repositoryName());
      }
      bytes += ascii(entryPoint.externalConnectionName());
      for (PackageAsset asset : entry.assets()) {
        bytes += 56 + text(asset.name()) + ascii(asset.sha256()) + ascii(asset.md5()) + ascii(asset.sha1())
            + ascii(asset.sha512());
      }
    }
    return bytes;
  }

  private static long key(PackageKey key) {
    return 32 + ascii(key.domainOwner()) + ascii(key.domainName()) + ascii(key.repository()) + ascii(key.format())
        + ascii(key.namespace()) + text(key.name());
  }

  /** A String of ASCII text: the object and its array of a byte a character. */
  private static long ascii(String text) {
    return text == null ? 0 : 48 + text.length();
  }

  /** A String of any text: at most two bytes a character. */
  private static long text(String text) {
    return text == null ? 0 : 48 + 2L * text.length();
  }

  public record VersionWithAssets(PackageVersion version, List<PackageAsset> assets) {
    public VersionWithAssets {
      assets = List.copyOf(assets);
    }
  }
}
