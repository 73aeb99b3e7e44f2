package dev.wharf.format;

import dev.wharf.api.http.Exchange;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.packages.UpstreamUnavailableException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * How the package endpoints answer a failure, for every format: the same status for the same kind
 * of failure (4xx for the client's mistakes, a request body that could not be read among them: 400,
 * 502 for an upstream that failed, 503 for a database or blob store that cannot be reached, 507 for
 * one whose disk is full, 500 for Wharf's own faults), the Basic challenge on a 401, and the body in
 * the format's own {@link ErrorBody}.
 */
public final class FormatErrors {
  /** 405s travel as Invalid with this code (the error hierarchy has no "method" kind). */
  public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";
  /** A 415: a media type or an API version the endpoint does not serve (Swift's section 3.5). */
  public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
  /** A 422: a well-formed upload refused for what it holds (Swift's section 4.6). */
  public static final String UNPROCESSABLE = "Unprocessable";
  /** The code of a 401 for a token that was sent and cannot be used (expired, revoked, not Wharf's). */
  public static final String INVALID_TOKEN = "InvalidToken";
  /**
   * The reason phrases of the 401s: twine, gem, Maven and Gradle show the status line and none of the body,
   * so the line itself says what to run.
   */
  public static final String INVALID_TOKEN_REASON =
      "Unauthorized: the token is invalid or has expired; run wharf login (or aws codeartifact login)";
  public static final String NO_TOKEN_REASON =
      "Unauthorized: the request carries no token; run wharf login (or aws codeartifact login)";

  private FormatErrors() {}

  /** A 405 (set the Allow header before throwing it). */
  public static WharfException methodNotAllowed(String method) {
    return new WharfException.Invalid(METHOD_NOT_ALLOWED, "Method " + method + " is not allowed here");
  }

  /** The HTTP status of a client-facing failure. */
  public static int status(WharfException e) {
    return switch (e) {
      case WharfException.Invalid invalid -> switch (String.valueOf(invalid.code())) {
        case METHOD_NOT_ALLOWED -> 405;
        case "NotAcceptable" -> 406;
        case UNSUPPORTED_MEDIA_TYPE -> 415;
        case UNPROCESSABLE -> 422;
        default -> 400;
      };
      case WharfException.NotAuthenticated notAuthenticated -> 401;
      case WharfException.AccessDenied denied -> 403;
      case WharfException.NotFound notFound -> 404;
      case WharfException.Conflict conflict -> 409;
      case WharfException.LimitExceeded limit -> 429;
      case WharfException.TooLarge tooLarge -> 413;
      case WharfException.Throttled throttled -> 429;
    };
  }

  /**
   * Answers a failure that ended a request of {@code format}; rethrows what is none of the kinds
   * above (the server's last handler answers it with a 500).
   */
  static void answer(PackageFormat format, Logger log, Exchange exchange, RuntimeException failure,
      Unavailable unavailable) {
    ErrorBody body = format.spec().errorBody();
    Optional<Exchange.BodyReadException> unread = Exchange.BodyReadException.in(failure);
    if (unread.isPresent()) {
      // the client's framing (a malformed chunk, a body cut short, a client gone): one line, no stack trace
      log.info("{} request {}: {}", format.name(), exchange.requestId(), unread.get().getMessage());
      body.send(exchange, 400, unread.get().getMessage());
      return;
    }
    if (failure instanceof WharfException e) {
      int status = status(e);
      if (status == 401) {
        exchange.setHeader("WWW-Authenticate", "Basic realm=\"wharf\"");
        exchange.reasonPhrase(INVALID_TOKEN.equals(e.code()) ? INVALID_TOKEN_REASON : NO_TOKEN_REASON);
      } else if (status == 413) {
        exchange.drainBody();
      } else if (e instanceof WharfException.Throttled throttled) {
        exchange.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        exchange.drainBody(); // an upload refused before its body was read: its client is still sending
      }
      body.send(exchange, status, e.getMessage());
      return;
    }
    if (failure instanceof UpstreamUnavailableException e) {
      log.warn("{} request {}: {}", format.name(), exchange.requestId(), e.getMessage());
      body.send(exchange, 502, e.getMessage());
      return;
    }
    Optional<Unavailable.Reason> reason = unavailable.report(exchange.requestId(), failure);
    if (reason.isPresent()) {
      exchange.drainBody(); // an upload cut short by a full disk: its client may still be sending
      body.send(exchange, reason.get().status(), reason.get().message());
    } else if (failure instanceof UncheckedIOException) {
      log.error("{} request {} failed", format.name(), exchange.requestId(), failure);
      body.send(exchange, 500, "Internal error (request " + exchange.requestId() + ")");
    } else {
      throw failure;
    }
  }
}
