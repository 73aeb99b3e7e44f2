-- Allowed package reads counted per token, package and minute (the server's default, --audit-reads
-- per-minute) instead of one audit_events row each. Each node adds a row per key every few seconds
-- (AuditLog.flushCounts); lookups sum the rows of a key. Denials, writes and token issues stay
-- individual events in audit_events.
CREATE TABLE audit_read_counts (
  minute_start       BIGINT NOT NULL,
  principal_account  TEXT,
  principal_arn      TEXT,
  resource_account   TEXT,
  action             TEXT NOT NULL,
  resource           TEXT,
  source_ip          TEXT,
  decided_by         TEXT,
  token_id           TEXT,
  request_count      BIGINT NOT NULL
);
CREATE INDEX audit_read_counts_by_principal_account ON audit_read_counts (principal_account, minute_start);
CREATE INDEX audit_read_counts_by_resource_account ON audit_read_counts (resource_account, minute_start);
