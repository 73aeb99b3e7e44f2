package dev.wharf.format;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package-endpoint path: {@code /{domain}-{owner}/{format}/{repository}/{rest}}. Which formats
 * are served is {@link FormatRegistry}'s to say.
 */
public record RepositoryPath(String domainName, String domainOwner, String format, String repository, String rest) {
  private static final Pattern PATH = Pattern.compile(
      "/([a-z][a-z0-9\\-]{0,48}[a-z0-9])-([0-9]{12})/([a-z]{1,16})/"
          + "([A-Za-z0-9][A-Za-z0-9._\\-]{1,99})(/.*)?");

  /** The repository endpoint under a base URL (no trailing slash): {@code {base}/{domain}-{owner}/{format}/{repo}/}. */
  public static String endpoint(String baseUrl, String domainName, String domainOwner, String format, String repository) {
    return baseUrl + "/" + domainName + "-" + domainOwner + "/" + format + "/" + repository + "/";
  }

  /** This path's repository endpoint under a base URL. */
  public String endpoint(String baseUrl) {
    return endpoint(baseUrl, domainName, domainOwner, format, repository);
  }

  /** Parses a raw request path; empty when it is not under a repository endpoint. */
  public static Optional<RepositoryPath> parse(String rawPath) {
    Matcher m = PATH.matcher(rawPath);
    if (!m.matches()) {
      return Optional.empty();
    }
    String rest = m.group(5) == null ? "" : m.group(5).substring(1);
    return Optional.of(new RepositoryPath(m.group(1), m.group(2), m.group(3), m.group(4), rest));
  }
}
