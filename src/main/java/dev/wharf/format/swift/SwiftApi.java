package dev.wharf.format.swift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.format.ErrorBody;
import java.util.Locale;

/**
 * The registry specification's conventions (section 3): API version 1, chosen with
 * {@code Accept: application/vnd.swift.registry.v1+json|+zip|+swift} and stated in {@code Content-Version}
 * on every answer, and failures as problem details (RFC 7807).
 */
final class SwiftApi {
  static final String VERSION = "1";
  static final String MEDIA_TYPE_PREFIX = "application/vnd.swift.registry";
  static final String JSON_TYPE = "application/json";
  static final String PROBLEM_TYPE = "application/problem+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an endpoint answers with: the {@code +…} suffix a client may ask for. */
  enum Media {
    JSON("json"),
    ZIP("zip"),
    SWIFT("swift");

    private final String suffix;

    Media(String suffix) {
      this.suffix = suffix;
    }
  }

  private SwiftApi() {}

  /** {@code {"detail": message, "status": status}} as {@code application/problem+json}, in API version 1. */
  static final ErrorBody PROBLEM = (exchange, status, message) -> {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", status);
    body.put("detail", message);
    exchange.setHeader("Content-Version", VERSION);
    exchange.setHeader("Content-Language", "en");
    exchange.send(status, PROBLEM_TYPE, body.toString());
  };

  /**
   * Checks the request's {@code Accept} against what the endpoint serves and sets {@code Content-Version}.
   * No {@code Accept}, or one without the registry's media type, is served in version 1 (the
   * specification lets the server choose). A registry media type with a malformed version is a 400,
   * another version or a media type the endpoint does not serve a 415, as section 3.5 says.
   */
  static void negotiate(Exchange exchange, Media served) {
    exchange.setHeader("Content-Version", VERSION);
    String accept = exchange.header("Accept");
    if (accept == null) {
      return;
    }
    for (String range : accept.split(",")) {
      String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!type.startsWith(MEDIA_TYPE_PREFIX)) {
        continue;
      }
      String rest = type.substring(MEDIA_TYPE_PREFIX.length());
      String media = null;
      int plus = rest.indexOf('+');
      if (plus >= 0) {
        media = rest.substring(plus + 1);
        rest = rest.substring(0, plus);
      }
      if (!rest.isEmpty()) {
        if (!rest.matches("\\.v[0-9]{1,9}")) {
          throw new WharfException.Invalid("invalid API version");
        }
        if (!rest.substring(2).equals(VERSION)) {
          throw new WharfException.Invalid(UNSUPPORTED, "unsupported API version");
        }
      }
      if (media != null && !media.equals(served.suffix)) {
        throw new WharfException.Invalid(UNSUPPORTED, "unsupported media type '" + MEDIA_TYPE_PREFIX + ".v1+" + media
            + "' for this endpoint: it serves +" + served.suffix);
      }
    }
  }

  /** The code of a 415 ({@link dev.wharf.format.FormatErrors#status}). */
  static final String UNSUPPORTED = dev.wharf.format.FormatErrors.UNSUPPORTED_MEDIA_TYPE;
  /** The code of a 422, which the specification gives a release the registry refuses to publish. */
  static final String UNPROCESSABLE = dev.wharf.format.FormatErrors.UNPROCESSABLE;
}
