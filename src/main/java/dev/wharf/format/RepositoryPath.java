package dev.wharf.format;

import java.util.Optional;

/**
 * A package-endpoint path: {@code /{domain}-{owner}/{format}/{repository}/{rest}}. Which formats
 * are served is {@link FormatRegistry}'s to say.
 */
public record RepositoryPath(String domainName, String domainOwner, String format, String repository, String rest) {

  /** The repository endpoint under a base URL (no trailing slash): {@code {base}/{domain}-{owner}/{format}/{repo}/}. */
  public static String endpoint(String baseUrl, String domainName, String domainOwner, String format, String repository) {
    return baseUrl + "/" + domainName + "-" + domainOwner + "/" + format + "/" + repository + "/";
  }

  /** This path's repository endpoint under a base URL. */
  public String endpoint(String baseUrl) {
    return endpoint(baseUrl, domainName, domainOwner, format, repository);
  }

  /**
   * Parses a raw request path; empty when it is not under a repository endpoint. The segments are checked
   * character by character (every package request parses its path, twice): a domain of 2..50 of
   * {@code [a-z0-9-]} starting with a letter and not ending with {@code -}, a 12-digit owner, a format of
   * 1..16 lower-case letters, a repository of 2..100 of {@code [A-Za-z0-9._-]} starting with a letter or digit.
   */
  public static Optional<RepositoryPath> parse(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return Optional.empty();
    }
    int ownerEnd = rawPath.indexOf('/', 1);
    int formatEnd = ownerEnd < 0 ? -1 : rawPath.indexOf('/', ownerEnd + 1);
    if (formatEnd < 0) {
      return Optional.empty();
    }
    int repositoryEnd = rawPath.indexOf('/', formatEnd + 1);
    if (repositoryEnd < 0) {
      repositoryEnd = rawPath.length();
    }
    int dash = ownerEnd - 13;
    if (dash < 3 || rawPath.charAt(dash) != '-'
        || !domain(rawPath, 1, dash) || !all(rawPath, dash + 1, ownerEnd, RepositoryPath::digit)
        || !format(rawPath, ownerEnd + 1, formatEnd) || !repository(rawPath, formatEnd + 1, repositoryEnd)) {
      return Optional.empty();
    }
    String rest = repositoryEnd >= rawPath.length() ? "" : rawPath.substring(repositoryEnd + 1);
    if (!all(rest, 0, rest.length(), c -> c != '\n' && c != '\r' && c != '\u0085' && c != '\u2028' && c != '\u2029')) {
      return Optional.empty(); // never in a raw path; refused as the pattern this replaced refused it
    }
    return Optional.of(new RepositoryPath(rawPath.substring(1, dash), rawPath.substring(dash + 1, ownerEnd),
        rawPath.substring(ownerEnd + 1, formatEnd), rawPath.substring(formatEnd + 1, repositoryEnd), rest));
  }

  private static boolean domain(String s, int from, int to) {
    int length = to - from;
    return length >= 2 && length <= 50 && lower(s.charAt(from)) && s.charAt(to - 1) != '-'
        && all(s, from, to, c -> lower(c) || digit(c) || c == '-');
  }

  private static boolean format(String s, int from, int to) {
    int length = to - from;
    return length >= 1 && length <= 16 && all(s, from, to, RepositoryPath::lower);
  }

  private static boolean repository(String s, int from, int to) {
    int length = to - from;
    return length >= 2 && length <= 100 && (Character.isLetterOrDigit(s.charAt(from)) && s.charAt(from) < 128)
        && all(s, from, to, c -> lower(c) || digit(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-');
  }

  private static boolean all(String s, int from, int to, CharCheck check) {
    for (int i = from; i < to; i++) {
      if (!check.test(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A test of one character, without boxing it. */
  @FunctionalInterface
  private interface CharCheck {
    boolean test(char c);
  }

  private static boolean lower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
