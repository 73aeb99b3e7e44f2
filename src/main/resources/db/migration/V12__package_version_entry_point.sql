-- Where each package version entered the domain (CodeArtifact's DomainEntryPoint, shown in the
-- origin of DescribePackageVersion and ListPackageVersions): the repository it was published to, or
-- the external connection (public:npmjs, ...) it was ingested from. At most one is set; both are
-- NULL when it is not known. It travels with the version when it is retained or copied elsewhere.

ALTER TABLE package_versions ADD COLUMN entry_repository TEXT;
ALTER TABLE package_versions ADD COLUMN entry_external_connection TEXT;

-- Backfill of INTERNAL versions. A version retained from an upstream or copied keeps the revision of
-- the one it came from (revisions are random), so the entry point of each version is the repository
-- of the earliest-modified INTERNAL version of the same package and version with the same revision:
-- itself when it was published there, or when nothing of its lineage is left. (The original keeps
-- modified = published until it changes, and a change gives it a new revision.)
-- EXTERNAL versions keep NULL: which connection they came from was not recorded.
CREATE INDEX package_versions_lineage_v12
  ON package_versions (domain_owner, domain_name, format, namespace, name, version, revision);

UPDATE package_versions SET entry_repository = (
  SELECT o.repository FROM package_versions o
  WHERE o.domain_owner = package_versions.domain_owner AND o.domain_name = package_versions.domain_name
    AND o.format = package_versions.format AND o.namespace = package_versions.namespace
    AND o.name = package_versions.name AND o.version = package_versions.version
    AND o.revision = package_versions.revision AND o.origin = 'INTERNAL'
  ORDER BY o.modified_at, o.repository
  LIMIT 1)
WHERE origin = 'INTERNAL';

DROP INDEX package_versions_lineage_v12;
