-- Package origin controls (PutPackageOriginConfiguration): whether new versions of a package may be
-- published to a repository, and whether they may arrive from its upstreams. No row means ALLOW/ALLOW.

CREATE TABLE package_origin_configurations (
  domain_owner  TEXT NOT NULL,
  domain_name   TEXT NOT NULL,
  repository    TEXT NOT NULL,
  format        TEXT NOT NULL,
  namespace     TEXT NOT NULL,
  name          TEXT NOT NULL,
  publish       TEXT NOT NULL,   -- ALLOW | BLOCK
  upstream      TEXT NOT NULL,   -- ALLOW | BLOCK
  PRIMARY KEY (domain_owner, domain_name, repository, format, namespace, name),
  FOREIGN KEY (domain_owner, domain_name, repository, format, namespace, name)
    REFERENCES packages (domain_owner, domain_name, repository, format, namespace, name)
);

-- ListPackageVersions pages through a package's versions in publish order (or newest first) with
-- LIMIT/OFFSET, without reading every version's metadata.
CREATE INDEX package_versions_by_time
  ON package_versions (domain_owner, domain_name, repository, format, namespace, name, published_at, version);
