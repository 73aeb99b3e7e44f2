package dev.wharf.format.nuget;

import dev.wharf.error.WharfException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NuGet's package ids and versions: ids are case-insensitive (kept lower-case as the package's name,
 * as CodeArtifact does; the spelling of the {@code .nuspec} is the display name), and versions are
 * normalized as NuGet and CodeArtifact do: leading zeros dropped, a zero fourth part left out, at
 * least three parts ({@code 1.0} is {@code 1.0.0}), build metadata removed.
 */
public final class NugetNames {
  /** nuget.org's bound on an id. */
  public static final int MAX_ID_LENGTH = 100;
  private static final int MAX_VERSION_LENGTH = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*");
  private static final Pattern VERSION = Pattern.compile(
      "(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

  private NugetNames() {}

  public static boolean validId(String id) {
    return id != null && !id.isEmpty() && id.length() <= MAX_ID_LENGTH && ID.matcher(id).matches();
  }

  /** The package's name in the API and in paths: the id in lower case. */
  public static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  /** The id, or a 400 naming the rule. */
  public static String requireId(String id) {
    if (!validId(id)) {
      throw new WharfException.Invalid("'" + shown(id) + "' is not a NuGet package id: 1 to " + MAX_ID_LENGTH
          + " letters, digits and '_', separated by single '.' or '-'");
    }
    return id;
  }

  /** The normalized version, or empty when the text is not a NuGet version. */
  public static Optional<String> normalize(String version) {
    if (version == null || version.length() > MAX_VERSION_LENGTH) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(version.strip());
    if (!m.matches() || m.group(2) == null) { // a bare number is no version ("1" is refused by NuGet's parser too)
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    for (int part = 1; part <= 4; part++) {
      String digits = m.group(part);
      if (digits == null && part == 4) {
        break;
      }
      BigInteger number = digits == null ? BigInteger.ZERO : new BigInteger(digits);
      if (part == 4 && number.signum() == 0) {
        break;
      }
      if (number.bitLength() > 31) { // NuGet's parts are ints
        return Optional.empty();
      }
      out.append(part == 1 ? "" : ".").append(number);
    }
    if (m.group(5) != null) {
      out.append(m.group(5));
    }
    return Optional.of(out.toString());
  }

  /** The normalized version, or a 400. */
  public static String requireVersion(String version) {
    return normalize(version).orElseThrow(() -> new WharfException.Invalid("'" + shown(version)
        + "' is not a NuGet version (MAJOR.MINOR[.PATCH[.REVISION]][-PRERELEASE][+METADATA])"));
  }

  /** Whether a normalized version has a pre-release label. */
  public static boolean prerelease(String normalized) {
    return normalized.indexOf('-') >= 0;
  }

  /**
   * NuGet's order of normalized versions: the numbers, then a release after its pre-releases, whose
   * labels compare as SemVer 2.0's, case-insensitively.
   */
  public static int compare(String a, String b) {
    String[] left = a.split("-", 2);
    String[] right = b.split("-", 2);
    String[] leftNumbers = left[0].split("\\.");
    String[] rightNumbers = right[0].split("\\.");
    for (int i = 0; i < 4; i++) {
      long l = i < leftNumbers.length ? Long.parseLong(leftNumbers[i]) : 0;
      long r = i < rightNumbers.length ? Long.parseLong(rightNumbers[i]) : 0;
      if (l != r) {
        return Long.compare(l, r);
      }
    }
    if (left.length == 1 || right.length == 1) {
      return Integer.compare(right.length, left.length);
    }
    String[] leftLabels = left[1].split("\\.");
    String[] rightLabels = right[1].split("\\.");
    for (int i = 0; i < Math.min(leftLabels.length, rightLabels.length); i++) {
      boolean leftNumber = leftLabels[i].chars().allMatch(Character::isDigit);
      boolean rightNumber = rightLabels[i].chars().allMatch(Character::isDigit);
      int c = leftNumber && rightNumber ? new BigInteger(leftLabels[i]).compareTo(new BigInteger(rightLabels[i]))
          : leftNumber ? -1 : rightNumber ? 1 : leftLabels[i].compareToIgnoreCase(rightLabels[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(leftLabels.length, rightLabels.length);
  }

  private static String shown(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 120 ? text.substring(0, 120) + "..." : text;
  }
}
