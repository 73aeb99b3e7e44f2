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
import java.util.Objects;

/**
 * Authorizes a package request with its token and records the use in the audit trail: the one
 * place every format's endpoints ask "may this token do this here?".
 */
public final class RepositoryAuthorizer {
  /** The actions package requests need, as CodeArtifact names them. */
  public static final String READ = "codeartifact:ReadFromRepository";
  public static final String PUBLISH = "codeartifact:PublishPackageVersion";
  public static final String PUT_METADATA = "codeartifact:PutPackageMetadata";

  private final RepositoryAccessService access;
  private final AuditLog audit;

  public RepositoryAuthorizer(RepositoryAccessService access, AuditLog audit) {
    this.access = Objects.requireNonNull(access, "access");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  public String region() {
    return access.region();
  }

  /**
   * Authorizes {@code action} on the repository, or on the package when {@code packageArn} is
   * non-null, and audits the outcome.
   */
  public Access authorize(Exchange exchange, RepositoryPath path, String token, String action, String packageArn) {
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    Access result = access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), action,
        packageArn);
    AuditLog.Entry entry = audit.begin(exchange.requestId(), exchange.remoteAddress()).action(action)
        .resource(packageArn != null ? packageArn
            : CodeArtifactArns.repository(access.region(), path.domainOwner(), path.domainName(), path.repository()),
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

  /**
   * Like {@link #authorize}, for endpoints that answer refusals through their error mapping.
   *
   * @return the token, when the action is allowed
   * @throws WharfException.NotAuthenticated without a valid token
   * @throws WharfException.AccessDenied when the policies refuse the action
   * @throws WharfException.NotFound when the repository does not exist
   */
  public AuthorizationToken require(Exchange exchange, RepositoryPath path, String token, String action,
      String packageArn) {
    return switch (authorize(exchange, path, token, action, packageArn)) {
      case Access.Unauthenticated unauthenticated -> throw new WharfException.NotAuthenticated(null,
          unauthenticated.message() == null ? InvalidTokenException.MESSAGE : unauthenticated.message());
      case Access.Denied denied -> throw new WharfException.AccessDenied(denied.message());
      case Access.NoSuchRepository missing -> throw new WharfException.NotFound(null,
          "Repository " + path.repository() + " not found in domain " + path.domainName());
      case Access.Allowed allowed -> allowed.token();
    };
  }

  /** Whether the token authenticates for this repository's domain, without a policy decision or an audit event. */
  public boolean authenticates(Exchange exchange, RepositoryPath path, String token, String action, String packageArn) {
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    return !(access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), action, packageArn)
        instanceof Access.Unauthenticated);
  }

  /**
   * Whether any of {@code actions} would be allowed on the package, without an audit event: for
   * requests whose body says which one they need, refused before that body is read.
   */
  public boolean mayAnyOf(Exchange exchange, RepositoryPath path, String token, String packageArn, String... actions) {
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    for (String action : actions) {
      if (access.authorize(token, origin, path.domainOwner(), path.domainName(), path.repository(), action, packageArn)
          instanceof Access.Allowed) {
        return true;
      }
    }
    return false;
  }
}
