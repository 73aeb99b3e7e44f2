package dev.wharf.format;

import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.api.http.Exchange;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * How the package-format endpoints (npm, PyPI, Maven) answer a failure: the same status for the
 * same kind of failure in every format (4xx for the client's mistakes, 502 for an upstream that
 * failed, 503 for a database or blob store that cannot be reached, 500 for Wharf's own faults),
 * each in the body shape its clients read.
 */
public final class FormatErrors {
  /** Sends a failure in the format's own body shape (and any headers that status needs there). */
  @FunctionalInterface
  public interface Body {
    void send(Exchange exchange, int status, String message);
  }

  private FormatErrors() {}

  /** The HTTP status of a client-facing failure. */
  public static int status(WharfException e) {
    return switch (e) {
      case WharfException.Invalid invalid -> switch (String.valueOf(invalid.code())) {
        case "MethodNotAllowed" -> 405;
        case "NotAcceptable" -> 406;
        default -> 400;
      };
      case WharfException.NotAuthenticated notAuthenticated -> 401;
      case WharfException.AccessDenied denied -> 403;
      case WharfException.NotFound notFound -> 404;
      case WharfException.Conflict conflict -> 409;
      case WharfException.LimitExceeded limit -> 429;
      case WharfException.TooLarge tooLarge -> 413;
    };
  }

  /**
   * Answers a failure that ended a request of {@code format}; rethrows what is none of the kinds
   * above (the server's last handler answers it with a 500).
   */
  public static void answer(String format, Logger log, Exchange exchange, RuntimeException failure,
      Unavailable unavailable, Body body) {
    if (failure instanceof WharfException e) {
      body.send(exchange, status(e), e.getMessage());
      return;
    }
    if (failure instanceof UpstreamUnavailableException e) {
      log.warn("{} request {}: {}", format, exchange.requestId(), e.getMessage());
      body.send(exchange, 502, e.getMessage());
      return;
    }
    Optional<String> reason = unavailable.reason(failure);
    if (reason.isPresent()) {
      log.warn("{} request {}: {}: {}", format, exchange.requestId(), reason.get(), failure.toString());
      body.send(exchange, 503, reason.get());
    } else if (failure instanceof UncheckedIOException) {
      log.error("{} request {} failed", format, exchange.requestId(), failure);
      body.send(exchange, 500, "Internal error (request " + exchange.requestId() + ")");
    } else {
      throw failure;
    }
  }
}
