package dev.wharf.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * A configuration file that is one JSON object (SwiftPM's registries.json, wharf-keyring's keyring.json): read with
 * the file's own error when it is not one, written indented with a final newline.
 */
final class JsonConfigFile {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonConfigFile() {}

  /** The object the text holds (an empty one for a blank text); name is the file as the messages call it. */
  static <E extends Exception> ObjectNode parse(String existing, String name, Function<String, E> invalid) throws E {
    if (existing.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(existing);
    } catch (JsonProcessingException e) {
      throw invalid.apply(name + " is not JSON: " + e.getOriginalMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw invalid.apply(name + " is not a JSON object");
    }
    return object;
  }

  static String write(ObjectNode config) {
    try {
      return JSON.writeValueAsString(config) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
