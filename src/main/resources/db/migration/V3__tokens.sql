-- Authorization tokens: the keys that seal them, and a record of each token issued
-- (for listing and revocation; a token's validity is checked from the token itself plus the
-- in-memory revocation list, never from this table on the hot path).

-- seq orders the keys: the highest active one seals new tokens (created_at may tie).
CREATE TABLE token_keys (
  key_id          TEXT PRIMARY KEY,
  seq             INTEGER NOT NULL UNIQUE,
  key_ciphertext  TEXT NOT NULL,
  status          TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  retired_at      BIGINT
);

CREATE TABLE authorization_tokens (
  token_id           TEXT PRIMARY KEY,
  principal_account  TEXT NOT NULL,
  principal_arn      TEXT NOT NULL,
  domain_owner       TEXT NOT NULL,
  domain_name        TEXT NOT NULL,
  key_id             TEXT NOT NULL,
  issued_at          BIGINT NOT NULL,
  expires_at         BIGINT NOT NULL,
  revoked_at         BIGINT,
  last_used_at       BIGINT
);
CREATE INDEX authorization_tokens_by_account ON authorization_tokens (principal_account, expires_at);
CREATE INDEX authorization_tokens_revoked ON authorization_tokens (revoked_at, expires_at);
