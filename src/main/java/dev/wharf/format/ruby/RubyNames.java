package dev.wharf.format.ruby;

import dev.wharf.error.WharfException;
import java.util.regex.Pattern;

/**
 * Gem names, versions and platforms as RubyGems checks them: a name is letters, digits, {@code .},
 * {@code -} and {@code _} with at least one letter (rubygems.org's rule); a version is
 * {@code Gem::Version}'s pattern as gem build writes it, without {@code -} (a prerelease has a letter
 * in it); a platform is {@code ruby} or
 * {@code cpu-os[-version]}.
 */
final class RubyNames {
  static final int MAX_NAME_LENGTH = 100;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_NAME_LENGTH + "}");
  private static final Pattern LETTER = Pattern.compile(".*[A-Za-z].*");
  /**
   * Gem::Version's pattern without '-': RubyGems turns a '-' into ".pre." (gem build writes "1.0.0.pre.rc1"),
   * and in the compact index and file names a '-' after the version starts the platform.
   */
  private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9a-zA-Z]+)*");
  private static final Pattern PLATFORM = Pattern.compile("[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+){0,3}");

  private RubyNames() {}

  static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches() && LETTER.matcher(name).matches();
  }

  static boolean validVersion(String version) {
    return version != null && version.length() <= 128 && VERSION.matcher(version).matches();
  }

  static boolean validPlatform(String platform) {
    return platform != null && platform.length() <= 64 && PLATFORM.matcher(platform).matches();
  }

  static String requireName(String name) {
    if (!validName(name)) {
      throw new WharfException.Invalid("Invalid gem name '" + abbreviate(name) + "': a gem name is 1 to "
          + MAX_NAME_LENGTH + " letters, digits, '.', '-' and '_', with at least one letter");
    }
    return name;
  }

  static String requireVersion(String version) {
    if (!validVersion(version)) {
      throw new WharfException.Invalid("Invalid gem version '" + abbreviate(version) + "'");
    }
    return version;
  }

  /** {@code name-version}, or {@code name-version-platform} for a platform other than {@code ruby}. */
  static String fullName(String name, String version, String platform) {
    return platform == null || platform.equals("ruby") ? name + "-" + version : name + "-" + version + "-" + platform;
  }

  private static String abbreviate(String text) {
    return text == null ? "" : text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
