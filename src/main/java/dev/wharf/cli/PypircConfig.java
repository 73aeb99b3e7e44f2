package dev.wharf.cli;

import java.util.List;

/**
 * The {@code codeartifact} index server of a .pypirc, as {@code aws codeartifact login --tool twine}
 * writes it: listed in {@code [distutils] index-servers}, with the endpoint, user {@code aws} and the
 * token. Other servers and settings stay as they are.
 */
final class PypircConfig {
  static final String SERVER = "codeartifact";

  private PypircConfig() {}

  static String login(String existing, String endpoint, String token) {
    IniFile ini = IniFile.parse(existing);
    if (ini.entry("distutils", "index-servers").isEmpty()) {
      ini.setList("distutils", "index-servers", List.of("pypi", SERVER));
    } else if (!ini.entry("distutils", "index-servers").orElseThrow().words().contains(SERVER)) {
      ini.appendToList("distutils", "index-servers", SERVER);
    }
    ini.set(SERVER, "repository", endpoint);
    ini.set(SERVER, "username", "aws");
    ini.set(SERVER, "password", token);
    return ini.text();
  }

  /** Removes the codeartifact section and its index-servers entry; with a host, only when the section points there. */
  static String logout(String existing, String host) {
    IniFile ini = IniFile.parse(existing);
    boolean ours = ini.value(SERVER, "repository").map(url -> {
      try {
        return LoginUrls.hostMatches(LoginUrls.netloc(url), host);
      } catch (IllegalArgumentException notAUrl) {
        return host == null;
      }
    }).orElse(host == null);
    if (!ours) {
      return ini.text();
    }
    ini.removeSection(SERVER);
    ini.entry("distutils", "index-servers").filter(e -> e.words().contains(SERVER))
        .ifPresent(e -> ini.removeFromList("distutils", "index-servers", SERVER));
    return ini.text();
  }
}
