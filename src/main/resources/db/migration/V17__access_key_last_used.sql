-- GetAccessKeyLastUsed: when an access key last signed a request that Wharf accepted, for which service
-- (the signing name: iam, sts, codeartifact, wharf) and region. Written in batches off the request path
-- (CredentialService.flushKeyUses); NULL until the key is first used.
ALTER TABLE access_keys ADD COLUMN last_used_at BIGINT;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT;
ALTER TABLE access_keys ADD COLUMN last_used_region TEXT;
