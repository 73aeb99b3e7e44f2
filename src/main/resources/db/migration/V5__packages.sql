-- Packages, their versions and assets (shared by every format), and npm's dist-tags.
-- No foreign key to repositories: a repository's packages are removed with it by the service.

CREATE TABLE packages (
  domain_owner  TEXT NOT NULL,
  domain_name   TEXT NOT NULL,
  repository    TEXT NOT NULL,
  format        TEXT NOT NULL,
  namespace     TEXT NOT NULL,   -- '' when the format or package has none
  name          TEXT NOT NULL,
  created_at    BIGINT NOT NULL,
  modified_at   BIGINT NOT NULL,
  metadata      TEXT,            -- format-specific package-level JSON
  PRIMARY KEY (domain_owner, domain_name, repository, format, namespace, name)
);

CREATE TABLE package_versions (
  domain_owner  TEXT NOT NULL,
  domain_name   TEXT NOT NULL,
  repository    TEXT NOT NULL,
  format        TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,
  status        TEXT NOT NULL,   -- Published | Unfinished | Unlisted | Archived | Disposed
  revision      TEXT NOT NULL,
  published_at  BIGINT NOT NULL,
  modified_at   BIGINT NOT NULL,
  summary       TEXT,
  metadata      TEXT NOT NULL,   -- format-specific version JSON (npm: the manifest)
  origin        TEXT NOT NULL,   -- INTERNAL | EXTERNAL | UNKNOWN
  PRIMARY KEY (domain_owner, domain_name, repository, format, namespace, name, version),
  FOREIGN KEY (domain_owner, domain_name, repository, format, namespace, name)
    REFERENCES packages (domain_owner, domain_name, repository, format, namespace, name)
);

CREATE TABLE package_assets (
  domain_owner  TEXT NOT NULL,
  domain_name   TEXT NOT NULL,
  repository    TEXT NOT NULL,
  format        TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,
  asset_name    TEXT NOT NULL,
  sha256        TEXT NOT NULL,   -- the blob's key
  size          BIGINT NOT NULL,
  md5           TEXT NOT NULL,
  sha1          TEXT NOT NULL,
  sha512        TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, repository, format, namespace, name, version, asset_name),
  FOREIGN KEY (domain_owner, domain_name, repository, format, namespace, name, version)
    REFERENCES package_versions (domain_owner, domain_name, repository, format, namespace, name, version)
);
CREATE INDEX package_assets_by_blob ON package_assets (sha256);

CREATE TABLE package_dist_tags (
  domain_owner  TEXT NOT NULL,
  domain_name   TEXT NOT NULL,
  repository    TEXT NOT NULL,
  format        TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  name          TEXT NOT NULL,
  tag           TEXT NOT NULL,
  version       TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, repository, format, namespace, name, tag),
  FOREIGN KEY (domain_owner, domain_name, repository, format, namespace, name)
    REFERENCES packages (domain_owner, domain_name, repository, format, namespace, name)
);
