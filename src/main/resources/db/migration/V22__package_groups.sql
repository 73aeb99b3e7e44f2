-- CodeArtifact package groups: per domain, identified by their pattern (PackageGroupPattern's canonical
-- text). A group's parent is not stored: it is the most specific other group whose pattern covers this
-- one, so deleting a group hands its children to its parent as CodeArtifact does.
-- Origin restriction modes: ALLOW | BLOCK | ALLOW_SPECIFIC_REPOSITORIES | INHERIT (never INHERIT on /*).

CREATE TABLE package_groups (
  domain_owner       TEXT NOT NULL,
  domain_name        TEXT NOT NULL,
  pattern            TEXT NOT NULL,
  description        TEXT,
  contact_info       TEXT,
  created_at         BIGINT NOT NULL,
  publish            TEXT NOT NULL,
  external_upstream  TEXT NOT NULL,
  internal_upstream  TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, pattern),
  FOREIGN KEY (domain_owner, domain_name) REFERENCES domains (owner, name)
);

-- The repositories ALLOW_SPECIFIC_REPOSITORIES lets through, per restriction type.
CREATE TABLE package_group_allowed_repositories (
  domain_owner      TEXT NOT NULL,
  domain_name       TEXT NOT NULL,
  pattern           TEXT NOT NULL,
  restriction_type  TEXT NOT NULL,   -- PUBLISH | EXTERNAL_UPSTREAM | INTERNAL_UPSTREAM
  repository        TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, pattern, restriction_type, repository),
  FOREIGN KEY (domain_owner, domain_name, pattern) REFERENCES package_groups (domain_owner, domain_name, pattern)
);

-- Every domain has the root group /*, which allows everything.
INSERT INTO package_groups (domain_owner, domain_name, pattern, description, contact_info, created_at, publish,
    external_upstream, internal_upstream)
  SELECT owner, name, '/*', NULL, NULL, created_at, 'ALLOW', 'ALLOW', 'ALLOW' FROM domains;
