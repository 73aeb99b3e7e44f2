-- CodeArtifact domains and repositories, their resource policies and tags.

CREATE TABLE domains (
  owner            TEXT NOT NULL REFERENCES accounts (account_id),
  name             TEXT NOT NULL,
  encryption_key   TEXT NOT NULL,
  created_at       BIGINT NOT NULL,
  policy           TEXT,
  policy_revision  TEXT,
  PRIMARY KEY (owner, name)
);

CREATE TABLE repositories (
  domain_owner           TEXT NOT NULL,
  domain_name            TEXT NOT NULL,
  name                   TEXT NOT NULL,
  administrator_account  TEXT NOT NULL,
  description            TEXT,
  created_at             BIGINT NOT NULL,
  policy                 TEXT,
  policy_revision        TEXT,
  PRIMARY KEY (domain_owner, domain_name, name),
  FOREIGN KEY (domain_owner, domain_name) REFERENCES domains (owner, name)
);

-- The ordered upstreams of a repository (position 0 is searched first).
CREATE TABLE repository_upstreams (
  domain_owner     TEXT NOT NULL,
  domain_name      TEXT NOT NULL,
  repository_name  TEXT NOT NULL,
  position         INTEGER NOT NULL,
  upstream_name    TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, repository_name, position),
  FOREIGN KEY (domain_owner, domain_name, repository_name) REFERENCES repositories (domain_owner, domain_name, name)
);
CREATE INDEX repository_upstreams_by_upstream ON repository_upstreams (domain_owner, domain_name, upstream_name);

CREATE TABLE resource_tags (
  resource_arn  TEXT NOT NULL,
  tag_key       TEXT NOT NULL,
  tag_value     TEXT NOT NULL,
  PRIMARY KEY (resource_arn, tag_key)
);
