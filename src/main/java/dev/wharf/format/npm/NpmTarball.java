package dev.wharf.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import dev.wharf.format.TarGzEntries;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the {@code package.json} at the root of an npm tarball (gzip'd tar, one top folder, usually package/). */
final class NpmTarball {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MANIFEST = 4 * 1024 * 1024;
  // npm packs package.json first; what is inflated to find it is bounded as for every upload (InflationBound).
  private static final TarGzEntries.Search PACKAGE_JSON = new TarGzEntries.Search("The tarball", "package.json",
      NpmTarball::isRootPackageJson, MAX_MANIFEST);

  private NpmTarball() {}

  static JsonNode packageJson(Path tarball) {
    byte[] content = TarGzEntries.firstFile(tarball, PACKAGE_JSON)
        .orElseThrow(() -> new WharfException.Invalid("The tarball has no package.json in its root folder"));
    try {
      return JSON.readTree(content);
    } catch (IOException e) {
      throw new WharfException.Invalid("The tarball's package.json is not valid JSON");
    }
  }

  private static boolean isRootPackageJson(String path) {
    int slash = path.indexOf('/');
    return slash > 0 && path.substring(slash + 1).equals("package.json");
  }
}
