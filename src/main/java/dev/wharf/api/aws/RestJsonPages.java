package dev.wharf.api.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** What every rest-json list operation renders the same way: pages with nextToken, and timestamps. */
public final class RestJsonPages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RestJsonPages() {}

  /**
   * One page of a sorted list: {@code {listName: [...], nextToken?}} (items rendered as objects or strings). The nextToken is the base64 of
   * the offset of the next item; a token not made here is refused with ValidationException.
   */
  public static <T> ObjectNode page(List<T> items, String nextToken, Integer maxResults, String listName,
      Function<T, ? extends com.fasterxml.jackson.databind.JsonNode> render) {
    int max = maxResults == null ? 100 : maxResults;
    int start = 0;
    if (nextToken != null) {
      try {
        start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        start = -1;
      }
      if (start < 0 || start > items.size()) {
        throw new WharfException.Invalid("ValidationException", "The nextToken is not valid");
      }
    }
    int end = Math.min(items.size(), start + max);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray(listName);
    items.subList(start, end).forEach(item -> list.add(render.apply(item)));
    if (end < items.size()) {
      out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
          .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** Timestamps go out as epoch seconds, as the AWS SDKs read them in rest-json. */
  public static double epochSeconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
