-- Requests without a valid credential are counted per source address, action, outcome, error and minute
-- (AuditLog), like allowed package reads: audit_read_counts now holds both, told apart by outcome.
ALTER TABLE audit_read_counts ADD COLUMN outcome TEXT NOT NULL DEFAULT 'allowed';
ALTER TABLE audit_read_counts ADD COLUMN error_code TEXT;
-- Retention (--audit-retention-days) removes the oldest rows first.
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);
CREATE INDEX audit_read_counts_by_time ON audit_read_counts (minute_start);
