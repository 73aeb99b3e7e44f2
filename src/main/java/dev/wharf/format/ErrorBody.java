package dev.wharf.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.http.Exchange;

/**
 * How a format's clients read a failure: the body of a 4xx or 5xx in the protocol's own shape.
 * Statuses and the headers every format shares (the Basic challenge on 401, Allow on 405) are
 * {@link FormatErrors}' job.
 */
@FunctionalInterface
public interface ErrorBody {
  void send(Exchange exchange, int status, String message);

  /** {@code {"error": "..."}}, which npm shows after its status line. */
  ErrorBody JSON = (exchange, status, message) -> exchange.send(status, "application/json; charset=utf-8",
      Json.MAPPER.createObjectNode().put("error", message).toString());

  /** Plain text, which pip, twine, Maven and Gradle show as they are. */
  ErrorBody PLAIN_TEXT = (exchange, status, message) -> exchange.send(status, "text/plain; charset=utf-8",
      message + "\n");

  /** The shared mapper of the bodies above. */
  final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
  }
}
