package dev.wharf.audit;

import java.time.Instant;

/**
 * One audited request: who (principal), what (action on resource), when, from where, and how it
 * ended (allowed, denied, failed) with the deciding policy statement when there was one. Never a
 * secret: tokens appear by id only.
 */
public record AuditEvent(
    String eventId,
    Instant occurredAt,
    String requestId,
    String principalAccount,
    String principalArn,
    String resourceAccount,
    String action,
    String resource,
    String sourceIp,
    Outcome outcome,
    String decidedBy,
    String errorCode,
    String tokenId) {

  /** How the request ended. */
  public enum Outcome {
    ALLOWED,
    DENIED,
    FAILED
  }
}
