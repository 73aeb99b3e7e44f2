package dev.wharf.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Yarn 2+ (berry)'s {@code .yarnrc.yml} for a Wharf login: {@code npmRegistryServer}, {@code npmAuthToken} and
 * {@code npmAlwaysAuth} at the top, or under {@code npmScopes.<scope>} for a namespace, as Yarn's
 * {@code npm} settings document them; for a plain-http endpoint its host joins {@code unsafeHttpWhitelist}, without
 * which Yarn refuses http. The file is read and written whole with jackson-dataformat-yaml, as
 * {@code yarn config set} rewrites it: comments are lost; other keys, values and their order stay.
 */
final class YarnrcConfig {
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());

  /** A .yarnrc.yml Wharf cannot edit: not YAML, or not a mapping. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message, Throwable cause) {
      super(".yarnrc.yml", message, cause);
    }
  }

  private YarnrcConfig() {}

  /** The file with the registry, the token and always-auth set, for the scope ("@ns") or for every package. */
  static String login(String existing, String endpoint, String token, String scope) throws InvalidConfigException {
    ObjectNode config = read(existing);
    ObjectNode registry = scope == null ? config : object(object(config, "npmScopes"), scope.substring(1));
    registry.put("npmRegistryServer", endpoint);
    registry.put("npmAuthToken", token);
    registry.put("npmAlwaysAuth", true);
    if (endpoint.startsWith("http://")) {
      String host = LoginUrls.netloc(endpoint).replaceFirst(":\\d+$", "");
      JsonNode list = config.path("unsafeHttpWhitelist");
      ArrayNode whitelist = list.isArray() ? (ArrayNode) list : config.putArray("unsafeHttpWhitelist");
      boolean present = false;
      for (JsonNode each : whitelist) {
        present |= each.asText().equals(host);
      }
      if (!present) {
        whitelist.add(host);
      }
    }
    return write(config);
  }

  /** Removes the registry settings (top level and per scope) that point at Wharf npm endpoints on host. */
  static String logout(String existing, String host) throws InvalidConfigException {
    ObjectNode config = read(existing);
    boolean changed = removeLogin(config, host);
    if (config.get("npmScopes") instanceof ObjectNode scopes) {
      List<String> emptied = new ArrayList<>();
      for (var entry : scopes.properties()) {
        if (entry.getValue() instanceof ObjectNode scoped && removeLogin(scoped, host)) {
          changed = true;
          if (scoped.isEmpty()) {
            emptied.add(entry.getKey());
          }
        }
      }
      emptied.forEach(scopes::remove);
      if (scopes.isEmpty()) {
        config.remove("npmScopes");
      }
    }
    return changed ? write(config) : existing;
  }

  private static boolean removeLogin(ObjectNode registry, String host) {
    String server = registry.path("npmRegistryServer").asText("");
    if (!NpmrcConfig.isWharfRegistry(server, host)) {
      return false;
    }
    registry.remove(List.of("npmRegistryServer", "npmAuthToken", "npmAlwaysAuth"));
    return true;
  }

  private static ObjectNode object(ObjectNode parent, String name) {
    return parent.get(name) instanceof ObjectNode child ? child : parent.putObject(name);
  }

  private static ObjectNode read(String existing) throws InvalidConfigException {
    if (existing.isBlank()) {
      return YAML.createObjectNode();
    }
    try {
      JsonNode node = YAML.readTree(existing);
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new InvalidConfigException("it is not a YAML mapping", null);
    } catch (JacksonException e) {
      throw new InvalidConfigException("it is not valid YAML (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static String write(ObjectNode config) {
    if (config.isEmpty()) {
      return "";
    }
    try {
      return YAML.writeValueAsString(config);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }
}
