package dev.wharf.format;

import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.limits.RequestLimiter;
import dev.wharf.token.AuthorizationToken;
import dev.wharf.token.InvalidTokenException;
import dev.wharf.token.RepositoryAccessService;
import dev.wharf.token.RepositoryAccessService.Access;
import java.util.List;
import java.util.Objects;

/**
 * Authorizes a package request with its token and records the use in the audit trail: the one
 * place {@link RepositoryEndpoints} (and a body-decided route, through {@link PackageCall}) asks
 * "may this token do this here?". The first time a request's token is verified, the request is also
 * admitted by the request limits (by its token, its principal's account and its address, or as a
 * request without a valid credential): a token reaches a handler only through here, so no package request
 * can succeed without having been admitted.
 */
public final class RepositoryAuthorizer {
  private final RepositoryAccessService access;
  private final AuditLog audit;
  private final RequestLimiter limits;

  public RepositoryAuthorizer(RepositoryAccessService access, AuditLog audit, RequestLimiter limits) {
    this.access = Objects.requireNonNull(access, "access");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Admits a request that carries no credential at all, by its address.
   *
   * @throws WharfException.Throttled when the address is over its limit for such requests
   */
  void admitWithoutCredential(Exchange exchange) {
    limits.admitAnonymous(exchange.remoteAddress());
  }

  /**
   * A place among the uploads allowed at once, held until closed.
   *
   * @throws WharfException.Throttled when every place is taken
   */
  RequestLimiter.Upload upload() {
    return limits.upload();
  }

  /** The package ARN of {@code subject} in the repository, or null for the repository itself. */
  private String packageArn(RepositoryPath path, PackageRef subject) {
    return subject == null ? null : CodeArtifactArns.packageArn(access.region(), path.domainOwner(),
        path.domainName(), path.repository(), path.format(), subject.namespace(), subject.name());
  }

  private Access decide(PackageCall call, PackageAction action, PackageRef subject) {
    return decide(call, action, subject, false);
  }

  /** The decision on the package {@code subject}, on the repository when it is null, or on any package of the format. */
  private Access decide(PackageCall call, PackageAction action, PackageRef subject, boolean anyPackage) {
    Exchange exchange = call.exchange();
    RepositoryPath path = call.repository();
    var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
    Access result = anyPackage
        ? access.authorizeAnyPackage(call.credential(), origin, path.domainOwner(), path.domainName(),
            path.repository(), path.format(), action.iamName())
        : access.authorize(call.credential(), origin, path.domainOwner(), path.domainName(), path.repository(),
            action.iamName(), packageArn(path, subject));
    if (call.admitOnce()) {
      AuthorizationToken token = switch (result) {
        case Access.Unauthenticated unauthenticated -> null;
        case Access.Denied denied -> denied.token();
        case Access.NoSuchRepository missing -> missing.token();
        case Access.Allowed allowed -> allowed.token();
      };
      if (token == null) {
        limits.admitAnonymous(exchange.remoteAddress());
      } else {
        limits.admitPackageRequest(exchange.remoteAddress(), token.tokenId(), token.principal().accountId(),
            action != PackageAction.READ);
      }
    }
    return result;
  }

  /**
   * Authorizes {@code action} on the package {@code subject}, or on the repository when it is null,
   * and audits the outcome.
   *
   * @return the token, when the action is allowed
   * @throws WharfException.NotAuthenticated without a valid token
   * @throws WharfException.AccessDenied when the policies refuse the action
   * @throws WharfException.NotFound when the repository does not exist
   * @throws WharfException.Throttled when the request is over a limit (not audited: a flood adds no rows)
   */
  public AuthorizationToken require(PackageCall call, PackageAction action, PackageRef subject) {
    return require(call, action, subject, false);
  }

  /**
   * Refuses, audited, a request none of whose {@code actions} could be allowed on any package of its format in the
   * repository, before its body names the package; returns when one might be (the handler then authorizes the
   * package the body names).
   *
   * @throws WharfException.AccessDenied when no package could be allowed
   */
  void requireAnyPackage(PackageCall call, List<PackageAction> actions) {
    for (PackageAction action : actions) {
      if (decide(call, action, null, true) instanceof Access.Allowed) {
        return;
      }
    }
    require(call, actions.getFirst(), null, true); // refused: audited and answered
  }

  private AuthorizationToken require(PackageCall call, PackageAction action, PackageRef subject, boolean anyPackage) {
    Access result = decide(call, action, subject, anyPackage);
    Exchange exchange = call.exchange();
    RepositoryPath path = call.repository();
    String arn = anyPackage ? CodeArtifactArns.packagesArn(access.region(), path.domainOwner(), path.domainName(),
        path.repository(), path.format()) : packageArn(path, subject);
    AuditLog.Entry entry = audit.begin(exchange::requestId, exchange.remoteAddress()).action(action.iamName())
        .resource(arn != null ? arn
            : CodeArtifactArns.repository(access.region(), path.domainOwner(), path.domainName(), path.repository()),
            path.domainOwner());
    return switch (result) {
      case Access.Unauthenticated unauthenticated -> {
        entry.finish(AuditEvent.Outcome.DENIED, "InvalidToken");
        throw new WharfException.NotAuthenticated(FormatErrors.INVALID_TOKEN,
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
  boolean reachable(PackageCall call, PackageAction action) {
    Access result = decide(call, action, null);
    return !(result instanceof Access.Unauthenticated || result instanceof Access.NoSuchRepository);
  }

  /**
   * Whether any of {@code actions} would be allowed on the package, without an audit event: for
   * requests whose body says which one they need, refused before that body is read.
   */
  boolean mayAnyOf(PackageCall call, PackageRef subject, List<PackageAction> actions) {
    for (PackageAction action : actions) {
      if (decide(call, action, subject) instanceof Access.Allowed) {
        return true;
      }
    }
    return false;
  }
}
