package dev.wharf.audit.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.error.WharfException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code wharf:LookupAuditEvents}: the audit events that concern the caller's account (as caller
 * or as resource owner), newest first; counted package reads as one event per minute with their
 * {@code Count} (and no RequestId), every other event with a Count of 1. Parameters: Since (ISO-8601 or a duration like PT1H,
 * default the last 24 hours), Until (the same forms, exclusive; default now), PrincipalArn, EventAction, Outcome
 * (allowed, denied or failed), MaxResults (1..1000, default 100), NextToken (from a full page: the next page of
 * the same listing).
 */
public final class AuditEndpoints {
  private final AuditLog audit;
  private final String region;
  private final Clock clock;

  public AuditEndpoints(AuditLog audit, String region, Clock clock) {
    this.audit = Objects.requireNonNull(audit, "audit");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public List<QueryOperation> operations() {
    return List.of(new QueryOperation("wharf", "LookupAuditEvents",
        new QueryOperation.Permission.PolicyAction("wharf:LookupAuditEvents",
            r -> new QueryOperation.Resource("arn:aws:wharf:" + region + ":" + r.principal().accountId() + ":audit/*",
                r.principal().accountId())),
        (r, x) -> {
          Integer max = r.optionalInt("MaxResults");
          int limit = max == null ? 100 : max;
          if (limit < 1 || limit > 1000) {
            throw new WharfException.Invalid("ValidationError", "MaxResults must be between 1 and 1000");
          }
          Instant since = since(r.optional("Since"));
          // a listing ends after this millisecond, unless Until says otherwise
          Page page = Page.of(r.optional("NextToken"), r.optional("Until") == null ? clock.instant().plusMillis(1)
              : since(r.optional("Until")));
          List<AuditEvent> events = audit.lookup(r.principal().accountId(), since, page.until(),
              r.optional("PrincipalArn"), r.optional("EventAction"), outcome(r.optional("Outcome")), page.skip(), limit);
          if (events.size() == limit) {
            x.text("NextToken", new Page(page.until(), page.skip() + limit).token());
          }
          x.element("Events", list -> events.forEach(e -> list.element("member", m -> m
              .text("EventId", e.eventId()).text("Time", e.occurredAt()).text("Count", e.count())
              .text("RequestId", e.requestId())
              .text("Principal", e.principalArn()).text("Action", e.action()).text("Resource", e.resource())
              .text("SourceIp", e.sourceIp()).text("Outcome", e.outcome().name().toLowerCase(Locale.ROOT))
              .text("DecidedBy", e.decidedBy()).text("ErrorCode", e.errorCode()).text("TokenId", e.tokenId()))));
        }));
  }

  /**
   * Where a listing's page starts: the listing's upper bound (fixed at its first page, so that events recorded
   * since do not move the pages) and how many of its events came before. NextToken carries both.
   */
  private record Page(Instant until, int skip) {
    static Page of(String token, Instant until) {
      if (token == null) {
        return new Page(until, 0);
      }
      try {
        String[] parts = new String(java.util.Base64.getUrlDecoder().decode(token),
            java.nio.charset.StandardCharsets.UTF_8).split(":", 2);
        Page page = new Page(Instant.ofEpochMilli(Long.parseLong(parts[0])), Integer.parseInt(parts[1]));
        if (page.skip() < 0 || page.skip() > 1_000_000) {
          throw new NumberFormatException();
        }
        return page;
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | java.time.DateTimeException e) {
        throw new WharfException.Invalid("ValidationError", "NextToken is not one this operation gave");
      }
    }

    String token() {
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((until.toEpochMilli() + ":" + skip)
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static AuditEvent.Outcome outcome(String value) {
    if (value == null) {
      return null;
    }
    try {
      return AuditEvent.Outcome.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new WharfException.Invalid("ValidationError", "Outcome must be allowed, denied or failed");
    }
  }

  private Instant since(String value) {
    if (value == null) {
      return clock.instant().minus(Duration.ofHours(24));
    }
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        return clock.instant().minus(Duration.parse(value));
      }
      return Instant.parse(value);
    } catch (java.time.DateTimeException | ArithmeticException e) { // unparsable, or beyond the time line
      throw new WharfException.Invalid("ValidationError", "Since must be an ISO-8601 time or a duration like PT1H");
    }
  }
}
