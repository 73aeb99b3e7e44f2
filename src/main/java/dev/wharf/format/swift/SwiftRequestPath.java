package dev.wharf.format.swift;

/**
 * What a request below a Swift repository endpoint addresses (the registry specification's endpoints,
 * section 4, and SwiftPM's {@code login}). Scopes, names and versions are checked as they are parsed:
 * a path of an endpoint's shape with an invalid one is a 400.
 */
sealed interface SwiftRequestPath {
  /** Nothing of the specification's. */
  record Other() implements SwiftRequestPath {}

  /** {@code login}: what {@code swift package-registry login} posts to check its credentials. */
  record Login() implements SwiftRequestPath {}

  /** {@code identifiers?url=...}. */
  record Identifiers() implements SwiftRequestPath {}

  /** {@code {scope}/{name}} (or {@code .json}): the releases. */
  record Releases(String scope, String name) implements SwiftRequestPath {}

  /** {@code {scope}/{name}/{version}} (or {@code .json}): a release's information, or its publication (PUT). */
  record Release(String scope, String name, String version) implements SwiftRequestPath {}

  /** {@code {scope}/{name}/{version}.zip}: the source archive. */
  record Archive(String scope, String name, String version) implements SwiftRequestPath {}

  /** {@code {scope}/{name}/{version}/Package.swift} (the {@code swift-version} is in the query). */
  record Manifest(String scope, String name, String version) implements SwiftRequestPath {}

  static SwiftRequestPath parse(String rest) {
    if (rest.equals("login")) {
      return new Login();
    }
    if (rest.equals("identifiers")) {
      return new Identifiers();
    }
    String[] parts = rest.split("/", -1);
    // the identifiers are ASCII letters, digits, '-', '_', '.' and '+': an escaped one is not valid anyway
    switch (parts.length) {
      case 2 -> {
        String name = strip(parts[1], ".json");
        return new Releases(SwiftNames.requireScope(parts[0]), SwiftNames.requireName(name));
      }
      case 3 -> {
        String scope = SwiftNames.requireScope(parts[0]);
        String name = SwiftNames.requireName(parts[1]);
        if (parts[2].endsWith(".zip")) {
          return new Archive(scope, name, SwiftNames.requireVersion(strip(parts[2], ".zip")));
        }
        return new Release(scope, name, SwiftNames.requireVersion(strip(parts[2], ".json")));
      }
      case 4 -> {
        if (!parts[3].equals("Package.swift")) {
          return new Other();
        }
        return new Manifest(SwiftNames.requireScope(parts[0]), SwiftNames.requireName(parts[1]),
            SwiftNames.requireVersion(parts[2]));
      }
      default -> {
        return new Other();
      }
    }
  }

  private static String strip(String segment, String extension) {
    return segment.endsWith(extension) ? segment.substring(0, segment.length() - extension.length()) : segment;
  }
}
