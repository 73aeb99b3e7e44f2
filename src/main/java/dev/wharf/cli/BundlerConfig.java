package dev.wharf.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bundler's config file (~/.bundle/config): the credential {@code aws:TOKEN} under {@code BUNDLE_<HOST>},
 * which bundler uses for every source on that host ({@code Settings#credentials_for(uri)} looks up the
 * source's URL, then its host without the port; {@code Settings.key_for} upper-cases it with {@code .} as
 * {@code __} and {@code -} as {@code ___}).
 *
 * <p>The file is bundler's own subset of YAML, one {@code KEY: "value"} a line, read line by line by
 * bundler's YAMLSerializer (not a YAML parser: escapes are not read, a line it does not match is skipped).
 * So it is edited line by line: the other lines stay as they are.
 */
final class BundlerConfig {
  private static final Pattern TOP_LEVEL_KEY = Pattern.compile("^([^\\s#:][^:]*):(?:\\s|$)(.*)$");
  private static final Pattern HOST_KEY = Pattern.compile("BUNDLE_[A-Z0-9_]+");
  private static final Pattern TOKEN = Pattern.compile("[^\"\\\\\\s]+");

  private BundlerConfig() {}

  /** The setting for the endpoint's host, as {@code bundle config set --global HOST aws:TOKEN} names it. */
  static String key(String endpoint) {
    String host = URI.create(endpoint).getHost();
    return "BUNDLE_" + host.replace(".", "__").replace("-", "___").toUpperCase(Locale.ROOT);
  }

  /** The host a {@code BUNDLE_<HOST>} key stands for (lower case), as bundler's {@code all} reads keys back. */
  static String host(String key) {
    return key.substring("BUNDLE_".length()).replace("___", "-").replace("__", ".").toLowerCase(Locale.ROOT);
  }

  static String login(String existing, String endpoint, String token) {
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("the token has characters bundler's config cannot hold");
    }
    String key = key(endpoint);
    String line = key + ": \"aws:" + token + "\"";
    List<String> lines = lines(existing);
    int at = -1;
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (key.equals(keyOf(lines.get(i)))) {
        lines.remove(i);
        at = i;
      }
    }
    if (lines.isEmpty()) {
      lines.add("---");
      at = -1;
    }
    lines.add(at < 0 ? lines.size() : at, line);
    return String.join("\n", lines) + "\n";
  }

  /**
   * Removes the {@code BUNDLE_<HOST>} settings whose value is an {@code aws:} credential, on host when given,
   * except for AWS's own CodeArtifact hosts; a file left with no setting is emptied.
   */
  static String logout(String existing, String host) {
    String wantedHost = host == null ? null : host.replaceFirst(":[0-9]+$", "");
    List<String> lines = lines(existing);
    boolean removed = lines.removeIf(line -> {
      Matcher setting = TOP_LEVEL_KEY.matcher(line);
      if (!setting.matches() || !HOST_KEY.matcher(setting.group(1)).matches()) {
        return false;
      }
      String keyHost = host(setting.group(1));
      return setting.group(2).strip().replaceFirst("^[\"']", "").startsWith("aws:")
          && !keyHost.endsWith(".amazonaws.com")
          && (wantedHost == null || keyHost.equalsIgnoreCase(wantedHost));
    });
    if (!removed) {
      return existing;
    }
    if (lines.stream().allMatch(line -> line.isBlank() || line.strip().equals("---"))) {
      return "";
    }
    return String.join("\n", lines) + "\n";
  }

  private static String keyOf(String line) {
    Matcher setting = TOP_LEVEL_KEY.matcher(line);
    return setting.matches() ? setting.group(1) : null;
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    while (!lines.isEmpty() && lines.getLast().isBlank()) {
      lines.removeLast();
    }
    return lines;
  }
}
