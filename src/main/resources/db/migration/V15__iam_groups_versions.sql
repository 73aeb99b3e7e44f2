-- IAM groups and managed policy versions.
-- A group's inline policies and policy attachments live in inline_policies and policy_attachments
-- with principal_type 'group', as those of users and roles do.

CREATE TABLE iam_groups (
  account_id        TEXT NOT NULL REFERENCES accounts (account_id),
  group_name        TEXT NOT NULL,
  group_name_lower  TEXT NOT NULL,
  group_id          TEXT NOT NULL UNIQUE,
  path              TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  PRIMARY KEY (account_id, group_name_lower)
);

CREATE TABLE iam_group_members (
  account_id        TEXT NOT NULL,
  group_name_lower  TEXT NOT NULL,
  user_name_lower   TEXT NOT NULL,
  PRIMARY KEY (account_id, group_name_lower, user_name_lower),
  FOREIGN KEY (account_id, group_name_lower) REFERENCES iam_groups (account_id, group_name_lower),
  FOREIGN KEY (account_id, user_name_lower) REFERENCES iam_users (account_id, user_name_lower)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members (account_id, user_name_lower);

-- Every version of a managed policy. managed_policies.document stays the default version's
-- document (evaluation reads it there); default_version_id names that version, and
-- next_version_number is the number of the next one (AWS never reuses a version id).
CREATE TABLE managed_policy_versions (
  policy_arn  TEXT NOT NULL REFERENCES managed_policies (policy_arn),
  version_id  TEXT NOT NULL,
  document    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);

ALTER TABLE managed_policies ADD COLUMN default_version_id TEXT NOT NULL DEFAULT 'v1';
ALTER TABLE managed_policies ADD COLUMN next_version_number INTEGER NOT NULL DEFAULT 2;

-- Existing policies have one version: v1, the default.
INSERT INTO managed_policy_versions (policy_arn, version_id, document, created_at)
  SELECT policy_arn, 'v1', document, created_at FROM managed_policies;
