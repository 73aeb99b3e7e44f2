package dev.wharf.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The configuration file of wharf-keyring (clients/python/wharf-keyring), the keyring backend pip and poetry ask
 * for a password: {@code ~/.config/wharf/keyring.json}, a list of repository endpoints, each with the command that
 * prints a GetAuthorizationToken answer (JSON) for its domain. The backend answers a URL under an endpoint with
 * user {@code aws} and a token from that command (cached until shortly before it expires), as cargo's credential
 * provider runs wharf: no token is written.
 */
final class KeyringConfig {
  /** The class keyring loads by name (PYTHON_KEYRING_BACKEND) where the system keyring cannot be unlocked. */
  static final String BACKEND = "wharf_keyring.WharfKeyring";
  private static final String ENDPOINTS = "endpoints";

  /** A keyring.json that is not JSON, or not the backend's shape. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message) {
      super("keyring.json", message, null);
    }
  }

  private KeyringConfig() {}

  /** Lists the endpoint with its token command, in place of an earlier entry for the same endpoint. */
  static String login(String existing, String endpoint, List<String> tokenCommand) throws InvalidConfigException {
    ObjectNode config = parse(existing);
    ArrayNode endpoints = endpoints(config);
    ObjectNode entry = JsonConfigFile.JSON.createObjectNode().put("url", endpoint);
    tokenCommand.forEach(entry.putArray("command")::add);
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoint.equals(endpoints.get(i).path("url").asText(null))) {
        endpoints.set(i, entry);
        return write(config);
      }
    }
    endpoints.add(entry);
    return write(config);
  }

  /** Removes the Wharf PyPI endpoints (on host, when given); the file goes when nothing else is left in it. */
  static String logout(String existing, String host) throws InvalidConfigException {
    ObjectNode config = parse(existing);
    ArrayNode endpoints = endpoints(config);
    for (int i = endpoints.size() - 1; i >= 0; i--) {
      if (LoginUrls.isWharfEndpoint(endpoints.get(i).path("url").asText(""), host, "pypi", "")) {
        endpoints.remove(i);
      }
    }
    if (endpoints.isEmpty() && config.size() == 1) {
      return "";
    }
    return write(config);
  }

  private static ObjectNode parse(String existing) throws InvalidConfigException {
    ObjectNode object = JsonConfigFile.parse(existing, "keyring.json", InvalidConfigException::new);
    if (object.has(ENDPOINTS) && !object.get(ENDPOINTS).isArray()) {
      throw new InvalidConfigException("keyring.json's '" + ENDPOINTS + "' is not a list");
    }
    return object;
  }

  private static ArrayNode endpoints(ObjectNode config) {
    return config.get(ENDPOINTS) instanceof ArrayNode list ? list : config.putArray(ENDPOINTS);
  }

  private static String write(ObjectNode config) {
    return JsonConfigFile.write(config);
  }
}
