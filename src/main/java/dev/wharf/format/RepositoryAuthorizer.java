package dev.wharf.format;

import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.token.AuthorizationToken;
import dev.wharf.token.InvalidTokenException;
import dev.wharf.token.RepositoryAccessService;
import dev.wharf.token.RepositoryAccessService.Access;
import java.util.List;
import java.util.Objects;

/**
 * Authorizes a package request with its token and records the use in the audit trail: the one
 * place {@link RepositoryEndpoints} (and a body-decided route, through {@link PackageCall}) asks
 * "may this token do this here?".
 */
public final class RepositoryAuthorizer {
  private final RepositoryAccessService access;
  private final AuditLog audit;

  public RepositoryAuthorizer(RepositoryAccessService access, AuditLog audit) {
    this.access = Objects.requireNonNull(access, "access");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /** The package ARN of {@code subject} in the repository, or null for the repository itself. */
  private String packageArn(RepositoryPath path, PackageRef subject) {
    return subject == null ? null : CodeArtifactArns.packageArn(access.region(), path.domainOwner(),
        path.domainName(), path.repository(), path.format(), subject.namespace(), subject.name());
  }

  private Access decide(Exchange exchange, RepositoryPath path, String token, PackageAction action,
      PackageRef subject) {
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    return access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(),
        action.iamName(), packageArn(path, subject));
  }

  /**
   * Authorizes {@code action} on the package {@code subject}, or on the repository when it is null,
   * and audits the outcome.
   *
   * @return the token, when the action is allowed
   * @throws WharfException.NotAuthenticated without a valid token
   * @throws WharfException.AccessDenied when the policies refuse the action
   * @throws WharfException.NotFound when the repository does not exist
   */
  public AuthorizationToken require(Exchange exchange, RepositoryPath path, String token, PackageAction action,
      PackageRef subject) {
    Access result = decide(exchange, path, token, action, subject);
    String arn = packageArn(path, subject);
    AuditLog.Entry entry = audit.begin(exchange::requestId, exchange.remoteAddress()).action(action.iamName())
        .resource(arn != null ? arn
            : CodeArtifactArns.repository(access.region(), path.domainOwner(), path.domainName(), path.repository()),
            path.domainOwner());
    return switch (result) {
      case Access.Unauthenticated unauthenticated -> {
        entry.finish(AuditEvent.Outcome.DENIED, "InvalidToken");
        throw new WharfException.NotAuthenticated(null,
            unauthenticated.message() == null ? InvalidTokenException.MESSAGE : unauthenticated.message());
      }
      case Access.Denied denied -> {
        entry.principal(denied.token().principal()).token(denied.token().tokenId())
            .finish(AuditEvent.Outcome.DENIED, "AccessDenied");
        throw new WharfException.AccessDenied(denied.message());
      }
      case Access.NoSuchRepository missing -> {
        entry.principal(missing.token().principal()).token(missing.token().tokenId())
            .finish(AuditEvent.Outcome.FAILED, "NotFound");
        throw new WharfException.NotFound(null,
            "Repository " + path.repository() + " not found in domain " + path.domainName());
      }
      case Access.Allowed allowed -> {
        entry.principal(allowed.token().principal()).token(allowed.token().tokenId())
            .decision(allowed.decision()).finish(AuditEvent.Outcome.ALLOWED, null);
        yield allowed.token();
      }
    };
  }

  /**
   * Whether the token is valid for this repository's domain and the repository exists, without a
   * policy decision or an audit event: for requests whose body alone names the package.
   */
  boolean reachable(Exchange exchange, RepositoryPath path, String token, PackageAction action) {
    Access result = decide(exchange, path, token, action, null);
    return !(result instanceof Access.Unauthenticated || result instanceof Access.NoSuchRepository);
  }

  /**
   * Whether any of {@code actions} would be allowed on the package, without an audit event: for
   * requests whose body says which one they need, refused before that body is read.
   */
  boolean mayAnyOf(Exchange exchange, RepositoryPath path, String token, PackageRef subject,
      List<PackageAction> actions) {
    for (PackageAction action : actions) {
      if (decide(exchange, path, token, action, subject) instanceof Access.Allowed) {
        return true;
      }
    }
    return false;
  }
}
