package dev.wharf.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import java.io.IOException;
import java.util.function.Predicate;

/** JSON a client sends a format (a request body, or a part of one): what is not JSON of the expected kind is the client's error. */
public final class RequestJson {
  private RequestJson() {}

  /**
   * {@code json} read with {@code mapper} (its limits and features), when it is the node {@code expected} accepts.
   *
   * @param notJson the message when it is not JSON
   * @param notExpected the message when it is JSON, but not the node expected (or nothing at all)
   * @throws WharfException.Invalid with one of those messages
   */
  public static JsonNode read(ObjectMapper mapper, byte[] json, Predicate<JsonNode> expected, String notJson,
      String notExpected) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (IOException e) {
      throw new WharfException.Invalid(notJson);
    }
    if (node == null || !expected.test(node)) {
      throw new WharfException.Invalid(notExpected);
    }
    return node;
  }
}
