package dev.wharf.format.swift;

import dev.wharf.error.WharfException;
import dev.wharf.format.ZipEntries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a published source archive holds for the registry: its manifests. The archive is laid out as
 * {@code swift package archive-source} makes it, every entry in one top-level folder (SwiftPM strips
 * that folder when it unpacks a release), with {@code Package.swift} and any version-specific
 * {@code Package@swift-X[.Y[.Z]].swift} in it. Read with the shared bounded {@link ZipEntries}.
 */
final class SwiftArchive {
  static final String MANIFEST = "Package.swift";
  /** The version-specific manifests' names (section 4.3). */
  static final Pattern VERSIONED_MANIFEST = Pattern.compile("Package@swift-(\\d+(?:\\.\\d+){0,2})\\.swift");
  private static final Pattern TOOLS_VERSION = Pattern.compile(
      "\\A\\s*//\\s*swift-tools-version\\s*:\\s*(\\d+(?:\\.\\d+){0,2})");
  static final int MAX_ENTRIES = 100_000;
  static final int MAX_MANIFEST_BYTES = 1024 * 1024;
  static final int MAX_MANIFESTS = 64;
  private static final ZipEntries.Limits LIMITS = new ZipEntries.Limits("The source archive", MAX_ENTRIES,
      MAX_MANIFEST_BYTES);

  /**
   * One manifest of the release.
   *
   * @param fileName {@code Package.swift} or {@code Package@swift-5.8.swift}
   * @param swiftVersion the Swift version a version-specific manifest is for; null for {@code Package.swift}
   * @param toolsVersion its {@code // swift-tools-version:} line's version, null when it has none
   */
  record Manifest(String fileName, String swiftVersion, String toolsVersion, byte[] content) {}

  private SwiftArchive() {}

  /**
   * The manifests of the archive, {@code Package.swift} first.
   *
   * @throws WharfException.Invalid a 400 for a malformed or unsafe zip (a bomb, an entry outside its
   *     folder, a name twice, a manifest over {@link #MAX_MANIFEST_BYTES}); a 422 for an archive that is
   *     not laid out in one folder or has no {@code Package.swift}
   */
  static List<Manifest> manifests(Path archive) {
    try (ZipEntries zip = ZipEntries.open(archive, LIMITS)) {
      List<String> names = zip.names();
      if (names.isEmpty()) {
        throw unprocessable("the source archive is empty");
      }
      String first = names.getFirst();
      int slash = first.indexOf('/');
      if (slash <= 0) {
        throw unprocessable("the source archive must hold the package in one top-level folder, as"
            + " 'swift package archive-source' makes it; '" + first + "' is outside any folder");
      }
      String folder = first.substring(0, slash + 1);
      List<Manifest> manifests = new ArrayList<>();
      for (String name : names) {
        if (!name.startsWith(folder)) {
          throw unprocessable("the source archive must hold the package in one top-level folder, as"
              + " 'swift package archive-source' makes it; it has '" + folder + "' and '" + name + "'");
        }
        String file = name.substring(folder.length());
        Matcher versioned = VERSIONED_MANIFEST.matcher(file);
        if (file.equals(MANIFEST) || versioned.matches()) {
          if (manifests.size() == MAX_MANIFESTS) {
            throw unprocessable("the source archive has more than " + MAX_MANIFESTS + " manifests");
          }
          byte[] content = zip.file(name).orElseThrow();
          manifests.add(new Manifest(file, versioned.matches() ? versioned.group(1) : null, toolsVersion(content),
              content));
        }
      }
      manifests.sort((a, b) -> a.swiftVersion() == null ? -1 : b.swiftVersion() == null ? 1 : 0);
      if (manifests.isEmpty() || manifests.getFirst().swiftVersion() != null) {
        throw unprocessable("package doesn't contain a valid manifest (Package.swift) file in its top-level"
            + " folder " + folder);
      }
      return List.copyOf(manifests);
    }
  }

  /** The version of a manifest's {@code // swift-tools-version:} first line, or null. */
  static String toolsVersion(byte[] manifest) {
    String start = new String(manifest, 0, Math.min(manifest.length, 256), StandardCharsets.UTF_8);
    Matcher matcher = TOOLS_VERSION.matcher(start);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static WharfException unprocessable(String message) {
    return new WharfException.Invalid(SwiftApi.UNPROCESSABLE, message);
  }
}
