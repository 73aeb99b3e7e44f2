package dev.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * poetry's configuration, as {@code poetry config} writes it: {@code repositories.codeartifact.url}, the upload URL
 * {@code poetry publish -r codeartifact} uses, in config.toml; {@code http-basic.codeartifact} (user {@code aws},
 * the token) in auth.toml, which poetry reads for the repository and for a source of that name in pyproject.toml.
 * A project's poetry.toml holds both. Edited as a {@link TomlFile}: other settings survive.
 */
final class PoetryConfig {
  static final String NAME = "codeartifact";
  private static final List<String> REPOSITORY = List.of("repositories", NAME);
  private static final List<String> CREDENTIALS = List.of("http-basic", NAME);
  private static final String HINT = "repositories." + NAME + " or http-basic." + NAME + " is written as a dotted key"
      + " or an inline table, which wharf does not rewrite; make it a [table]";

  private PoetryConfig() {}

  /** Sets repositories.codeartifact.url to the endpoint. */
  static String loginRepository(String existing, String endpoint) throws TomlFile.InvalidTomlException {
    return set(existing, REPOSITORY, List.of("url"), List.of(endpoint));
  }

  /** Sets http-basic.codeartifact to user aws and the token. */
  static String loginCredentials(String existing, String token) throws TomlFile.InvalidTomlException {
    return set(existing, CREDENTIALS, List.of("username", "password"), List.of("aws", token));
  }

  /** Removes repositories.codeartifact when its URL is a Wharf PyPI endpoint (on host, when given). */
  static String logoutRepository(String existing, String host) throws TomlFile.InvalidTomlException {
    JsonNode url = TomlFile.read(existing, "it", HINT).at(TomlFile.pointer(List.of("repositories", NAME, "url")));
    return url.isTextual() && isWharfEndpoint(url.asText(), host) ? remove(existing, REPOSITORY) : existing;
  }

  /** Removes http-basic.codeartifact when its user is aws, the user CodeArtifact's tokens go with. */
  static String logoutCredentials(String existing) throws TomlFile.InvalidTomlException {
    JsonNode user = TomlFile.read(existing, "it", HINT).at(TomlFile.pointer(List.of("http-basic", NAME, "username")));
    return "aws".equals(user.asText(null)) ? remove(existing, CREDENTIALS) : existing;
  }

  private static String set(String existing, List<String> table, List<String> keys, List<String> values)
      throws TomlFile.InvalidTomlException {
    JsonNode before = TomlFile.read(existing, "it", HINT);
    TomlFile file = TomlFile.parse(existing);
    for (int i = 0; i < keys.size(); i++) {
      file.set(table, keys.get(i), TomlFile.toml(TomlFile.TOML.getNodeFactory().textNode(values.get(i))));
    }
    String text = file.text();
    JsonNode after = TomlFile.read(text, "wharf's edit", HINT);
    for (int i = 0; i < keys.size(); i++) {
      List<String> path = List.of(table.get(0), table.get(1), keys.get(i));
      if (!values.get(i).equals(after.at(TomlFile.pointer(path)).asText(null))) {
        throw new IllegalStateException("the edit did not set " + String.join(".", path));
      }
    }
    TomlFile.requireOthersUnchanged(before, after, keys.stream().map(key -> List.of(table.get(0), table.get(1), key))
        .toList(), HINT);
    return text;
  }

  private static String remove(String existing, List<String> table) throws TomlFile.InvalidTomlException {
    JsonNode before = TomlFile.read(existing, "it", HINT);
    TomlFile file = TomlFile.parse(existing);
    file.removeTable(table);
    String text = file.text();
    TomlFile.requireOthersUnchanged(before, TomlFile.read(text, "wharf's edit", HINT), List.of(table), HINT);
    return text;
  }

  private static boolean isWharfEndpoint(String url, String host) {
    return LoginUrls.isWharfEndpoint(url, host, "pypi", "");
  }

}
