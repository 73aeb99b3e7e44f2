package dev.wharf.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.http.Exchange;
import dev.wharf.policy.PermissionService;
import dev.wharf.token.InvalidTokenException;
import dev.wharf.token.RepositoryAccessService;
import dev.wharf.token.RepositoryAccessService.Access;
import java.util.Objects;

/**
 * The package endpoints under {@code /{domain}-{owner}/{format}/{repo}/}. Until the npm, PyPI and
 * Maven handlers arrive, the repository root answers who the token acts as and whether it may read
 * the repository: the same authentication and authorization every format will reuse.
 */
public final class RepositoryEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String READ_ACTION = "codeartifact:ReadFromRepository";

  private final RepositoryAccessService access;

  public RepositoryEndpoints(RepositoryAccessService access) {
    this.access = Objects.requireNonNull(access, "access");
  }

  public boolean accepts(Exchange exchange) {
    return RepositoryPath.parse(exchange.rawPath()).isPresent();
  }

  public void handle(Exchange exchange) {
    RepositoryPath path = RepositoryPath.parse(exchange.rawPath()).orElseThrow();
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    String token = PackageCredentials.token(exchange.header("Authorization")).orElse(null);
    if (token == null) {
      unauthorized(exchange, "Authentication required: send an authorization token as Bearer or as Basic aws:<token>");
      return;
    }
    if (!path.rest().isEmpty() || !("GET".equals(exchange.method()) || "HEAD".equals(exchange.method()))) {
      // Authenticate before saying anything about what exists.
      Access result = access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), READ_ACTION, null);
      if (result instanceof Access.Unauthenticated unauthenticated) {
        unauthorized(exchange, unauthenticated.message());
        return;
      }
      error(exchange, 404, "Not found: the " + path.format() + " endpoints of this repository are not available yet");
      return;
    }
    switch (access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), READ_ACTION, null)) {
      case Access.Unauthenticated unauthenticated -> unauthorized(exchange, unauthenticated.message());
      case Access.Denied denied -> error(exchange, 403, denied.message());
      case Access.NoSuchRepository missing -> error(exchange, 404,
          "Repository " + path.repository() + " not found in domain " + path.domainName());
      case Access.Allowed allowed -> exchange.send(200, "application/json", JSON.createObjectNode()
          .put("principal", allowed.token().principal().arn())
          .put("tokenId", allowed.token().tokenId())
          .put("domain", path.domainName()).put("domainOwner", path.domainOwner())
          .put("repository", path.repository()).put("format", path.format())
          .put("read", "allowed")
          .put("expiresAt", allowed.token().expiresAt().toString()).toString());
    }
  }

  private static void unauthorized(Exchange exchange, String message) {
    exchange.setHeader("WWW-Authenticate", "Basic realm=\"wharf\"");
    error(exchange, 401, message == null ? InvalidTokenException.MESSAGE : message);
  }

  private static void error(Exchange exchange, int status, String message) {
    exchange.send(status, "application/json", JSON.createObjectNode().put("error", message).toString());
  }
}
