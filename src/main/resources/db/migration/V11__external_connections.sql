-- A repository's external connection (AssociateExternalConnection): at most one per repository, named
-- as CodeArtifact names them (public:npmjs, public:pypi, ...). The upstream URL each name reaches is
-- server configuration, not data.

CREATE TABLE repository_external_connections (
  domain_owner     TEXT NOT NULL,
  domain_name      TEXT NOT NULL,
  repository_name  TEXT NOT NULL,
  connection_name  TEXT NOT NULL,
  PRIMARY KEY (domain_owner, domain_name, repository_name),
  FOREIGN KEY (domain_owner, domain_name, repository_name) REFERENCES repositories (domain_owner, domain_name, name)
);
