-- OpenID Connect identity providers (IAM CreateOpenIDConnectProvider), trusted by roles through
-- Principal.Federated for sts:AssumeRoleWithWebIdentity. url is the issuer without "https://"
-- (host, optional port, optional path), as IAM reports it; the ARN is derived from it. Client IDs
-- and thumbprints are JSON arrays of strings (a provider holds at most 100 and 5 of them).
CREATE TABLE oidc_providers (
  provider_arn  TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts (account_id),
  url           TEXT NOT NULL,
  client_ids    TEXT NOT NULL,
  thumbprints   TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE INDEX oidc_providers_by_account ON oidc_providers (account_id);
