package dev.wharf.format;

import java.util.regex.Pattern;

/** SemVer 2.0 version strings, as npm and Cargo versions are: three numbers, optional pre-release and build. */
public final class SemVer {
  private static final Pattern VERSION = Pattern.compile(
      "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  private SemVer() {}

  public static boolean matches(String version) {
    return version != null && VERSION.matcher(version).matches();
  }

  /** The version without its build metadata: versions that differ only there are the same version. */
  public static String withoutBuild(String version) {
    int plus = version.indexOf('+');
    return plus < 0 ? version : version.substring(0, plus);
  }
}
