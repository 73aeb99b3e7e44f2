package dev.wharf.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code aws codeartifact login --tool swift} leaves behind, written without a Swift toolchain:
 * SwiftPM's {@code .swiftpm/configuration/registries.json} with the repository as the registry (of the
 * default scope, or of one scope) and its host's Basic login at the repository's {@code login} path,
 * as {@code swift package-registry set} and {@code login} write them; and the {@code ~/.netrc} entry
 * {@code machine HOST login token password TOKEN}, which SwiftPM sends as Basic credentials.
 */
final class SwiftConfig {
  static final String DEFAULT_SCOPE = "[default]";
  private static final Pattern SCOPE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,38}");

  /** A registries.json that is not JSON, or not SwiftPM's shape. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message) {
      super("registries.json", message, null);
    }
  }

  private SwiftConfig() {}

  /** The scope as SwiftPM takes it (what aws checks before it runs swift package-registry set --scope). */
  static String scope(String namespace) {
    if (!SCOPE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("Invalid scope name, scope must be 1 to 39 letters, digits and inner hyphens");
    }
    return namespace;
  }

  /** registries.json with the endpoint as the registry of {@code scope} (null: the default) and its host's login. */
  static String loginRegistries(String existing, String endpoint, String scope) throws InvalidConfigException {
    ObjectNode config = parse(existing);
    config.put("version", 1);
    ObjectNode registries = object(config, "registries");
    registries.putObject(scope == null ? DEFAULT_SCOPE : scope).put("supportsAvailability", false).put("url", endpoint);
    URI uri = URI.create(endpoint);
    object(config, "authentication").putObject(uri.getHost()).put("loginAPIPath", uri.getRawPath() + "login")
        .put("type", "basic");
    return write(config);
  }

  /** A Wharf Swift endpoint's path: /{domain}-{owner}/swift/{repository}/. */
  private static final Pattern WHARF_PATH = Pattern.compile("/[^/]+-\\d{12}/swift/[^/]+/");

  /**
   * The hosts of the Wharf repositories registries.json names (only {@code host}'s when it is given):
   * what a logout removes there and in ~/.netrc.
   */
  static java.util.Set<String> wharfHosts(String existing, String host) throws InvalidConfigException {
    java.util.Set<String> hosts = new java.util.TreeSet<>();
    parse(existing).path("registries").forEach(registry -> {
      try {
        URI url = URI.create(registry.path("url").asText(""));
        if (url.getHost() != null && url.getRawPath() != null && WHARF_PATH.matcher(url.getRawPath()).matches()
            && (host == null || host.equalsIgnoreCase(url.getHost()))) {
          hosts.add(url.getHost());
        }
      } catch (IllegalArgumentException e) {
        // not a URL: not ours
      }
    });
    return hosts;
  }

  /** registries.json without the Wharf registries on {@code hosts} and those hosts' logins. */
  static String logoutRegistries(String existing, java.util.Set<String> hosts) throws InvalidConfigException {
    if (hosts.isEmpty()) {
      return existing;
    }
    ObjectNode config = parse(existing);
    List<String> scopes = new ArrayList<>();
    config.path("registries").properties().forEach(entry -> {
      try {
        URI url = URI.create(entry.getValue().path("url").asText(""));
        if (url.getHost() != null && hosts.contains(url.getHost()) && url.getRawPath() != null
            && WHARF_PATH.matcher(url.getRawPath()).matches()) {
          scopes.add(entry.getKey());
        }
      } catch (IllegalArgumentException e) {
        // not ours
      }
    });
    scopes.forEach(((ObjectNode) config.path("registries"))::remove);
    if (config.path("authentication") instanceof ObjectNode authentication) {
      hosts.forEach(authentication::remove);
      if (authentication.isEmpty()) {
        config.remove("authentication");
      }
    }
    if (config.path("registries").isEmpty() && !config.has("authentication") && config.size() <= 2) {
      return ""; // only what the login made: the file goes
    }
    return write(config);
  }

  /**
   * ~/.netrc with the host's entry made {@code login token password TOKEN}, or that entry appended, as aws does. An
   * entry of the host with another login gets {@code token} as its login too: SwiftPM sends the entry's login as the
   * Basic user, and a registry takes the token only from the user {@code token} (or {@code aws}).
   */
  static String loginNetrc(String existing, String endpoint, String token) {
    String host = URI.create(endpoint).getHost();
    Matcher entry = entry(host).matcher(existing);
    if (entry.find()) {
      return existing.substring(0, entry.start(2)) + "token" + existing.substring(entry.end(2), entry.start(4)) + token
          + existing.substring(entry.end(4));
    }
    String line = "machine " + host + " login token password " + token + "\n";
    return existing.isEmpty() || existing.endsWith("\n") ? existing + line : existing + "\n" + line;
  }

  /** ~/.netrc without the one-line entries of {@code hosts}. */
  static String logoutNetrc(String existing, java.util.Set<String> hosts) {
    String out = existing;
    for (String host : hosts) {
      out = Pattern.compile("(?m)^[ \\t]*machine\\s+" + Pattern.quote(host)
          + "\\s+login\\s+\\S+\\s+password\\s+\\S+[ \\t]*\\R?").matcher(out).replaceAll("");
    }
    return out;
  }


  private static Pattern entry(String host) {
    return Pattern.compile("(\\bmachine\\s+" + Pattern.quote(host) + "\\s+login\\s+)(\\S+)(\\s+password\\s+)(\\S+)");
  }

  private static ObjectNode parse(String existing) throws InvalidConfigException {
    ObjectNode object = JsonConfigFile.parse(existing, "registries.json", InvalidConfigException::new);
    for (String field : List.of("registries", "authentication")) {
      if (object.has(field) && !object.get(field).isObject()) {
        throw new InvalidConfigException("registries.json's '" + field + "' is not an object");
      }
    }
    return object;
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return parent.get(field) instanceof ObjectNode object ? object : parent.putObject(field);
  }

  private static String write(ObjectNode config) {
    return JsonConfigFile.write(config);
  }
}
