package dev.wharf.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * uv's uv.toml: one {@code [[index]]} named {@code codeartifact}, the repository's simple index as uv's default
 * index (in place of PyPI) and its upload URL for {@code uv publish --index codeartifact}, as uv documents
 * named indexes. No token is written: uv takes an index's credentials from
 * {@code UV_INDEX_<NAME>_USERNAME} and {@code UV_INDEX_<NAME>_PASSWORD}.
 *
 * <p>The file is edited as text so that comments and other settings survive: an earlier login's block is
 * removed and the new block appended; TomlMapper reads the file before and after, and an edit that changed
 * anything else is refused.
 */
final class UvConfig {
  static final String INDEX = "codeartifact";
  private static final TomlMapper TOML = new TomlMapper();

  /** A uv.toml Wharf cannot edit safely. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message) {
      super("uv.toml", message, null);
    }
  }

  private UvConfig() {}

  /** The variable uv reads an index's username (or password) from: the name upper-cased, other characters as _. */
  static String credentialVariable(String indexName, String part) {
    return "UV_INDEX_" + indexName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_" + part;
  }

  static String login(String existing, String endpoint) throws InvalidConfigException {
    JsonNode before = read(existing);
    String text = withoutIndex(existing, before, null).stripTrailing();
    String block = "[[index]]\nname = \"" + INDEX + "\"\nurl = \"" + endpoint + "simple/\"\npublish-url = \"" + endpoint
        + "\"\ndefault = true\n";
    text = text.isEmpty() ? block : text + "\n\n" + block;
    requireOthersUnchanged(before, read(text));
    return text;
  }

  /** Removes the {@code codeartifact} index when its URL is a Wharf PyPI index (on host, when given). */
  static String logout(String existing, String host) throws InvalidConfigException {
    JsonNode before = read(existing);
    String text = withoutIndex(existing, before, host);
    if (text.equals(existing)) {
      return existing;
    }
    text = text.stripTrailing();
    text = text.isEmpty() ? "" : text + "\n";
    requireOthersUnchanged(before, read(text));
    return text;
  }

  /** The text without the [[index]] block named codeartifact (only a Wharf one when host is not null). */
  private static String withoutIndex(String text, JsonNode parsed, String host) throws InvalidConfigException {
    JsonNode ours = ourIndex(parsed);
    if (ours == null || (host != null && !isWharfIndex(ours.path("url").asText(""), host))) {
      return text;
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("[[index]]")) {
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("[")) {
        end++;
      }
      if (lines.subList(i + 1, end).stream().anyMatch(line -> line.strip().matches("name\\s*=\\s*[\"']" + INDEX + "[\"']"))) {
        lines.subList(i, end).clear();
        return String.join("\n", lines);
      }
    }
    throw new InvalidConfigException("its index '" + INDEX + "' is not written as a [[index]] table with name = \""
        + INDEX + "\", which wharf does not rewrite");
  }

  private static JsonNode ourIndex(JsonNode parsed) {
    for (JsonNode index : parsed.path("index")) {
      if (INDEX.equals(index.path("name").asText(null))) {
        return index;
      }
    }
    return null;
  }

  private static boolean isWharfIndex(String url, String host) {
    return LoginUrls.isWharfEndpoint(url, host, "pypi", "simple/?");
  }


  private static JsonNode read(String text) throws InvalidConfigException {
    try {
      JsonNode node = TOML.readTree(text);
      return node == null || node.isMissingNode() ? TOML.createObjectNode() : node;
    } catch (JacksonException e) {
      throw new InvalidConfigException("it is not valid TOML: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidConfigException("it could not be read: " + e.getMessage());
    }
  }

  /** The settings other than our index are the same before and after. */
  private static void requireOthersUnchanged(JsonNode before, JsonNode after) throws InvalidConfigException {
    if (!others(before).equals(others(after))) {
      throw new InvalidConfigException("wharf's edit would change other settings (the file's layout is one wharf does"
          + " not rewrite: write the index '" + INDEX + "' as a [[index]] table)");
    }
  }

  private static JsonNode others(JsonNode root) {
    ObjectNode copy = root.deepCopy();
    var indexes = TOML.createArrayNode();
    root.path("index").forEach(index -> {
      if (!INDEX.equals(index.path("name").asText(null))) {
        indexes.add(index);
      }
    });
    copy.remove("index");
    if (!indexes.isEmpty()) {
      copy.set("index", indexes);
    }
    return copy;
  }
}
