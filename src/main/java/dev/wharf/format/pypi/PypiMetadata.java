package dev.wharf.format.pypi;

import dev.wharf.error.WharfException;
import dev.wharf.format.TarGzEntries;
import dev.wharf.format.ZipEntries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Core metadata (METADATA / PKG-INFO): the header fields of its email-style format, and reading a
 * wheel's {@code *.dist-info/METADATA} with a size limit that holds whatever the zip declares.
 */
public record PypiMetadata(byte[] raw, Map<String, List<String>> fields) {
  /** The largest METADATA accepted: far more than any real one (long descriptions included). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  /** The most entries a wheel or zip sdist may have: the largest real wheels have tens of thousands of files. */
  static final int MAX_ZIP_ENTRIES = 200_000;
  private static final Pattern DIST_INFO_METADATA = Pattern.compile("^[^/]+\\.dist-info/METADATA$");

  public Optional<String> first(String field) {
    List<String> values = fields.get(field.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  public List<String> all(String field) {
    return fields.getOrDefault(field.toLowerCase(Locale.ROOT), List.of());
  }

  /** The body after the headers (metadata 2.1+ keeps the long description there), if not blank. */
  public Optional<String> body() {
    String text = new String(raw, StandardCharsets.UTF_8).replace("\r\n", "\n");
    int end = text.startsWith("\n") ? 0 : text.indexOf("\n\n");
    if (end < 0) {
      return Optional.empty();
    }
    String body = text.substring(end + (end == 0 ? 1 : 2));
    return body.isBlank() ? Optional.empty() : Optional.of(body);
  }

  /** Parses the header part (up to the first empty line); field names are lowercased. */
  public static PypiMetadata parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8).replace("\r\n", "\n");
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String name = null;
    StringBuilder value = null;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && name != null) {
        value.append('\n').append(line.strip());
        continue;
      }
      if (name != null) {
        fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString());
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        name = null;
        continue;
      }
      name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      value = new StringBuilder(line.substring(colon + 1).strip());
    }
    if (name != null) {
      fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString());
    }
    return new PypiMetadata(raw, fields);
  }

  private static final Pattern SDIST_PKG_INFO = Pattern.compile("^[^/]+/PKG-INFO$");
  /** PKG-INFO is near the start in practice; what is inflated to find it is bounded as for every upload. */
  private static final TarGzEntries.Search TAR_PKG_INFO = new TarGzEntries.Search("The sdist", "PKG-INFO",
      path -> SDIST_PKG_INFO.matcher(path).matches(), MAX_BYTES);

  /**
   * Reads an sdist's top-level {@code {name}-{version}/PKG-INFO} (a .tar.gz or a .zip).
   *
   * @throws WharfException.Invalid when it is unreadable, has no PKG-INFO or it is too large
   */
  public static PypiMetadata fromSdist(Path sdist, String fileName) {
    if (fileName.endsWith(".zip")) {
      return fromZip(sdist, SDIST_PKG_INFO, "sdist", "PKG-INFO");
    }
    return parse(TarGzEntries.firstFile(sdist, TAR_PKG_INFO)
        .orElseThrow(() -> new WharfException.Invalid("The sdist has no top-level PKG-INFO")));
  }

  /**
   * Reads the wheel's {@code {name}-{version}.dist-info/METADATA}.
   *
   * @throws WharfException.Invalid when the wheel is not a zip, has no (or several) METADATA, or it
   *     is larger than {@link #MAX_BYTES} once inflated
   */
  public static PypiMetadata fromWheel(Path wheel) {
    return fromZip(wheel, DIST_INFO_METADATA, "wheel", ".dist-info/METADATA");
  }

  private static PypiMetadata fromZip(Path archive, Pattern wanted, String kind, String what) {
    try (ZipEntries zip = ZipEntries.open(archive, new ZipEntries.Limits("The " + kind, MAX_ZIP_ENTRIES, MAX_BYTES))) {
      return parse(zip.single(path -> wanted.matcher(path).matches(), what)
          .orElseThrow(() -> new WharfException.Invalid("The " + kind + " has no " + what)));
    }
  }
}
