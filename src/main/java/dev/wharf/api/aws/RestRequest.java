package dev.wharf.api.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed, authenticated rest-json request: query-string members and a JSON body. serverOrigin is
 * the scheme and authority the client used to reach the server (e.g. http://localhost:8080).
 */
public record RestRequest(
    String operation,
    Map<String, String> query,
    JsonNode body,
    Principal principal,
    String accessKeyId,
    PermissionService.RequestOrigin origin,
    String requestId,
    String serverOrigin,
    StreamedPayload streamedPayload) {

  public RestRequest {
    query = Map.copyOf(query);
    body = body == null ? MissingNode.getInstance() : body;
  }

  /** A request whose body, if any, was JSON. */
  public RestRequest(String operation, Map<String, String> query, JsonNode body, Principal principal, String accessKeyId,
      PermissionService.RequestOrigin origin, String requestId, String serverOrigin) {
    this(operation, query, body, principal, accessKeyId, origin, requestId, serverOrigin, null);
  }

  /**
   * The streamed body of an operation declared with {@link RestOperation.Payload.Streamed}.
   *
   * @throws IllegalStateException for any other operation
   */
  public StreamedPayload payload() {
    if (streamedPayload == null) {
      throw new IllegalStateException(operation + " does not stream its body");
    }
    return streamedPayload;
  }

  private static WharfException.Invalid missing(String member) {
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value null at '" + member
        + "' failed to satisfy constraint: Member must not be null");
  }

  /** A query-string member, null when absent. */
  public String query(String wireName) {
    return query.get(wireName);
  }

  public String requiredQuery(String wireName, String member) {
    String value = query.get(wireName);
    if (value == null || value.isEmpty()) {
      throw missing(member);
    }
    return value;
  }

  public Integer queryInt(String wireName, String member, int min, int max) {
    String value = query.get(wireName);
    if (value == null) {
      return null;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new WharfException.Invalid("ValidationException", "Value '" + value + "' at '" + member + "' is not an integer");
    }
    if (parsed < min || parsed > max) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
          + member + "' failed to satisfy constraint: Member must have value between " + min + " and " + max);
    }
    return (int) parsed;
  }

  /** A string member of the JSON body, null when absent; a non-string value is refused. */
  public String bodyText(String member) {
    JsonNode node = body.path(member);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new WharfException.Invalid("ValidationException", "Member " + member + " must be a string");
    }
    return node.asText();
  }

  public String requiredBodyText(String member) {
    String value = bodyText(member);
    if (value == null || value.isEmpty()) {
      throw missing(member);
    }
    return value;
  }

  public Integer bodyInt(String member, int min, int max) {
    JsonNode node = body.path(member);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new WharfException.Invalid("ValidationException", "Member " + member + " must be an integer");
    }
    int value = node.asInt();
    if (value < min || value > max) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
          + member + "' failed to satisfy constraint: Member must have value between " + min + " and " + max);
    }
    return value;
  }

  /** A list member of the body (null when absent); each element must be an object, passed to the reader. */
  public <T> List<T> bodyList(String member, int max, java.util.function.Function<JsonNode, T> reader) {
    JsonNode node = body.path(member);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw new WharfException.Invalid("ValidationException", "Member " + member + " must be a list");
    }
    if (node.size() > max) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value at '" + member
          + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }
    List<T> items = new ArrayList<>();
    node.forEach(element -> items.add(reader.apply(element)));
    return items;
  }
}
