package dev.wharf.format.nuget;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;

/**
 * What a request below a NuGet repository endpoint addresses, all under {@code v3/}: the service index
 * ({@code index.json}), push and unlist ({@code package/}, {@code package/ID/VERSION}), the flat
 * container ({@code package/ID/index.json}, {@code package/ID/VERSION/FILE}), registrations
 * ({@code registration/ID/index.json}, {@code .../page/LOWER/UPPER.json}, {@code .../VERSION.json}),
 * search and autocomplete.
 */
sealed interface NugetRequestPath {
  record Other() implements NugetRequestPath {}

  record ServiceIndex() implements NugetRequestPath {}

  record Push() implements NugetRequestPath {}

  /** {@code package/ID/VERSION}: what DELETE unlists; the version normalized. */
  record Version(String id, String version) implements NugetRequestPath {}

  record FlatVersions(String id) implements NugetRequestPath {}

  /** A file of the flat container; the path's id and version are lower-case, as NuGet writes them. */
  record FlatFile(String id, String version, String fileName) implements NugetRequestPath {}

  record RegistrationIndex(String id) implements NugetRequestPath {}

  record RegistrationPage(String id, String lower, String upper) implements NugetRequestPath {}

  record RegistrationLeaf(String id, String version) implements NugetRequestPath {}

  record Search() implements NugetRequestPath {}

  record Autocomplete() implements NugetRequestPath {}

  String V3 = "v3/";
  String PACKAGE = "v3/package/";
  String REGISTRATION = "v3/registration/";

  static NugetRequestPath parse(String path) {
    switch (path) {
      case "v3/index.json" -> {
        return new ServiceIndex();
      }
      case "v3/package", "v3/package/" -> {
        return new Push();
      }
      case "v3/search" -> {
        return new Search();
      }
      case "v3/autocomplete" -> {
        return new Autocomplete();
      }
      default -> { }
    }
    if (path.startsWith(PACKAGE)) {
      String[] parts = segments(path.substring(PACKAGE.length()));
      if (parts.length == 2 && parts[1].equals("index.json")) {
        return new FlatVersions(id(parts[0]));
      }
      if (parts.length == 2) {
        return new Version(id(parts[0]), version(parts[1]));
      }
      if (parts.length == 3) {
        return new FlatFile(id(parts[0]), version(parts[1]), parts[2]);
      }
      return new Other();
    }
    if (path.startsWith(REGISTRATION)) {
      String[] parts = segments(path.substring(REGISTRATION.length()));
      if (parts.length == 2 && parts[1].equals("index.json")) {
        return new RegistrationIndex(id(parts[0]));
      }
      if (parts.length == 2 && parts[1].endsWith(".json")) {
        return new RegistrationLeaf(id(parts[0]), version(parts[1].substring(0, parts[1].length() - 5)));
      }
      if (parts.length == 4 && parts[1].equals("page") && parts[3].endsWith(".json")) {
        return new RegistrationPage(id(parts[0]), version(parts[2]), version(parts[3].substring(0, parts[3].length() - 5)));
      }
    }
    return new Other();
  }

  private static String[] segments(String rest) {
    String[] parts = rest.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = PathEncoding.percentDecode(parts[i]);
    }
    return parts;
  }

  private static String id(String text) {
    if (!NugetNames.validId(text)) {
      throw new WharfException.NotFound(null, "Not found: '" + text + "' is not a NuGet package id");
    }
    return text;
  }

  /** The version normalized: NuGet asks with the normalized version, in lower case. */
  private static String version(String text) {
    return NugetNames.normalize(text).orElseThrow(() -> new WharfException.NotFound(null, "Not found: '" + text
        + "' is not a NuGet version"));
  }
}
