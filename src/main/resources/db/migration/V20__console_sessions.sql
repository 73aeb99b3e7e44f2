-- Web console sessions (console/ConsoleSessions): one row per signed-in browser. The cookie carries a
-- random id; only its SHA-256 is stored, so a copy of the database opens no session. The principal is
-- the one the session acts as (PrincipalCodec's JSON); credential what it signed in with ('password', or
-- 'key:' and the access key id), checked again on each request; csrf is the token every form of the session posts.
-- Rows are read on each console request, so a sign-out or an expiry holds on every node at once.
CREATE TABLE console_sessions (
  id_sha256 TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  principal TEXT NOT NULL,
  credential TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  seen_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_account ON console_sessions (account_id);
