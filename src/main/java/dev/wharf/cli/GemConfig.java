package dev.wharf.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RubyGems' two files for a Wharf login. The credentials file (~/.gem/credentials), where
 * {@code gem push --host H} takes the API key stored under the string H ({@code Gem.configuration.api_keys[host]}
 * in rubygems/gemcutter_utilities.rb): the key {@code Bearer TOKEN} under the endpoint, with and without
 * its trailing slash (AWS's Ruby setup strips it from RUBYGEMS_HOST). And the gemrc (~/.gemrc), whose
 * {@code :sources:} {@code gem install} searches: the endpoint with {@code aws:TOKEN@}, first, in place of
 * the Wharf sources there were.
 *
 * <p>The files are read with jackson-dataformat-yaml and written again whole, as {@code gem} itself
 * rewrites its credentials file: comments, anchors and the layout are lost; keys, values and their order
 * stay. Jackson's YAML writer is not used because it cannot tell Ruby's symbols ({@code :sources:},
 * {@code :verbose: :really}), which must stay plain, from strings, which are quoted here: a plain scalar
 * that starts with a colon is written plain again, so a quoted string like {@code ":x"} would come back a
 * symbol (gem never writes one).
 */
final class GemConfig {
  static final String SOURCES = ":sources";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SYMBOL = Pattern.compile(":[A-Za-z_][A-Za-z0-9_]*[?!]?");
  private static final Pattern PLAIN_KEY = Pattern.compile(":?[A-Za-z_][A-Za-z0-9_]*");
  /** Words YAML 1.1 (Psych) reads as booleans or nil when plain. */
  private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

  /** A file Wharf cannot edit: not YAML, or not a mapping. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message, Throwable cause) {
      super("configuration", message, cause);
    }
  }

  private GemConfig() {}

  /** The source gem install is given: the endpoint with the token as the password of user aws. */
  static String source(String endpoint, String token) {
    return endpoint.replaceFirst("^(https?://)", "$1aws:" + token + "@");
  }

  /** The endpoint and the endpoint without its trailing slash: the --host strings the key is stored under. */
  static List<String> hosts(String endpoint) {
    String bare = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return bare.equals(endpoint) ? List.of(endpoint) : List.of(endpoint, bare);
  }

  static String loginCredentials(String existing, String endpoint, String token) throws InvalidConfigException {
    ObjectNode credentials = read(existing);
    for (String host : hosts(endpoint)) {
      credentials.put(host, "Bearer " + token);
    }
    return write(credentials);
  }

  /** Removes the keys stored under Wharf Ruby endpoints (on host, when given). */
  static String logoutCredentials(String existing, String host) throws InvalidConfigException {
    ObjectNode credentials = read(existing);
    List<String> wharf = new ArrayList<>();
    credentials.fieldNames().forEachRemaining(name -> {
      if (isWharfEndpoint(name.endsWith("/") ? name : name + "/", host)) {
        wharf.add(name);
      }
    });
    if (wharf.isEmpty()) {
      return existing;
    }
    credentials.remove(wharf);
    return write(credentials);
  }

  static String loginGemrc(String existing, String endpoint, String token) throws InvalidConfigException {
    ObjectNode gemrc = read(existing);
    ArrayNode sources = gemrc.arrayNode();
    sources.add(source(endpoint, token));
    otherSources(gemrc, null).forEach(sources::add);
    gemrc.set(SOURCES, sources);
    return write(gemrc);
  }

  /** Removes the Wharf Ruby endpoints (on host, when given) from :sources:, and :sources: when it is left empty. */
  static String logoutGemrc(String existing, String host) throws InvalidConfigException {
    ObjectNode gemrc = read(existing);
    if (!(gemrc.get(SOURCES) instanceof ArrayNode before)) {
      return existing;
    }
    List<JsonNode> kept = otherSources(gemrc, host);
    if (kept.size() == before.size()) {
      return existing;
    }
    if (kept.isEmpty()) {
      gemrc.remove(SOURCES); // gem's default, rubygems.org, again
    } else {
      gemrc.set(SOURCES, gemrc.arrayNode().addAll(kept));
    }
    return write(gemrc);
  }

  /** The sources of the gemrc that are not Wharf Ruby endpoints (on host, when given), without their credentials. */
  static List<String> otherSourcesForDisplay(String gemrc) throws InvalidConfigException {
    List<String> sources = new ArrayList<>();
    for (JsonNode source : otherSources(read(gemrc), null)) {
      sources.add(source.asText().replaceFirst("^(https?://)[^/@]*@", "$1"));
    }
    return sources;
  }

  private static List<JsonNode> otherSources(ObjectNode gemrc, String host) {
    List<JsonNode> others = new ArrayList<>();
    if (gemrc.get(SOURCES) instanceof ArrayNode sources) {
      sources.forEach(source -> {
        if (!(source.isTextual() && isWharfEndpoint(source.asText(), host))) {
          others.add(source);
        }
      });
    }
    return others;
  }

  private static boolean isWharfEndpoint(String url, String host) {
    return LoginUrls.isWharfEndpoint(url, host, "ruby", "");
  }


  // ---------------------------------------------------------------- reading and writing

  private static ObjectNode read(String text) throws InvalidConfigException {
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new InvalidConfigException("it is not valid YAML: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return YAML.createObjectNode();
    }
    if (!(node instanceof ObjectNode mapping)) {
      throw new InvalidConfigException("it is not a YAML mapping of settings", null);
    }
    return mapping;
  }

  /** The YAML of the mapping, as Psych writes it (a document start first); empty when the mapping is. */
  private static String write(ObjectNode root) {
    if (root.isEmpty()) {
      return "";
    }
    StringBuilder yaml = new StringBuilder("---\n");
    writeMapping(root, "", yaml);
    return yaml.toString();
  }

  private static void writeMapping(ObjectNode mapping, String indent, StringBuilder yaml) {
    mapping.properties().forEach(entry -> {
      yaml.append(indent).append(key(entry.getKey())).append(':');
      JsonNode value = entry.getValue();
      if (value instanceof ObjectNode child && !child.isEmpty()) {
        yaml.append('\n');
        writeMapping(child, indent + "  ", yaml);
      } else if (value instanceof ArrayNode list && !list.isEmpty()) {
        yaml.append('\n');
        // items that are lists or mappings are written as JSON, which YAML reads as flow collections
        list.forEach(item -> yaml.append(indent).append("- ").append(item.isContainerNode() ? item.toString() : scalar(item))
            .append('\n'));
      } else {
        yaml.append(' ').append(value.isContainerNode() ? value.toString() : scalar(value)).append('\n');
      }
    });
  }

  private static String key(String key) {
    return PLAIN_KEY.matcher(key).matches() && !RESERVED.contains(key.toLowerCase(Locale.ROOT)) ? key : quoted(key);
  }

  private static String scalar(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return SYMBOL.matcher(value.asText()).matches() ? value.asText() : quoted(value.asText());
    }
    return value.asText();
  }

  /** A double-quoted scalar: JSON's escapes are YAML's too. */
  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JacksonException e) {
      throw new IllegalStateException(e);
    }
  }
}
