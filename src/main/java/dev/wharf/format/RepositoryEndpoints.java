package dev.wharf.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.catalog.CodeArtifactArns;
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
  private final AuditLog audit;

  public RepositoryEndpoints(RepositoryAccessService access, AuditLog audit) {
    this.access = Objects.requireNonNull(access, "access");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** Audits one token use: who, which action on which repository, and the outcome. */
  private Access audited(Exchange exchange, RepositoryPath path, String token, String action) {
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    Access result = access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), action, null);
    AuditLog.Entry entry = audit.begin(exchange.requestId(), exchange.remoteAddress()).action(action)
        .resource(CodeArtifactArns.repository(access.region(), path.domainOwner(), path.domainName(), path.repository()),
            path.domainOwner());
    switch (result) {
      case Access.Unauthenticated unauthenticated -> entry.finish(AuditEvent.Outcome.DENIED, "InvalidToken");
      case Access.Denied denied -> entry.principal(denied.token().principal()).token(denied.token().tokenId())
          .finish(AuditEvent.Outcome.DENIED, "AccessDenied");
      case Access.NoSuchRepository missing -> entry.principal(missing.token().principal()).token(missing.token().tokenId())
          .finish(AuditEvent.Outcome.FAILED, "NotFound");
      case Access.Allowed allowed -> entry.principal(allowed.token().principal()).token(allowed.token().tokenId())
          .decision(allowed.decision()).finish(AuditEvent.Outcome.ALLOWED, null);
    }
    return result;
  }

  public boolean accepts(Exchange exchange) {
    return RepositoryPath.parse(exchange.rawPath()).isPresent();
  }

  public void handle(Exchange exchange) {
    RepositoryPath path = RepositoryPath.parse(exchange.rawPath()).orElseThrow();
    String token = PackageCredentials.token(exchange.header("Authorization")).orElse(null);
    if (token == null) {
      unauthorized(exchange, "Authentication required: send an authorization token as Bearer or as Basic aws:<token>");
      return;
    }
    if (!path.rest().isEmpty() || !("GET".equals(exchange.method()) || "HEAD".equals(exchange.method()))) {
      // Authenticate before saying anything about what exists.
      Access result = audited(exchange, path, token, READ_ACTION);
      if (result instanceof Access.Unauthenticated unauthenticated) {
        unauthorized(exchange, unauthenticated.message());
        return;
      }
      error(exchange, 404, "Not found: the " + path.format() + " endpoints of this repository are not available yet");
      return;
    }
    switch (audited(exchange, path, token, READ_ACTION)) {
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
