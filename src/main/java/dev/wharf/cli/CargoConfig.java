package dev.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cargo's config.toml: registry {@code codeartifact} with the repository's sparse index and, as its
 * credential provider, a command cargo runs for a fresh token whenever it needs one (cargo's
 * {@code cargo:token-from-stdout}); made the default registry and the replacement of crates.io, as AWS
 * documents for CodeArtifact. No token is written.
 *
 * <p>The file is edited as a {@link TomlFile}: comments, order and layout survive, and an edit that would change
 * anything but these keys is refused.
 */
final class CargoConfig {
  static final String REGISTRY = "codeartifact";
  static final String TOKEN_FROM_STDOUT = "cargo:token-from-stdout";

  private static final TomlMapper TOML = TomlFile.TOML;
  private static final String HINT = "registries." + REGISTRY + ", registry or source.crates-io is written as a dotted"
      + " key or an inline table, which wharf does not rewrite; make it a [table]";
  private static final List<String> REGISTRY_TABLE = List.of("registries", REGISTRY);
  private static final List<String> DEFAULT = List.of("registry", "default");
  private static final List<String> REPLACE_WITH = List.of("source", "crates-io", "replace-with");

  /** The credential provider cargo runs: the token command's output is the token. */
  static List<String> credentialProvider(List<String> tokenCommand) {
    List<String> provider = new ArrayList<>();
    provider.add(TOKEN_FROM_STDOUT);
    provider.addAll(tokenCommand);
    return provider;
  }

  static String login(String existing, String endpoint, List<String> tokenCommand) throws TomlFile.InvalidTomlException {
    JsonNode before = read(existing);
    TomlFile config = TomlFile.parse(existing);
    Map<List<String>, JsonNode> wanted = new LinkedHashMap<>();
    wanted.put(List.of("registries", REGISTRY, "index"), TOML.getNodeFactory().textNode("sparse+" + endpoint));
    var provider = TOML.getNodeFactory().arrayNode();
    credentialProvider(tokenCommand).forEach(provider::add);
    wanted.put(List.of("registries", REGISTRY, "credential-provider"), provider);
    wanted.put(DEFAULT, TOML.getNodeFactory().textNode(REGISTRY));
    wanted.put(REPLACE_WITH, TOML.getNodeFactory().textNode(REGISTRY));
    wanted.forEach((path, value) -> config.set(path.subList(0, path.size() - 1), path.getLast(), TomlFile.toml(value)));
    String text = config.text();
    JsonNode after = read(text, "wharf's edit");
    wanted.forEach((path, value) -> {
      if (!value.equals(after.at(TomlFile.pointer(path)))) {
        throw new IllegalStateException("the edit did not set " + String.join(".", path));
      }
    });
    requireOthersUnchanged(before, after, wanted.keySet());
    return text;
  }

  /**
   * Removes registry {@code codeartifact} when its index is a Wharf cargo endpoint (on host, when given), and
   * registry.default and source.crates-io.replace-with when they name it.
   */
  static String logout(String existing, String host) throws TomlFile.InvalidTomlException {
    JsonNode before = read(existing);
    JsonNode index = before.at(TomlFile.pointer(List.of("registries", REGISTRY, "index")));
    if (!index.isTextual() || !isWharfIndex(index.asText(), host)) {
      return existing;
    }
    TomlFile config = TomlFile.parse(existing);
    List<List<String>> removed = new ArrayList<>();
    config.removeTable(REGISTRY_TABLE);
    removed.add(REGISTRY_TABLE);
    for (List<String> path : List.of(DEFAULT, REPLACE_WITH)) {
      if (REGISTRY.equals(before.at(TomlFile.pointer(path)).asText(null))) {
        config.remove(path.subList(0, path.size() - 1), path.getLast());
        removed.add(path);
      }
    }
    String text = config.text();
    JsonNode after = read(text, "wharf's edit");
    requireOthersUnchanged(before, after, removed);
    return text;
  }

  private static boolean isWharfIndex(String index, String host) {
    return index.startsWith("sparse+") && LoginUrls.isWharfEndpoint(index.substring("sparse+".length()), host, "cargo", "");
  }


  // ---------------------------------------------------------------- checking with TomlMapper

  private static JsonNode read(String text) throws TomlFile.InvalidTomlException {
    return TomlFile.read(text, "it", HINT);
  }

  private static JsonNode read(String text, String what) throws TomlFile.InvalidTomlException {
    return TomlFile.read(text, what, HINT);
  }

  private static void requireOthersUnchanged(JsonNode before, JsonNode after, Iterable<List<String>> paths)
      throws TomlFile.InvalidTomlException {
    TomlFile.requireOthersUnchanged(before, after, paths, HINT);
  }
}
