package dev.wharf.format.cargo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.wharf.error.WharfException;
import dev.wharf.format.TarGzEntries;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@code .crate}: a gzip'd tar whose files all lie in {@code name-version/}, with the normalized
 * {@code Cargo.toml} there. Every entry is checked (a path outside the folder, or with a {@code ..}
 * segment, refuses the crate), and the manifest's package name and version are read.
 */
final class CargoCrate {
  static final int MAX_MANIFEST_BYTES = 1024 * 1024;
  private static final TomlMapper TOML = new TomlMapper();

  private CargoCrate() {}

  record Manifest(String name, String version) {}

  /**
   * @param name the crate's name as the publish request gives it (the folder is {@code name-version})
   * @throws WharfException.Invalid for a damaged archive, an entry outside the folder, no or an
   *     unreadable Cargo.toml
   */
  static Manifest read(Path crate, String name, String version) {
    String folder = name + "-" + version + "/";
    TarGzEntries.Search search = new TarGzEntries.Search("The crate", "Cargo.toml",
        path -> path.equals(folder + "Cargo.toml"), MAX_MANIFEST_BYTES);
    String manifestPath = (folder + "Cargo.toml").toLowerCase(java.util.Locale.ROOT);
    int[] manifests = {0};
    byte[] manifest = TarGzEntries.fileOfCheckedArchive(crate, search, entry -> {
      requireInside(entry.name(), folder);
      if (entry.kind() == TarGzEntries.Entry.Kind.OTHER) {
        throw new WharfException.Invalid("The crate has an entry that is neither a file nor a folder (a link or a"
            + " device): " + abbreviate(entry.name()));
      }
      // as crates.io: one manifest, spelled Cargo.toml; unpacking would keep the last of several
      if (entry.name().toLowerCase(java.util.Locale.ROOT).equals(manifestPath) && ++manifests[0] > 1) {
        throw new WharfException.Invalid("The crate has more than one " + folder + "Cargo.toml (in any case)");
      }
    })
        .orElseThrow(() -> new WharfException.Invalid("The crate has no " + folder + "Cargo.toml"));
    JsonNode toml;
    try {
      toml = TOML.readTree(manifest);
    } catch (IOException | RuntimeException e) {
      throw new WharfException.Invalid("The crate's Cargo.toml is not valid TOML");
    }
    JsonNode pkg = toml.path("package");
    if (!pkg.path("name").isTextual() || !pkg.path("version").isTextual()) {
      throw new WharfException.Invalid("The crate's Cargo.toml has no [package] name and version");
    }
    return new Manifest(pkg.path("name").asText(), pkg.path("version").asText());
  }

  private static String abbreviate(String name) {
    return name.length() > 200 ? name.substring(0, 200) + "..." : name;
  }

  private static void requireInside(String entry, String folder) {
    String trimmed = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
    boolean inside = (entry.startsWith(folder) || trimmed.equals(folder.substring(0, folder.length() - 1)))
        && !entry.startsWith("/") && !entry.contains("\\");
    for (String segment : entry.split("/")) {
      if (segment.equals("..")) {
        inside = false;
      }
    }
    if (!inside) {
      throw new WharfException.Invalid("The crate has an entry outside " + folder + ", the folder of the crate"
          + " and version the publish request names: "
          + abbreviate(entry));
    }
  }
}
