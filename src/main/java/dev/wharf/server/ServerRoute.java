package dev.wharf.server;

import dev.wharf.api.http.Exchange;
import dev.wharf.config.WharfConfig;
import dev.wharf.metrics.RequestMeter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A route the server answers itself (health probes, metrics), declared with what it needs as the AWS
 * operations, package routes and console routes are: a route cannot be made without its {@link Access}, and
 * {@link WharfServer}'s root handler alone checks it before the handler runs.
 *
 * @param path the exact path it answers
 * @param meter the request meter its answers are recorded in
 */
record ServerRoute(String path, Access access, RequestMeter meter, Handler handler) {
  /** What a caller needs to be answered. */
  sealed interface Access {
    /** Anyone; the reason says why that is safe. */
    record Public(String reason) implements Access {
      public Public {
        if (reason == null || reason.isBlank()) {
          throw new IllegalArgumentException("a public server route says why it is public");
        }
      }
    }

    /** {@code Authorization: Bearer <token>}, compared in constant time. */
    record BearerToken(WharfConfig.Secret token) implements Access {
      public BearerToken {
        Objects.requireNonNull(token, "token");
      }

      boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
          return false;
        }
        byte[] presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token.value().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @FunctionalInterface
  interface Handler {
    void handle(Exchange exchange);
  }

  ServerRoute {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "route " + path + " declares no access: every server route says what it needs");
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(handler, "handler");
  }

  /** Whether the exchange may be answered by this route (else the root handler answers 401). */
  boolean allows(Exchange exchange) {
    return switch (access) {
      case Access.Public open -> true;
      case Access.BearerToken bearer -> bearer.accepts(exchange.header("Authorization"));
    };
  }
}
