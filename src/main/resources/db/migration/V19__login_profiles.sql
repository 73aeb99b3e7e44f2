-- IAM console passwords (login profiles) and the account password policy.
-- A password is kept only as a PHC string ($argon2id$v=19$m=…,t=…,p=…$SALT$HASH): the hash parameters travel with
-- it, so they can be raised later while older hashes still verify. Booleans are INTEGER 0/1, times epoch
-- milliseconds, as elsewhere. A user has at most one login profile; IAM refuses DeleteUser while it exists.
CREATE TABLE iam_login_profiles (
  account_id               TEXT NOT NULL REFERENCES accounts (account_id),
  user_name_lower          TEXT NOT NULL,
  password_hash            TEXT NOT NULL,
  password_reset_required  INTEGER NOT NULL,
  created_at               BIGINT NOT NULL,
  password_changed_at      BIGINT NOT NULL,
  password_last_used_at    BIGINT,
  PRIMARY KEY (account_id, user_name_lower)
);

-- The hashes of a user's earlier passwords, for PasswordReusePrevention: at most 24 per user (the policy's
-- maximum), pruned as new ones arrive; they go with the user.
CREATE TABLE iam_password_history (
  account_id       TEXT NOT NULL REFERENCES accounts (account_id),
  user_name_lower  TEXT NOT NULL,
  password_hash    TEXT NOT NULL,
  replaced_at      BIGINT NOT NULL,
  PRIMARY KEY (account_id, user_name_lower, password_hash)
);

-- UpdateAccountPasswordPolicy: one per account. max_password_age (days) and password_reuse_prevention are 0 when
-- not set (passwords never expire; any may be reused).
CREATE TABLE iam_password_policies (
  account_id                      TEXT PRIMARY KEY REFERENCES accounts (account_id),
  minimum_password_length         INTEGER NOT NULL,
  require_symbols                 INTEGER NOT NULL,
  require_numbers                 INTEGER NOT NULL,
  require_uppercase_characters    INTEGER NOT NULL,
  require_lowercase_characters    INTEGER NOT NULL,
  allow_users_to_change_password  INTEGER NOT NULL,
  max_password_age                INTEGER NOT NULL,
  password_reuse_prevention       INTEGER NOT NULL,
  hard_expiry                     INTEGER NOT NULL
);
