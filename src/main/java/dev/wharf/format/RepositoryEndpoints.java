package dev.wharf.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.http.Exchange;
import dev.wharf.format.maven.MavenEndpoints;
import dev.wharf.format.npm.NpmEndpoints;
import dev.wharf.format.pypi.PypiEndpoints;
import dev.wharf.token.InvalidTokenException;
import dev.wharf.token.RepositoryAccessService.Access;
import java.util.Objects;

/**
 * The package endpoints under {@code /{domain}-{owner}/{format}/{repo}/}. npm requests below the
 * root go to {@link NpmEndpoints}, PyPI requests (below the root, and uploads to it) to
 * {@link PypiEndpoints}; the repository root answers who the token acts as and whether it
 * may read the repository. Maven requests below the root go to {@link MavenEndpoints}.
 */
public final class RepositoryEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String READ_ACTION = RepositoryAuthorizer.READ;

  private final RepositoryAuthorizer authorizer;
  private final NpmEndpoints npm;
  private final PypiEndpoints pypi;
  private final MavenEndpoints maven;

  public RepositoryEndpoints(RepositoryAuthorizer authorizer, NpmEndpoints npm, PypiEndpoints pypi,
      MavenEndpoints maven) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.npm = Objects.requireNonNull(npm, "npm");
    this.pypi = Objects.requireNonNull(pypi, "pypi");
    this.maven = Objects.requireNonNull(maven, "maven");
  }

  private Access audited(Exchange exchange, RepositoryPath path, String token, String action) {
    return authorizer.authorize(exchange, path, token, action, null);
  }

  public boolean accepts(Exchange exchange) {
    return RepositoryPath.parse(exchange.rawPath()).isPresent();
  }

  public void handle(Exchange exchange) {
    RepositoryPath path = RepositoryPath.parse(exchange.rawPath()).orElseThrow();
    if ("npm".equals(path.format()) && !path.rest().isEmpty()) {
      npm.handle(exchange, path);
      return;
    }
    if ("pypi".equals(path.format()) && PypiEndpoints.handles(exchange, path)) {
      pypi.handle(exchange, path);
      return;
    }
    if ("maven".equals(path.format()) && !path.rest().isEmpty()) {
      maven.handle(exchange, path);
      return;
    }
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
