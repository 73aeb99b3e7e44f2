package dev.wharf.format.swift;

import dev.wharf.error.WharfException;
import dev.wharf.format.SemVer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The registry specification's identifiers (section 3.6): a scope is 1 to 39 letters, digits and single
 * inner hyphens; a name 1 to 100 letters, digits and single inner hyphens or underscores; a version is
 * SemVer 2.0. Scopes and names are case-insensitive: packages are stored under their lower-case
 * spelling, as CodeArtifact normalizes them.
 */
final class SwiftNames {
  private static final Pattern SCOPE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,38}");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9]|[-_](?=[a-zA-Z0-9])){0,99}");
  static final int MAX_VERSION_LENGTH = 255;

  private SwiftNames() {}

  static boolean validScope(String scope) {
    return scope != null && SCOPE.matcher(scope).matches();
  }

  static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static boolean validVersion(String version) {
    return version != null && version.length() <= MAX_VERSION_LENGTH && SemVer.matches(version);
  }

  static String requireScope(String scope) {
    return require(validScope(scope), scope, "package scope", "a scope is 1 to 39 letters, digits and hyphens, with"
        + " no hyphen at its start or end or next to another");
  }

  static String requireName(String name) {
    return require(validName(name), name, "package name", "a name is 1 to 100 letters, digits, hyphens and"
        + " underscores, with no hyphen or underscore at its start or end or next to another");
  }

  static String requireVersion(String version) {
    return require(validVersion(version), version, "version", "a version is a semantic version (MAJOR.MINOR.PATCH,"
        + " with an optional pre-release and build metadata)");
  }

  /** The identifier, when valid; else 400 naming it and the rule it breaks. */
  private static String require(boolean valid, String identifier, String what, String rule) {
    if (!valid) {
      throw new WharfException.Invalid("invalid " + what + " '" + identifier + "': " + rule);
    }
    return identifier;
  }

  /** How a scope or a name is stored and compared: its lower-case spelling. */
  static String key(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }
}
