package dev.wharf.cli;

import java.net.URI;
import java.util.regex.Pattern;

/** Repository endpoint URLs as package clients are given them, and how to recognise Wharf's. */
final class LoginUrls {
  /** The path of a Wharf repository endpoint: [/public-url-path]/{domain}-{owner}/{format}/{repository}/. */
  private static final String REPOSITORY_PATH = "(?:/[^?#]*)?/[a-z0-9][a-z0-9-]*-[0-9]{12}/%s/[A-Za-z0-9][A-Za-z0-9._-]*/";

  private LoginUrls() {}

  /** The endpoint without a default port (:443 for https, :80 for http): clients match credentials by URL. */
  static String withoutDefaultPort(String endpoint) {
    URI uri = URI.create(endpoint);
    boolean defaultPort = ("https".equals(uri.getScheme()) && uri.getPort() == 443)
        || ("http".equals(uri.getScheme()) && uri.getPort() == 80);
    if (!defaultPort) {
      return endpoint;
    }
    return uri.getScheme() + "://" + uri.getHost() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /**
   * Whether the URL is what Maven 3.8.1 and later block as a repository ({@code external:http:*}, "Blocked mirror for
   * repositories"): plain http to a host other than localhost and 127.0.0.1.
   */
  static boolean isExternalHttp(String url) {
    URI uri = URI.create(url);
    return "http".equalsIgnoreCase(uri.getScheme()) && !"localhost".equals(uri.getHost()) && !"127.0.0.1".equals(uri.getHost());
  }

  /** The URL without user:password@ (an index URL that carries a token, as the repository it names). */
  static String withoutUserInfo(String url) {
    return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
  }

  /** host[:port] as it appears in the URL. */
  static String netloc(String endpoint) {
    return URI.create(endpoint).getRawAuthority();
  }

  static String path(String endpoint) {
    return URI.create(endpoint).getRawPath();
  }

  /** Whether path is the endpoint of a Wharf repository of the format (npm, pypi, maven), optionally followed by more. */
  static boolean isRepositoryPath(String path, String format, String suffix) {
    return Pattern.matches(REPOSITORY_PATH.formatted(Pattern.quote(format)) + suffix, path);
  }

  /**
   * Whether url is an http(s) URL of a Wharf repository endpoint of the format on host (any host when null),
   * followed by what suffix matches (a regular expression; "" for the endpoint itself).
   */
  static boolean isWharfEndpoint(String url, String host, String format, String suffix) {
    try {
      return url.matches("https?://.*") && hostMatches(netloc(url), host) && isRepositoryPath(path(url), format, suffix);
    } catch (IllegalArgumentException | NullPointerException notAUrl) {
      return false;
    }
  }

  /** Whether netloc (host or host:port) is the one logout was asked about; any host when none was given. */
  static boolean hostMatches(String netloc, String wantedHost) {
    if (wantedHost == null) {
      return true;
    }
    String host = netloc.contains("@") ? netloc.substring(netloc.lastIndexOf('@') + 1) : netloc;
    return host.equalsIgnoreCase(wantedHost) || host.toLowerCase(java.util.Locale.ROOT)
        .startsWith(wantedHost.toLowerCase(java.util.Locale.ROOT) + ":");
  }
}
