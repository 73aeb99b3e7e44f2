-- Identity: accounts, IAM users, access keys, roles and policies.
-- Times are epoch milliseconds (BIGINT); names keep their case, lookups use the lower-cased column
-- because IAM names are unique regardless of case.

CREATE TABLE wharf_settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  account_id  TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  management  INTEGER NOT NULL,
  created_at  BIGINT NOT NULL
);

CREATE TABLE iam_users (
  account_id       TEXT NOT NULL REFERENCES accounts (account_id),
  user_name        TEXT NOT NULL,
  user_name_lower  TEXT NOT NULL,
  user_id          TEXT NOT NULL UNIQUE,
  path             TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  PRIMARY KEY (account_id, user_name_lower)
);

-- user_name_lower is NULL for the account root user's keys.
CREATE TABLE access_keys (
  access_key_id      TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL REFERENCES accounts (account_id),
  user_name_lower    TEXT,
  secret_ciphertext  TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at         BIGINT NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys (account_id, user_name_lower);

CREATE TABLE iam_roles (
  account_id            TEXT NOT NULL REFERENCES accounts (account_id),
  role_name             TEXT NOT NULL,
  role_name_lower       TEXT NOT NULL,
  role_id               TEXT NOT NULL UNIQUE,
  path                  TEXT NOT NULL,
  trust_policy          TEXT NOT NULL,
  max_session_duration  INTEGER NOT NULL,
  description           TEXT,
  created_at            BIGINT NOT NULL,
  PRIMARY KEY (account_id, role_name_lower)
);

-- principal_type is 'user' or 'role'.
CREATE TABLE inline_policies (
  account_id            TEXT NOT NULL REFERENCES accounts (account_id),
  principal_type        TEXT NOT NULL,
  principal_name_lower  TEXT NOT NULL,
  policy_name           TEXT NOT NULL,
  policy_name_lower     TEXT NOT NULL,
  document              TEXT NOT NULL,
  PRIMARY KEY (account_id, principal_type, principal_name_lower, policy_name_lower)
);

CREATE TABLE managed_policies (
  policy_arn         TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL,
  policy_name        TEXT NOT NULL,
  policy_name_lower  TEXT NOT NULL,
  policy_id          TEXT NOT NULL UNIQUE,
  path               TEXT NOT NULL,
  description        TEXT,
  document           TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  UNIQUE (account_id, policy_name_lower)
);

CREATE TABLE policy_attachments (
  account_id            TEXT NOT NULL REFERENCES accounts (account_id),
  principal_type        TEXT NOT NULL,
  principal_name_lower  TEXT NOT NULL,
  policy_arn            TEXT NOT NULL REFERENCES managed_policies (policy_arn),
  PRIMARY KEY (account_id, principal_type, principal_name_lower, policy_arn)
);
CREATE INDEX policy_attachments_by_policy ON policy_attachments (policy_arn);
