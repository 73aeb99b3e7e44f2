package dev.wharf.format.nuget;

import dev.wharf.error.WharfException;
import dev.wharf.format.ZipEntries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A pushed {@code .nupkg}, read from its spooled file with the shared bounded zip reader: its one
 * {@code .nuspec} at the root (kept as sent, parsed) and the readme the {@code .nuspec} names.
 *
 * @param nuspecBytes the {@code .nuspec} as it is in the package
 * @param readme the readme's text, or null when the {@code .nuspec} names none
 */
record NugetPackage(Nuspec nuspec, byte[] nuspecBytes, String readme) {
  /** The largest {@code .nuspec} or readme accepted (nuget.org takes readmes up to 1 MB). */
  static final int MAX_FILE_BYTES = 1024 * 1024;
  /** Far more files than any real package has. */
  static final int MAX_ENTRIES = 100_000;
  private static final ZipEntries.Limits LIMITS = new ZipEntries.Limits("The package", MAX_ENTRIES, MAX_FILE_BYTES);

  /**
   * @throws WharfException.Invalid when the package is not a zip within the bounds, has no (or several)
   *     {@code .nuspec} at its root, or the {@code .nuspec} is invalid or names a readme it lacks
   */
  static NugetPackage read(Path nupkg) {
    try (ZipEntries zip = ZipEntries.open(nupkg, LIMITS)) {
      java.util.function.Predicate<String> atRoot = name -> name.indexOf('/') < 0
          && name.toLowerCase(Locale.ROOT).endsWith(".nuspec");
      byte[] bytes = zip.single(atRoot, ".nuspec")
          .orElseThrow(() -> new WharfException.Invalid("The package has no .nuspec at its root"));
      Nuspec nuspec = Nuspec.parse(bytes);
      String entry = zip.names().stream().filter(atRoot).findFirst().orElseThrow();
      if (!entry.equalsIgnoreCase(nuspec.id() + ".nuspec")) { // nuget pack names it by the id
        throw new WharfException.Invalid("The package's " + entry + " has the id '" + nuspec.id()
            + "': its name and its id differ");
      }
      String readme = null;
      if (nuspec.readme() != null) {
        String path = nuspec.readme().replace('\\', '/');
        while (path.startsWith("./") || path.startsWith("/")) {
          path = path.substring(path.startsWith("/") ? 1 : 2);
        }
        readme = new String(zip.file(path).orElseThrow(() -> new WharfException.Invalid("The .nuspec names the readme '"
            + nuspec.readme() + "', which the package does not have")), StandardCharsets.UTF_8);
      }
      return new NugetPackage(nuspec, bytes, readme);
    }
  }
}
