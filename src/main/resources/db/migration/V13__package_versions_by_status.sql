-- ListPackageVersions with a status filter, and defaultDisplayVersion (the newest Published version),
-- walk a package's versions of one status in publish order: without this index they scanned every
-- version from the start (or end) of package_versions_by_time, reading each row to test its status.
-- Pages are keyset pages on (published_at, version) after the last one returned (no OFFSET).
-- Written to apply after V12 (which only adds columns to package_versions): it names existing columns.
CREATE INDEX package_versions_by_status_time
  ON package_versions (domain_owner, domain_name, repository, format, namespace, name, status, published_at, version);
