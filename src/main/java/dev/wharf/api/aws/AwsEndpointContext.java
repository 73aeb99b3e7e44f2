package dev.wharf.api.aws;

import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.metrics.Metrics;
import java.util.Objects;

/**
 * What the endpoints of both AWS protocols (query and rest-json) work with: who signed a request,
 * whether policies allow it, the audit trail every call leaves, and which failures mean "retry later".
 */
public record AwsEndpointContext(AwsAuthenticator authenticator, PermissionService permissions, AuditLog audit,
    Unavailable unavailable, Metrics metrics) {

  public AwsEndpointContext {
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(unavailable, "unavailable");
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Starts the audit entry of a call; the endpoint fills it in and finishes it. */
  AuditLog.Entry beginAudit(Exchange exchange) {
    return audit.begin(exchange::requestId, exchange.remoteAddress());
  }

  /** Where the request comes from, as conditions on the source address and transport see it. */
  static PermissionService.RequestOrigin origin(Exchange exchange) {
    return new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
  }

  /** Finishes the audit entry of a call that ended with the error sent as {@code code}: denied or failed. */
  static void finishWithError(AuditLog.Entry entry, WharfException e, String code) {
    entry.finish(e instanceof WharfException.AccessDenied || e instanceof WharfException.NotAuthenticated
        ? AuditEvent.Outcome.DENIED : AuditEvent.Outcome.FAILED, code);
  }
}
