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

  /**
   * SemVer 2.0 precedence (section 11) of two versions that {@link #matches}: numbers numerically, a
   * pre-release before its release, pre-release identifiers compared one by one (numeric ones
   * numerically and before alphanumeric ones); build metadata ignored.
   */
  public static int compare(String a, String b) {
    String[] left = withoutBuild(a).split("-", 2);
    String[] right = withoutBuild(b).split("-", 2);
    String[] leftCore = left[0].split("\\.");
    String[] rightCore = right[0].split("\\.");
    for (int i = 0; i < 3; i++) {
      int c = new java.math.BigInteger(leftCore[i]).compareTo(new java.math.BigInteger(rightCore[i]));
      if (c != 0) {
        return c;
      }
    }
    if (left.length == 1 || right.length == 1) {
      return Integer.compare(right.length, left.length); // the release is the greater
    }
    String[] leftPre = left[1].split("\\.");
    String[] rightPre = right[1].split("\\.");
    for (int i = 0; i < Math.min(leftPre.length, rightPre.length); i++) {
      boolean leftNumber = leftPre[i].chars().allMatch(Character::isDigit);
      boolean rightNumber = rightPre[i].chars().allMatch(Character::isDigit);
      int c = leftNumber && rightNumber ? new java.math.BigInteger(leftPre[i]).compareTo(new java.math.BigInteger(rightPre[i]))
          : leftNumber ? -1 : rightNumber ? 1 : leftPre[i].compareTo(rightPre[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(leftPre.length, rightPre.length);
  }

  /** The version without its build metadata: versions that differ only there are the same version. */
  public static String withoutBuild(String version) {
    int plus = version.indexOf('+');
    return plus < 0 ? version : version.substring(0, plus);
  }
}
