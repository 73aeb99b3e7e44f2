package dev.wharf.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines {@code npm config set} would write to an .npmrc (npm, pnpm and yarn classic read the
 * same file): {@code registry} or {@code @scope:registry}, and the token for the registry's URL
 * without its scheme. Other lines stay as they are.
 */
final class NpmrcConfig {
  /** npm's rule for scope names, as the aws CLI checks them. */
  private static final Pattern SCOPE = Pattern.compile("^@[a-z0-9-~][a-z0-9-._~]*");
  /** //host[:port]/path/:setting — the per-registry settings a login writes. */
  private static final Pattern CREDENTIAL = Pattern.compile("//([^/]+)(/.*):(?:_authToken|always-auth)");

  private NpmrcConfig() {}

  /** "@ns" for a namespace given as "ns" or "@ns"; refuses what npm would not accept as a scope. */
  static String scope(String namespace) {
    String scope = namespace.startsWith("@") ? namespace : "@" + namespace;
    if (!SCOPE.matcher(scope).lookingAt()) {
      throw new IllegalArgumentException(
          "Invalid scope name, scope must contain URL-safe characters, no leading dots or underscores");
    }
    return scope;
  }

  /** The settings a login makes, in the order they are written. */
  static Map<String, String> settings(String endpoint, String token, String scope, boolean alwaysAuth) {
    String registryKey = scope == null ? "registry" : scope + ":registry";
    String credentialPrefix = "//" + LoginUrls.netloc(endpoint) + LoginUrls.path(endpoint);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(registryKey, endpoint);
    settings.put(credentialPrefix + ":_authToken", token);
    if (alwaysAuth) {
      settings.put(credentialPrefix + ":always-auth", "true");
    }
    return settings;
  }

  static String login(String existing, String endpoint, String token, String scope, boolean alwaysAuth) {
    Map<String, String> settings = settings(endpoint, token, scope, alwaysAuth);
    List<String> out = new ArrayList<>();
    Map<String, String> pending = new LinkedHashMap<>(settings);
    for (String line : lines(existing)) {
      String key = key(line);
      if (key != null && settings.containsKey(key)) {
        if (pending.containsKey(key)) {
          out.add(key + "=" + pending.remove(key));
        }
        continue; // a duplicate of a line we own
      }
      out.add(line);
    }
    pending.forEach((key, value) -> out.add(key + "=" + value));
    return text(out);
  }

  /** Removes registry settings pointing at Wharf npm endpoints, and the credentials of such endpoints. */
  static String logout(String existing, String host) {
    List<String> out = new ArrayList<>();
    for (String line : lines(existing)) {
      String key = key(line);
      if (key != null && isWharfLine(key, value(line), host)) {
        continue;
      }
      out.add(line);
    }
    return text(out);
  }

  private static boolean isWharfLine(String key, String value, String host) {
    if (key.equals("registry") || (key.startsWith("@") && key.endsWith(":registry"))) {
      return isWharfRegistry(value, host);
    }
    Matcher credential = CREDENTIAL.matcher(key);
    return credential.matches() && LoginUrls.hostMatches(credential.group(1), host)
        && LoginUrls.isRepositoryPath(credential.group(2), "npm", "");
  }

  /** Whether the registry URL is a Wharf npm endpoint (on host, when given); .yarnrc.yml's too. */
  static boolean isWharfRegistry(String value, String host) {
    try {
      return value.matches("https?://.*") && LoginUrls.hostMatches(LoginUrls.netloc(value), host)
          && LoginUrls.isRepositoryPath(LoginUrls.path(value), "npm", "");
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\r?\n"));
  }

  private static String key(String line) {
    String trimmed = line.strip();
    int equals = trimmed.indexOf('=');
    if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";") || equals < 0) {
      return null;
    }
    return trimmed.substring(0, equals).strip();
  }

  private static String value(String line) {
    String trimmed = line.strip();
    return trimmed.substring(trimmed.indexOf('=') + 1).strip();
  }

  private static String text(List<String> lines) {
    List<String> kept = new ArrayList<>(lines);
    while (!kept.isEmpty() && kept.getLast().isBlank()) {
      kept.removeLast();
    }
    return kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
  }
}
