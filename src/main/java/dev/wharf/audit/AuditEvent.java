package dev.wharf.audit;

import java.time.Instant;

/**
 * One audited request: who (principal), what (action on resource), when, from where, and how it
 * ended (allowed, denied, failed) with the deciding policy statement when there was one. Never a
 * secret: tokens appear by id only. Allowed package reads may be counted instead ({@code count}
 * requests of one token on one package in the minute starting at {@code occurredAt}, without a
 * request id); every other event is one request.
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
    String tokenId,
    long count) {

  /** One request. */
  public AuditEvent(String eventId, Instant occurredAt, String requestId, String principalAccount, String principalArn,
      String resourceAccount, String action, String resource, String sourceIp, Outcome outcome, String decidedBy,
      String errorCode, String tokenId) {
    this(eventId, occurredAt, requestId, principalAccount, principalArn, resourceAccount, action, resource, sourceIp,
        outcome, decidedBy, errorCode, tokenId, 1);
  }

  /** How the request ended. */
  public enum Outcome {
    ALLOWED,
    DENIED,
    FAILED
  }
}
