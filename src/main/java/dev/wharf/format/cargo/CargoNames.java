package dev.wharf.format.cargo;

import dev.wharf.error.WharfException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Crate names and versions as crates.io and cargo's registry index have them. A crate name is
 * 1–64 ASCII letters, digits, {@code -} and {@code _}, beginning with a letter; names are
 * case-insensitive ({@code Serde} is {@code serde}), and {@code -} and {@code _} stay distinct.
 * Wharf keys a crate by its lower-case name and keeps the spelling of its first publish.
 */
public final class CargoNames {
  static final int MAX_NAME_LENGTH = 64;
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  static final int MAX_VERSION_LENGTH = 128;

  private CargoNames() {}

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public static boolean validVersion(String version) {
    return version != null && version.length() <= MAX_VERSION_LENGTH && dev.wharf.format.SemVer.matches(version);
  }

  /** The name a crate is stored under: lower case. */
  public static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** @throws WharfException.Invalid naming the rule, for a name that breaks it */
  public static String requireName(String name) {
    if (!validName(name)) {
      throw new WharfException.Invalid("Invalid crate name '" + (name == null ? "" : abbreviate(name)) + "': a crate"
          + " name is 1 to " + MAX_NAME_LENGTH + " ASCII letters, digits, '-' and '_', beginning with a letter");
    }
    return name;
  }

  /** @throws WharfException.Invalid for a version that is not SemVer 2.0 */
  public static String requireVersion(String version) {
    if (!validVersion(version)) {
      throw new WharfException.Invalid("Invalid version '" + (version == null ? "" : abbreviate(version))
          + "': crate versions follow SemVer 2.0 (MAJOR.MINOR.PATCH, optional -pre-release and +build)");
    }
    return version;
  }

  /**
   * The file of the sparse index that lists a crate, as cargo asks for it: {@code 1/a}, {@code 2/ab},
   * {@code 3/a/abc}, {@code ab/cd/abcd...}, lower case.
   */
  public static String indexPath(String name) {
    String lower = key(name);
    return switch (lower.length()) {
      case 1 -> "1/" + lower;
      case 2 -> "2/" + lower;
      case 3 -> "3/" + lower.charAt(0) + "/" + lower;
      default -> lower.substring(0, 2) + "/" + lower.substring(2, 4) + "/" + lower;
    };
  }

  /**
   * The crate an index file's path names, when the path is where cargo looks for it (any case: cargo
   * lower-cases it, a browser may not); empty otherwise.
   */
  public static Optional<String> fromIndexPath(String path) {
    String[] parts = path.split("/", -1);
    String name = parts[parts.length - 1];
    if (!validName(name) || !indexPath(name).equals(path.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    return Optional.of(name);
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
