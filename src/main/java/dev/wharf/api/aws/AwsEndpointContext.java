package dev.wharf.api.aws;

import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.metrics.Metrics;
import dev.wharf.identity.Principal;
import dev.wharf.limits.RequestLimiter;
import java.util.Objects;

/**
 * What the endpoints of both AWS protocols (query and rest-json) work with: who signed a request,
 * whether policies allow it, the audit trail every call leaves, which failures mean "retry later", and the
 * request limits every call is admitted by once its caller is known.
 */
public record AwsEndpointContext(AwsAuthenticator authenticator, PermissionService permissions, AuditLog audit,
    Unavailable unavailable, Metrics metrics, RequestLimiter limits) {

  public AwsEndpointContext {
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(unavailable, "unavailable");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(limits, "limits");
  }

  /**
   * Admits a call whose signature was verified, by its access key, its account's limit on the operation, and
   * its address (the limits decide in {@link RequestLimiter}).
   *
   * @param operation the operation's name in its model, or null when the request names none
   * @throws dev.wharf.error.WharfException.Throttled when a limit is exhausted
   */
  void admitSigned(Exchange exchange, String accessKeyId, Principal principal, String operation) {
    limits.admitApiCall(exchange.remoteAddress(), accessKeyId, principal.accountId(), operation);
  }

  /**
   * Admits a call that carries no valid signature (it failed verification, or the operation is unsigned), by
   * its address.
   *
   * @throws dev.wharf.error.WharfException.Throttled when the address is over its limit
   */
  void admitUnsigned(Exchange exchange) {
    limits.admitAnonymous(exchange.remoteAddress());
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
