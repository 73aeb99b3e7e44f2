package dev.wharf.cli;

import java.util.List;

/**
 * {@code global.index-url} in a pip configuration file, as {@code pip config set} writes it: the
 * repository's simple index with the token as the password of user {@code aws}. Or, with
 * {@code --extra-index}, one more entry of {@code global.extra-index-url}: the index pip used stays,
 * and pip takes each package from whichever index has the best version (dependency confusion: a
 * public package with the name of a private one and a higher version wins).
 */
final class PipConfig {
  private static final String EXTRA_INDEX_URL = "extra-index-url";

  private PipConfig() {}

  /** The simple index with user aws and the token as its password; with no token (null), the user alone. */
  static String indexUrl(String endpoint, String token) {
    return endpoint.replaceFirst("^(https?://)", "$1aws" + (token == null ? "" : ":" + token) + "@") + "simple/";
  }

  /**
   * global.keyring-provider = subprocess: pip (23.1 and later) runs the {@code keyring} command on PATH for the
   * password of an index URL's user, which wharf-keyring answers with a fresh token.
   */
  static String useKeyring(String existing) {
    IniFile ini = IniFile.parse(existing);
    ini.set("global", "keyring-provider", "subprocess");
    return ini.text();
  }

  static String login(String existing, String endpoint, String token) {
    IniFile ini = IniFile.parse(existing);
    ini.set("global", "index-url", indexUrl(endpoint, token));
    return ini.text();
  }

  /**
   * Adds the repository's index to global.extra-index-url (after the entries there), replacing an earlier
   * login's entry for the same repository; index-url and the other entries are kept.
   */
  static String loginExtraIndex(String existing, String endpoint, String token) {
    IniFile ini = IniFile.parse(existing);
    String url = indexUrl(endpoint, token);
    String withoutCredentials = endpoint + "simple/";
    var entry = ini.entry("global", EXTRA_INDEX_URL);
    if (entry.isEmpty()) {
      ini.set("global", EXTRA_INDEX_URL, url);
      return ini.text();
    }
    for (String each : entry.get().words()) {
      if (LoginUrls.withoutUserInfo(each).equals(withoutCredentials)) {
        ini.removeFromList("global", EXTRA_INDEX_URL, each);
      }
    }
    if (ini.entry("global", EXTRA_INDEX_URL).orElseThrow().words().isEmpty()) {
      ini.set("global", EXTRA_INDEX_URL, url);
    } else {
      ini.appendToList("global", EXTRA_INDEX_URL, url);
    }
    return ini.text();
  }

  /**
   * Removes global.index-url when it points at the simple index of a Wharf PyPI endpoint, and such indexes
   * from global.extra-index-url (the entry goes when none is left).
   */
  static String logout(String existing, String host) {
    IniFile ini = IniFile.parse(existing);
    ini.value("global", "index-url").filter(url -> isWharfIndex(url, host)).ifPresent(url -> ini.remove("global", "index-url"));
    ini.entry("global", EXTRA_INDEX_URL).ifPresent(entry -> {
      List<String> wharf = entry.words().stream().filter(url -> isWharfIndex(url, host)).toList();
      wharf.forEach(url -> ini.removeFromList("global", EXTRA_INDEX_URL, url));
      if (!wharf.isEmpty() && ini.entry("global", EXTRA_INDEX_URL).orElseThrow().words().isEmpty()) {
        ini.remove("global", EXTRA_INDEX_URL);
      }
    });
    return ini.text();
  }

  private static boolean isWharfIndex(String url, String host) {
    return LoginUrls.isWharfEndpoint(url, host, "pypi", "simple/?");
  }

}
