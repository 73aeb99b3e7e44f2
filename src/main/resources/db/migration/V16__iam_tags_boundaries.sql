-- IAM tags and permissions boundaries.
-- A user's or role's permissions boundary is the ARN of a managed policy (its own account's or AWS-managed),
-- or NULL. IAM refuses to delete a policy while it is a boundary, as it refuses one still attached.
ALTER TABLE iam_users ADD COLUMN permissions_boundary TEXT;
ALTER TABLE iam_roles ADD COLUMN permissions_boundary TEXT;

-- Tags of users, roles and managed policies (TagUser, TagRole, TagPolicy; Tags on Create*). entity_type is
-- 'user', 'role' or 'policy'; entity_key is the lower-cased user or role name, or the policy ARN. IAM keeps
-- one tag per key regardless of case (tag_key_lower); the key keeps the case it was last written with.
-- At most 50 tags per entity, checked by the service in the transaction that writes them.
CREATE TABLE iam_tags (
  account_id    TEXT NOT NULL REFERENCES accounts (account_id),
  entity_type   TEXT NOT NULL,
  entity_key    TEXT NOT NULL,
  tag_key       TEXT NOT NULL,
  tag_key_lower TEXT NOT NULL,
  tag_value     TEXT NOT NULL,
  PRIMARY KEY (account_id, entity_type, entity_key, tag_key_lower)
);
