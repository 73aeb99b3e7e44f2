package dev.wharf.cli;

/**
 * {@code global.index-url} in a pip configuration file, as {@code pip config set} writes it: the
 * repository's simple index with the token as the password of user {@code aws}.
 */
final class PipConfig {
  private PipConfig() {}

  static String indexUrl(String endpoint, String token) {
    return endpoint.replaceFirst("^(https?://)", "$1aws:" + token + "@") + "simple/";
  }

  static String login(String existing, String endpoint, String token) {
    IniFile ini = IniFile.parse(existing);
    ini.set("global", "index-url", indexUrl(endpoint, token));
    return ini.text();
  }

  /** Removes global.index-url when it points at the simple index of a Wharf PyPI endpoint. */
  static String logout(String existing, String host) {
    IniFile ini = IniFile.parse(existing);
    ini.value("global", "index-url").filter(url -> isWharfIndex(url, host)).ifPresent(url -> ini.remove("global", "index-url"));
    return ini.text();
  }

  private static boolean isWharfIndex(String url, String host) {
    try {
      return url.matches("https?://.*") && LoginUrls.hostMatches(LoginUrls.netloc(url), host)
          && LoginUrls.isRepositoryPath(LoginUrls.path(url), "pypi", "simple/?");
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
  }
}
