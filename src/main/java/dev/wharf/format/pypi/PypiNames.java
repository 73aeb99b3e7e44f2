package dev.wharf.format.pypi;

import dev.wharf.error.WharfException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * PyPI naming rules: PEP 503 project-name normalization, PEP 440 version validation and the
 * wheel / sdist file-name conventions an upload is checked against.
 */
public final class PypiNames {
  private PypiNames() {}

  private static final Pattern PROJECT = Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");
  /** PEP 440's version scheme, as {@code packaging.version.VERSION_PATTERN} spells it. */
  private static final Pattern PEP440 = Pattern.compile("^\\s*v?(?:(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*"
      + "(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
      + "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
      + "(?:[-_.]?dev[-_.]?[0-9]*)?)(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern FILE_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+!-]*$");

  /** Whether {@code name} is a valid project name (PEP 508). */
  public static boolean validProject(String name) {
    return name != null && name.length() <= 200 && PROJECT.matcher(name).matches();
  }

  /** PEP 503: lowercase, every run of '-', '_' and '.' collapsed to one '-'. */
  public static String normalize(String name) {
    return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  public static boolean validVersion(String version) {
    return version != null && version.length() <= 128 && PEP440.matcher(version).matches();
  }

  /** A light canonical form for comparing a version as written in a file name with the declared one. */
  static String comparableVersion(String version) {
    String v = version.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return v.startsWith("v") ? v.substring(1) : v;
  }

  /** What a distribution's file name says. */
  public record DistributionFile(String fileName, String project, String version, Kind kind) {}

  public enum Kind {
    WHEEL,
    SDIST
  }

  /**
   * Parses a distribution file name, checking that it is a safe single path segment of the kind
   * {@code filetype} announces.
   *
   * @throws WharfException.Invalid when it is not
   */
  public static DistributionFile parseFileName(String fileName, String filetype) {
    if (fileName == null || fileName.length() > 255 || !FILE_NAME.matcher(fileName).matches()
        || fileName.contains("..")) {
      throw new WharfException.Invalid("Invalid distribution file name: " + fileName);
    }
    Kind kind = switch (filetype == null ? "" : filetype) {
      case "bdist_wheel" -> Kind.WHEEL;
      case "sdist" -> Kind.SDIST;
      default -> throw new WharfException.Invalid("Unsupported filetype '" + filetype
          + "': only bdist_wheel and sdist are accepted");
    };
    if (kind == Kind.WHEEL) {
      if (!fileName.endsWith(".whl")) {
        throw new WharfException.Invalid("Invalid wheel file name (a wheel ends in .whl): " + fileName);
      }
      String[] parts = fileName.substring(0, fileName.length() - 4).split("-", -1);
      if (parts.length != 5 && parts.length != 6) {
        throw new WharfException.Invalid("Invalid wheel file name (name-version[-build]-python-abi-platform.whl): "
            + fileName);
      }
      for (String part : parts) {
        if (part.isEmpty()) {
          throw new WharfException.Invalid("Invalid wheel file name: " + fileName);
        }
      }
      return new DistributionFile(fileName, parts[0], parts[1], kind);
    }
    String base;
    if (fileName.endsWith(".tar.gz")) {
      base = fileName.substring(0, fileName.length() - 7);
    } else if (fileName.endsWith(".zip")) {
      base = fileName.substring(0, fileName.length() - 4);
    } else {
      throw new WharfException.Invalid("Invalid sdist file name (an sdist ends in .tar.gz or .zip): " + fileName);
    }
    int dash = base.lastIndexOf('-');
    if (dash <= 0 || dash == base.length() - 1) {
      throw new WharfException.Invalid("Invalid sdist file name (name-version.tar.gz): " + fileName);
    }
    return new DistributionFile(fileName, base.substring(0, dash), base.substring(dash + 1), kind);
  }

  /**
   * Checks that the file is named after {@code project} and {@code version}.
   *
   * @throws WharfException.Invalid when not
   */
  public static void requireMatches(DistributionFile file, String project, String version) {
    if (!normalize(file.project()).equals(normalize(project))) {
      throw new WharfException.Invalid("The file name " + file.fileName() + " does not match the project name '"
          + project + "'");
    }
    if (!comparableVersion(file.version()).equals(comparableVersion(version))) {
      throw new WharfException.Invalid("The file name " + file.fileName() + " does not match the version '"
          + version + "'");
    }
  }

  /** PEP 508: a name, optional [extras], then a version specifier, a URL (@ ...) and/or a marker (; ...). */
  private static final Pattern REQUIREMENT =
      Pattern.compile("^\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(\\[[^\\]]*\\])?\\s*(.*)$");

  /**
   * A Requires-Dist entry as the API lists a dependency: "requests[socks] (>=2.0,<3) ; python_version < '3.8'"
   * gives requests and ">=2.0,<3; python_version < '3.8'"; empty when it is not a PEP 508 requirement.
   */
  static java.util.Optional<dev.wharf.format.VersionDescription.Dependency> requirement(String requirement) {
    java.util.regex.Matcher matcher = REQUIREMENT.matcher(requirement);
    if (!matcher.matches()) {
      return java.util.Optional.empty();
    }
    String rest = matcher.group(3).trim();
    String marker = null;
    int semicolon = rest.indexOf(';');
    if (semicolon >= 0 && !rest.startsWith("@")) {
      marker = rest.substring(semicolon + 1).trim();
      rest = rest.substring(0, semicolon).trim();
    }
    if (rest.startsWith("(") && rest.endsWith(")")) {
      rest = rest.substring(1, rest.length() - 1).trim();
    }
    String versionRequirement = rest.isEmpty() ? null : rest;
    if (marker != null && !marker.isEmpty()) {
      versionRequirement = (versionRequirement == null ? "" : versionRequirement) + "; " + marker;
    }
    return java.util.Optional.of(new dev.wharf.format.VersionDescription.Dependency(null, matcher.group(1),
        "Requires-Dist", versionRequirement));
  }
}
