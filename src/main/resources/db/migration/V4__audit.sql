-- Audit trail: every AWS API call and every token use, allowed or denied, and by which statement.
CREATE TABLE audit_events (
  event_id           TEXT PRIMARY KEY,
  occurred_at        BIGINT NOT NULL,
  request_id         TEXT NOT NULL,
  principal_account  TEXT,
  principal_arn      TEXT,
  resource_account   TEXT,
  action             TEXT NOT NULL,
  resource           TEXT,
  source_ip          TEXT,
  outcome            TEXT NOT NULL,
  decided_by         TEXT,
  error_code         TEXT,
  token_id           TEXT
);
CREATE INDEX audit_events_by_principal_account ON audit_events (principal_account, occurred_at);
CREATE INDEX audit_events_by_resource_account ON audit_events (resource_account, occurred_at);
