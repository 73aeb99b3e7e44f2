package dev.wharf.packages.infrastructure;

import dev.wharf.packages.OriginRestrictions;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link PackageStore} on JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class SqlPackageStore implements PackageStore {
  private static final String KEY_COLUMNS = "domain_owner, domain_name, repository, format, namespace, name";
  private static final String KEY_VALUES = ":owner, :domain, :repository, :format, :namespace, :name";
  private static final String KEY_MATCH = "domain_owner = :owner AND domain_name = :domain AND repository = :repository"
      + " AND format = :format AND namespace = :namespace AND name = :name";
  /** The package's latest version (by publication) with the status :status. */
  private static final String LATEST_WITH_STATUS = "SELECT version FROM package_versions WHERE " + KEY_MATCH
      + " AND status = :status ORDER BY published_at DESC, version DESC LIMIT 1";

  private final Jdbi jdbi;

  public SqlPackageStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  private static <T extends SqlStatement<T>> T bindKey(T statement, PackageKey key) {
    return statement.bind("owner", key.domainOwner()).bind("domain", key.domainName()).bind("repository", key.repository())
        .bind("format", key.format()).bind("namespace", key.namespace()).bind("name", key.name());
  }

  @Override
  public InsertOutcome insertVersion(PackageVersion version, List<PackageAsset> assets, Map<String, String> distTags,
      OriginRestrictions newPackage, Instant now) {
    PackageKey key = version.key();
    return jdbi.inTransaction(h -> {
      insertPackageRow(h, key, newPackage, now);
      int inserted = insertVersionRow(h, version, true);
      if (inserted == 0) {
        h.rollback();
        return InsertOutcome.VERSION_EXISTS;
      }
      for (PackageAsset asset : assets) {
        insertAssetRow(h, key, version.version(), asset, false);
      }
      distTags.forEach((tag, tagged) -> upsertTag(h, key, tag, tagged));
      touch(h, key, now);
      return InsertOutcome.INSERTED;
    });
  }

  @Override
  public boolean insertAssets(PackageKey key, String version, List<PackageAsset> assets, String metadata,
      String revision, Instant now) {
    if (assets.isEmpty() || (metadata != null && revision == null)) {
      throw new IllegalArgumentException("at least one asset, and a revision with the metadata");
    }
    return jdbi.inTransaction(h -> {
      if (!versionExists(h, key, version) || insertAssetRow(h, key, version, assets.getFirst(), true) == 0) {
        return false;
      }
      for (PackageAsset companion : assets.subList(1, assets.size())) {
        insertAssetRow(h, key, version, companion, true);
      }
      if (metadata != null) {
        bindKey(h.createUpdate("UPDATE package_versions SET metadata = :metadata, revision = :revision,"
            + " modified_at = :now WHERE " + KEY_MATCH + " AND version = :version"), key)
            .bind("metadata", metadata).bind("revision", revision).bind("now", now.toEpochMilli())
            .bind("version", version).execute();
      }
      touch(h, key, now);
      return true;
    });
  }

  @Override
  public AssetPublication publishAsset(PackageVersion version, PackageAsset asset, OriginRestrictions newPackage,
      Instant now) {
    PackageKey key = version.key();
    return jdbi.inTransaction(h -> {
      insertPackageRow(h, key, newPackage, now);
      int inserted = insertVersionRow(h, version, true);
      if (inserted > 0) {
        insertAssetRow(h, key, version.version(), asset, false);
        touch(h, key, now);
        return new AssetPublication(AssetOutcome.CREATED, version);
      }
      // Locks the version row (PostgreSQL) while it is Unfinished; SQLite already serializes writers.
      boolean unfinished = bindKey(h.createUpdate("UPDATE package_versions SET status = status WHERE " + KEY_MATCH
          + " AND version = :version AND status = :unfinished"), key).bind("version", version.version())
          .bind("unfinished", VersionStatus.UNFINISHED.wireName()).execute() > 0;
      Optional<PackageAsset> existing = bindKey(h.createQuery("SELECT * FROM package_assets WHERE " + KEY_MATCH
          + " AND version = :version AND asset_name = :asset"), key).bind("version", version.version())
          .bind("asset", asset.name()).map((rs, ctx) -> asset(rs)).findOne();
      PackageVersion current = bindKey(h.createQuery("SELECT * FROM package_versions WHERE " + KEY_MATCH
          + " AND version = :version"), key).bind("version", version.version()).map((rs, ctx) -> version(rs)).one();
      if (existing.isPresent() && !existing.get().sha256().equals(asset.sha256())) {
        return new AssetPublication(AssetOutcome.ASSET_CONFLICT, current);
      }
      if (!unfinished) {
        return new AssetPublication(existing.isPresent() ? AssetOutcome.UNCHANGED : AssetOutcome.NOT_UNFINISHED, current);
      }
      if (existing.isPresent() && version.status() == VersionStatus.UNFINISHED) {
        return new AssetPublication(AssetOutcome.UNCHANGED, current);
      }
      if (existing.isEmpty()) {
        insertAssetRow(h, key, version.version(), asset, false);
      }
      setVersionStatus(h, key, version.version(), version.status(), version.revision(), version.modifiedAt());
      touch(h, key, now);
      return new AssetPublication(AssetOutcome.UPDATED, new PackageVersion(key, current.version(), version.status(),
          version.revision(), current.publishedAt(), version.modifiedAt(), current.summary(), current.metadata(),
          current.origin(), current.entryPoint()));
    });
  }

  /** Inserts a version's row; with {@code ifAbsent} an existing one is left alone (0 returned). */
  private static int insertVersionRow(Handle h, PackageVersion version, boolean ifAbsent) {
    return bindKey(h.createUpdate("INSERT INTO package_versions (" + KEY_COLUMNS + ", version, status, revision,"
            + " published_at, modified_at, summary, metadata, origin, entry_repository, entry_external_connection)"
            + " VALUES (" + KEY_VALUES + ", :version, :status, :revision, :published, :modified, :summary, :metadata,"
            + " :origin, :entryRepository, :entryConnection)"
            + (ifAbsent ? " ON CONFLICT (" + KEY_COLUMNS + ", version) DO NOTHING" : "")), version.key())
        .bind("version", version.version()).bind("status", version.status().wireName()).bind("revision", version.revision())
        .bind("published", version.publishedAt().toEpochMilli()).bind("modified", version.modifiedAt().toEpochMilli())
        .bind("summary", version.summary()).bind("metadata", version.metadata()).bind("origin", version.origin())
        .bind("entryRepository", version.entryPoint().repositoryName())
        .bind("entryConnection", version.entryPoint().externalConnectionName())
        .execute();
  }

  /** Inserts an asset's row; with {@code ifAbsent} an existing one is left alone (0 returned). */
  private static int insertAssetRow(Handle h, PackageKey key, String version, PackageAsset asset, boolean ifAbsent) {
    return bindKey(h.createUpdate("INSERT INTO package_assets (" + KEY_COLUMNS + ", version, asset_name, sha256, size, md5,"
            + " sha1, sha512) VALUES (" + KEY_VALUES + ", :version, :asset, :sha256, :size, :md5, :sha1, :sha512)"
            + (ifAbsent ? " ON CONFLICT (" + KEY_COLUMNS + ", version, asset_name) DO NOTHING" : "")), key)
        .bind("version", version).bind("asset", asset.name()).bind("sha256", asset.sha256())
        .bind("size", asset.size()).bind("md5", asset.md5()).bind("sha1", asset.sha1()).bind("sha512", asset.sha512())
        .execute();
  }

  /** The package's row, inserted unless it is there already. */
  private static void insertPackageRow(Handle h, PackageKey key, Instant now) {
    insertPackageRow(h, key, null, now);
  }

  /**
   * The package's row, inserted unless it is there already; a package inserted here gets the origin restrictions
   * {@code newPackage} (when not null) in the same transaction.
   */
  private static void insertPackageRow(Handle h, PackageKey key, OriginRestrictions newPackage, Instant now) {
    int inserted = bindKey(h.createUpdate("INSERT INTO packages (" + KEY_COLUMNS + ", created_at, modified_at) VALUES ("
        + KEY_VALUES + ", :now, :now) ON CONFLICT (" + KEY_COLUMNS + ") DO NOTHING"), key)
        .bind("now", now.toEpochMilli()).execute();
    if (inserted > 0 && newPackage != null) {
      bindKey(h.createUpdate("INSERT INTO package_origin_configurations (" + KEY_COLUMNS + ", publish, upstream) VALUES ("
          + KEY_VALUES + ", :publish, :upstream) ON CONFLICT (" + KEY_COLUMNS + ") DO NOTHING"), key)
          .bind("publish", newPackage.publish().name()).bind("upstream", newPackage.upstream().name()).execute();
    }
  }

  private static boolean versionExists(Handle h, PackageKey key, String version) {
    return bindKey(h.createQuery("SELECT COUNT(*) FROM package_versions WHERE " + KEY_MATCH + " AND version = :version"),
        key).bind("version", version).mapTo(Long.class).one() > 0;
  }

  private static int setVersionStatus(Handle h, PackageKey key, String version, VersionStatus status, String revision,
      Instant modifiedAt) {
    return bindKey(h.createUpdate("UPDATE package_versions SET status = :status, revision = :revision,"
        + " modified_at = :now WHERE " + KEY_MATCH + " AND version = :version"), key)
        .bind("status", status.wireName()).bind("revision", revision).bind("now", modifiedAt.toEpochMilli())
        .bind("version", version).execute();
  }

  @Override
  public boolean removeAsset(PackageKey key, String version, String assetName, String sha256, Instant now) {
    return jdbi.inTransaction(h -> {
      int removed = bindKey(h.createUpdate("DELETE FROM package_assets WHERE " + KEY_MATCH
          + " AND version = :version AND asset_name = :asset AND sha256 = :sha256"), key)
          .bind("version", version).bind("asset", assetName).bind("sha256", sha256).execute();
      return touchIfChanged(h, key, now, removed);
    });
  }

  private static void upsertTag(Handle h, PackageKey key, String tag, String version) {
    bindKey(h.createUpdate("INSERT INTO package_dist_tags (" + KEY_COLUMNS + ", tag, version) VALUES (" + KEY_VALUES
        + ", :tag, :version) ON CONFLICT (" + KEY_COLUMNS + ", tag) DO UPDATE SET version = excluded.version"), key)
        .bind("tag", tag).bind("version", version).execute();
  }

  private static void touch(Handle h, PackageKey key, Instant now) {
    bindKey(h.createUpdate("UPDATE packages SET modified_at = :now WHERE " + KEY_MATCH), key)
        .bind("now", now.toEpochMilli()).execute();
  }

  /** Touches the package when a change wrote any row, and says whether it did. */
  private static boolean touchIfChanged(Handle h, PackageKey key, Instant now, int rowsChanged) {
    if (rowsChanged > 0) {
      touch(h, key, now);
    }
    return rowsChanged > 0;
  }

  @Override
  public Optional<PackageSummary> findPackage(PackageKey key) {
    return jdbi.withHandle(h -> findPackage(h, key));
  }

  private static Optional<PackageSummary> findPackage(Handle h, PackageKey key) {
    return bindKey(h.createQuery("SELECT * FROM packages WHERE " + KEY_MATCH), key)
        .map((rs, ctx) -> summary(rs)).findOne();
  }

  private static PackageSummary summary(ResultSet rs) throws SQLException {
    return new PackageSummary(key(rs), Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("modified_at")));
  }

  private static PackageKey key(ResultSet rs) throws SQLException {
    return new PackageKey(rs.getString("domain_owner"), rs.getString("domain_name"), rs.getString("repository"),
        rs.getString("format"), rs.getString("namespace"), rs.getString("name"));
  }

  private static PackageVersion version(ResultSet rs) throws SQLException {
    return version(rs, key(rs));
  }

  /**
   * A row of package_versions of the package {@code key} (which matched it): the versions of one package share
   * its key and their repeated words, so a document of thousands of versions does not hold thousands of copies.
   */
  private static PackageVersion version(ResultSet rs, PackageKey key) throws SQLException {
    return new PackageVersion(key, rs.getString("version"), VersionStatus.fromWireName(rs.getString("status")),
        rs.getString("revision"), Instant.ofEpochMilli(rs.getLong("published_at")),
        Instant.ofEpochMilli(rs.getLong("modified_at")), rs.getString("summary"), rs.getString("metadata"),
        origin(rs), entryPoint(rs, key));
  }

  private static String origin(ResultSet rs) throws SQLException {
    String origin = rs.getString("origin");
    return origin == null ? null : switch (origin) {
      case "INTERNAL" -> "INTERNAL";
      case "EXTERNAL" -> "EXTERNAL";
      case "UNKNOWN" -> "UNKNOWN";
      default -> origin;
    };
  }

  private static PackageVersion.EntryPoint entryPoint(ResultSet rs, PackageKey key) throws SQLException {
    String repository = rs.getString("entry_repository");
    String connection = rs.getString("entry_external_connection");
    if (repository == null && connection == null) {
      return PackageVersion.EntryPoint.UNKNOWN;
    }
    if (key.repository().equals(repository)) {
      repository = key.repository();
    }
    return new PackageVersion.EntryPoint(repository, connection);
  }

  private static PackageAsset asset(ResultSet rs) throws SQLException {
    return new PackageAsset(rs.getString("asset_name"), rs.getString("sha256"), rs.getLong("size"), rs.getString("md5"),
        rs.getString("sha1"), rs.getString("sha512"));
  }

  @Override
  public List<PackageVersion> listVersions(PackageKey key) {
    return jdbi.withHandle(h -> listVersions(h, key));
  }

  private static List<PackageVersion> listVersions(Handle h, PackageKey key) {
    return bindKey(h.createQuery("SELECT * FROM package_versions WHERE " + KEY_MATCH + " ORDER BY published_at, version"), key)
        .map((rs, ctx) -> version(rs, key)).list();
  }

  @Override
  public Optional<PackageVersion> findVersion(PackageKey key, String version) {
    return jdbi.withHandle(h -> bindKey(h.createQuery("SELECT * FROM package_versions WHERE " + KEY_MATCH
        + " AND version = :version"), key).bind("version", version).map((rs, ctx) -> version(rs)).findOne());
  }

  @Override
  public List<PackageAsset> listAssets(PackageKey key, String version) {
    return jdbi.withHandle(h -> bindKey(h.createQuery("SELECT * FROM package_assets WHERE " + KEY_MATCH
        + " AND version = :version ORDER BY asset_name"), key).bind("version", version).map((rs, ctx) -> asset(rs)).list());
  }

  @Override
  public Optional<PackageDocument> readDocument(PackageKey key) {
    return jdbi.inTransaction(h -> {
      Optional<PackageSummary> summary = findPackage(h, key);
      if (summary.isEmpty()) {
        return Optional.empty();
      }
      Map<String, List<PackageAsset>> assets = new LinkedHashMap<>();
      bindKey(h.createQuery("SELECT * FROM package_assets WHERE " + KEY_MATCH + " ORDER BY version, asset_name"), key)
          .map((rs, ctx) -> {
            assets.computeIfAbsent(rs.getString("version"), v -> new ArrayList<>()).add(asset(rs));
            return null;
          }).list();
      List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
      for (PackageVersion version : listVersions(h, summary.get().key())) {
        versions.add(new PackageDocument.VersionWithAssets(version, assets.getOrDefault(version.version(), List.of())));
      }
      return Optional.of(new PackageDocument(summary.get(), versions, distTags(h, key)));
    });
  }

  @Override
  public List<PackageSummary> listPackages(String domainOwner, String domainName, String repository, String format,
      String namespace, String namePrefix) {
    StringBuilder sql = new StringBuilder("SELECT * FROM packages WHERE domain_owner = :owner AND domain_name = :domain"
        + " AND repository = :repository");
    appendNameFilters(sql, "", format, namespace, namePrefix);
    sql.append(" ORDER BY format, namespace, name");
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql.toString()).bind("owner", domainOwner).bind("domain", domainName)
          .bind("repository", repository);
      bindNameFilters(query, format, namespace, namePrefix);
      return query.map((rs, ctx) -> summary(rs)).list();
    });
  }

  /**
   * ListPackages' filters on a package's key: its format, a prefix of its namespace and of its name
   * (a prefix's length in code points, as substr counts on SQLite and PostgreSQL), on the columns of
   * {@code table} ("" or "p.").
   */
  private static void appendNameFilters(StringBuilder sql, String table, String format, String namespace,
      String namePrefix) {
    if (format != null) {
      sql.append(" AND ").append(table).append("format = :format");
    }
    if (namespace != null) {
      sql.append(" AND substr(").append(table).append("namespace, 1, :namespaceLength) = :namespace");
    }
    if (namePrefix != null) {
      sql.append(" AND substr(").append(table).append("name, 1, :prefixLength) = :prefix");
    }
  }

  private static void bindNameFilters(Query query, String format, String namespace, String namePrefix) {
    if (format != null) {
      query.bind("format", format);
    }
    if (namespace != null) {
      query.bind("namespace", namespace).bind("namespaceLength", namespace.codePointCount(0, namespace.length()));
    }
    if (namePrefix != null) {
      query.bind("prefix", namePrefix).bind("prefixLength", namePrefix.codePointCount(0, namePrefix.length()));
    }
  }

  @Override
  public List<ListedPackage> listPackagesPage(String domainOwner, String domainName, String repository,
      PackageFilter filter, PackagePosition after, int limit) {
    // Keyset paging along the packages primary key (owner, domain, repository, format, namespace, name),
    // in listPackages' order. The origin filters are in the query (a package without a configuration
    // row is ALLOW/ALLOW), so a page is only short when the listing ends.
    StringBuilder sql = new StringBuilder("SELECT p.domain_owner, p.domain_name, p.repository, p.format, p.namespace,"
        + " p.name, p.created_at, p.modified_at, o.publish, o.upstream FROM packages p"
        + " LEFT JOIN package_origin_configurations o ON o.domain_owner = p.domain_owner"
        + " AND o.domain_name = p.domain_name AND o.repository = p.repository AND o.format = p.format"
        + " AND o.namespace = p.namespace AND o.name = p.name"
        + " WHERE p.domain_owner = :owner AND p.domain_name = :domain AND p.repository = :repository");
    appendNameFilters(sql, "p.", filter.format(), filter.namespace(), filter.namePrefix());
    if (filter.publish() != null) {
      sql.append(" AND COALESCE(o.publish, 'ALLOW') = :publish");
    }
    if (filter.upstream() != null) {
      sql.append(" AND COALESCE(o.upstream, 'ALLOW') = :upstream");
    }
    if (after != null) {
      sql.append(" AND (p.format, p.namespace, p.name) > (:after_format, :after_namespace, :after_name)");
    }
    sql.append(" ORDER BY p.format, p.namespace, p.name LIMIT :limit");
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql.toString()).bind("owner", domainOwner).bind("domain", domainName)
          .bind("repository", repository).bind("limit", limit);
      bindNameFilters(query, filter.format(), filter.namespace(), filter.namePrefix());
      if (filter.publish() != null) {
        query.bind("publish", filter.publish().name());
      }
      if (filter.upstream() != null) {
        query.bind("upstream", filter.upstream().name());
      }
      if (after != null) {
        query.bind("after_format", after.format()).bind("after_namespace", after.namespace())
            .bind("after_name", after.name());
      }
      return query.map((rs, ctx) -> new ListedPackage(summary(rs),
          rs.getString("publish") == null ? OriginRestrictions.DEFAULT : restrictions(rs))).list();
    });
  }

  @Override
  public List<String> packageNames(String domainOwner, String domainName, String repository, String format,
      String namespace, List<String> notIn, String after, int limit) {
    // NOT EXISTS is one primary-key probe per name and excluded repository: a page costs the same
    // however many names the excluded repositories have.
    String sql = "SELECT name FROM packages p WHERE domain_owner = :owner AND domain_name = :domain"
        + " AND repository = :repository AND format = :format AND namespace = :namespace"
        + (after == null ? "" : " AND name > :after")
        + (notIn.isEmpty() ? "" : " AND NOT EXISTS (SELECT 1 FROM packages o WHERE o.domain_owner = p.domain_owner"
            + " AND o.domain_name = p.domain_name AND o.repository IN (<notIn>) AND o.format = p.format"
            + " AND o.namespace = p.namespace AND o.name = p.name)")
        + " ORDER BY name LIMIT :limit";
    return jdbi.withHandle(h -> {
      var query = h.createQuery(sql).bind("owner", domainOwner).bind("domain", domainName)
          .bind("repository", repository).bind("format", format).bind("namespace", namespace).bind("limit", limit);
      if (!notIn.isEmpty()) {
        query.bindList("notIn", List.copyOf(notIn));
      }
      if (after != null) {
        query.bind("after", after);
      }
      return query.mapTo(String.class).list();
    });
  }

  @Override
  public Map<String, String> distTags(PackageKey key) {
    return jdbi.withHandle(h -> distTags(h, key));
  }

  private static Map<String, String> distTags(Handle h, PackageKey key) {
    Map<String, String> tags = new LinkedHashMap<>();
    bindKey(h.createQuery("SELECT tag, version FROM package_dist_tags WHERE " + KEY_MATCH + " ORDER BY tag"), key)
        .map((rs, ctx) -> tags.put(rs.getString("tag"), rs.getString("version"))).list();
    return tags;
  }

  @Override
  public boolean putDistTag(PackageKey key, String tag, String version, Instant now) {
    return jdbi.inTransaction(h -> {
      if (!versionExists(h, key, version)) {
        return false;
      }
      upsertTag(h, key, tag, version);
      touch(h, key, now);
      return true;
    });
  }

  @Override
  public boolean deleteDistTag(PackageKey key, String tag, Instant now) {
    return jdbi.inTransaction(h -> {
      int deleted = bindKey(h.createUpdate("DELETE FROM package_dist_tags WHERE " + KEY_MATCH + " AND tag = :tag"), key)
          .bind("tag", tag).execute();
      return touchIfChanged(h, key, now, deleted);
    });
  }

  @Override
  public boolean fillVersionMetadata(PackageKey key, String version, String summary, String metadata, Instant now) {
    return jdbi.inTransaction(h -> {
      int updated = bindKey(h.createUpdate("UPDATE package_versions SET metadata = :metadata,"
          + " summary = COALESCE(summary, :summary), modified_at = :now WHERE " + KEY_MATCH
          + " AND version = :version AND metadata = '{}'"), key)
          .bind("metadata", metadata).bind("summary", summary).bind("now", now.toEpochMilli()).bind("version", version)
          .execute();
      return touchIfChanged(h, key, now, updated);
    });
  }

  @Override
  public boolean updateVersionMetadata(PackageKey key, String version, String metadata, String expectedRevision,
      String revision, Instant now) {
    return jdbi.inTransaction(h -> {
      int updated = bindKey(h.createUpdate("UPDATE package_versions SET metadata = :metadata, revision = :revision,"
          + " modified_at = :now WHERE " + KEY_MATCH + " AND version = :version"
          + (expectedRevision == null ? "" : " AND revision = :expected")), key)
          .bind("metadata", metadata).bind("revision", revision).bind("now", now.toEpochMilli()).bind("version", version)
          .bind("expected", expectedRevision).execute();
      return touchIfChanged(h, key, now, updated);
    });
  }

  @Override
  public boolean updateVersionStatus(PackageKey key, String version, VersionStatus status, String revision, Instant now) {
    return jdbi.inTransaction(h ->
        touchIfChanged(h, key, now, setVersionStatus(h, key, version, status, revision, now)));
  }

  @Override
  public void deleteRepositoryContents(String domainOwner, String domainName, String repository) {
    jdbi.useTransaction(h -> {
      for (String table : List.of("package_origin_configurations", "package_dist_tags", "package_assets", "package_versions",
          "packages")) {
        h.createUpdate("DELETE FROM " + table + " WHERE domain_owner = :owner AND domain_name = :domain"
                + " AND repository = :repository")
            .bind("owner", domainOwner).bind("domain", domainName).bind("repository", repository).execute();
      }
    });
  }

  // ---------------------------------------------------------------- package management

  private static OriginRestrictions restrictions(ResultSet rs) throws SQLException {
    return new OriginRestrictions(OriginRestrictions.Mode.valueOf(rs.getString("publish")),
        OriginRestrictions.Mode.valueOf(rs.getString("upstream")));
  }

  @Override
  public Optional<OriginRestrictions> originRestrictions(PackageKey key) {
    return jdbi.withHandle(h -> bindKey(h.createQuery("SELECT publish, upstream FROM package_origin_configurations WHERE "
        + KEY_MATCH), key).map((rs, ctx) -> restrictions(rs)).findOne());
  }

  @Override
  public void putOriginRestrictions(PackageKey key, OriginRestrictions restrictions, Instant now) {
    jdbi.useTransaction(h -> {
      insertPackageRow(h, key, now);
      bindKey(h.createUpdate("INSERT INTO package_origin_configurations (" + KEY_COLUMNS + ", publish, upstream) VALUES ("
          + KEY_VALUES + ", :publish, :upstream) ON CONFLICT (" + KEY_COLUMNS + ") DO UPDATE SET publish = excluded.publish,"
          + " upstream = excluded.upstream"), key)
          .bind("publish", restrictions.publish().name()).bind("upstream", restrictions.upstream().name()).execute();
      touch(h, key, now);
    });
  }

  @Override
  public boolean deletePackage(PackageKey key) {
    return jdbi.inTransaction(h -> {
      for (String table : List.of("package_origin_configurations", "package_dist_tags", "package_assets",
          "package_versions")) {
        bindKey(h.createUpdate("DELETE FROM " + table + " WHERE " + KEY_MATCH), key).execute();
      }
      return bindKey(h.createUpdate("DELETE FROM packages WHERE " + KEY_MATCH), key).execute() > 0;
    });
  }

  @Override
  public boolean changeVersionStatus(PackageKey key, String version, String expectedRevision, VersionStatus status,
      String newRevision, boolean removeAssets, Instant now) {
    return jdbi.inTransaction(h -> {
      int updated = bindKey(h.createUpdate("UPDATE package_versions SET status = :status, revision = :revision,"
          + " modified_at = :now WHERE " + KEY_MATCH + " AND version = :version AND revision = :expected"), key)
          .bind("status", status.wireName()).bind("revision", newRevision).bind("now", now.toEpochMilli())
          .bind("version", version).bind("expected", expectedRevision).execute();
      if (updated == 0) {
        return false;
      }
      if (removeAssets) {
        bindKey(h.createUpdate("DELETE FROM package_assets WHERE " + KEY_MATCH + " AND version = :version"), key)
            .bind("version", version).execute();
      }
      touch(h, key, now);
      return true;
    });
  }

  @Override
  public boolean deleteVersion(PackageKey key, String version, String expectedRevision, Instant now) {
    return jdbi.inTransaction(h -> {
      boolean current = bindKey(h.createQuery("SELECT COUNT(*) FROM package_versions WHERE " + KEY_MATCH
          + " AND version = :version AND revision = :expected"), key).bind("version", version)
          .bind("expected", expectedRevision).mapTo(Long.class).one() > 0;
      if (!current) {
        return false;
      }
      removeVersion(h, key, version);
      touch(h, key, now);
      return true;
    });
  }

  private static void removeVersion(Handle h, PackageKey key, String version) {
    for (String table : List.of("package_dist_tags", "package_assets", "package_versions")) {
      bindKey(h.createUpdate("DELETE FROM " + table + " WHERE " + KEY_MATCH + " AND version = :version"), key)
          .bind("version", version).execute();
    }
  }

  @Override
  public InsertOutcome copyVersion(PackageVersion version, List<PackageAsset> assets, boolean overwrite,
      OriginRestrictions newPackage, Instant now) {
    if (!overwrite) {
      return insertVersion(version, assets, Map.of(), newPackage, now);
    }
    PackageKey key = version.key();
    return jdbi.inTransaction(h -> {
      removeVersion(h, key, version.version());
      insertPackageRow(h, key, newPackage, now);
      insertVersionRow(h, version, false);
      for (PackageAsset asset : assets) {
        insertAssetRow(h, key, version.version(), asset, false);
      }
      touch(h, key, now);
      return InsertOutcome.INSERTED;
    });
  }

  @Override
  public List<PackageVersion> listVersionsPage(PackageKey key, String status, String originType, boolean newestFirst,
      VersionPosition after, int limit) {
    // Keyset paging on package_versions_by_time, or on package_versions_by_status_time when a status is
    // asked for (both end in published_at, version): the page starts where the last one ended, whatever
    // its depth. The key columns are not read back: they are the key asked for.
    String sql = "SELECT version, status, revision, published_at, modified_at, origin, entry_repository,"
        + " entry_external_connection"
        + " FROM package_versions WHERE " + KEY_MATCH + (status == null ? "" : " AND status = :status")
        + (originType == null ? "" : " AND origin = :origin")
        + (after == null ? "" : " AND (published_at, version) " + (newestFirst ? "<" : ">") + " (:after_at, :after_version)")
        + (newestFirst ? " ORDER BY published_at DESC, version DESC" : " ORDER BY published_at, version")
        + " LIMIT :limit";
    return jdbi.withHandle(h -> {
      var query = bindKey(h.createQuery(sql), key).bind("limit", limit);
      if (status != null) {
        query.bind("status", status);
      }
      if (originType != null) {
        query.bind("origin", originType);
      }
      if (after != null) {
        query.bind("after_at", after.publishedAt().toEpochMilli()).bind("after_version", after.version());
      }
      return query.map((rs, ctx) -> new PackageVersion(key, rs.getString("version"),
          VersionStatus.fromWireName(rs.getString("status")), rs.getString("revision"),
          Instant.ofEpochMilli(rs.getLong("published_at")), Instant.ofEpochMilli(rs.getLong("modified_at")), null, null,
          origin(rs), entryPoint(rs, key))).list();
    });
  }

  @Override
  public Optional<String> taggedOrLatestPublishedVersion(PackageKey key, String tag) {
    String tagged = "SELECT v.version FROM package_dist_tags t JOIN package_versions v ON v.domain_owner = t.domain_owner"
        + " AND v.domain_name = t.domain_name AND v.repository = t.repository AND v.format = t.format"
        + " AND v.namespace = t.namespace AND v.name = t.name AND v.version = t.version"
        + " WHERE t.domain_owner = :owner AND t.domain_name = :domain AND t.repository = :repository"
        + " AND t.format = :format AND t.namespace = :namespace AND t.name = :name AND t.tag = :tag";
    List<String> found = jdbi.withHandle(h -> bindKey(h.createQuery("SELECT COALESCE((" + tagged + "), ("
        + LATEST_WITH_STATUS + ")) AS version"), key).bind("tag", tag).bind("status", VersionStatus.PUBLISHED.wireName())
        .mapTo(String.class).list());
    return found.isEmpty() ? Optional.empty() : Optional.ofNullable(found.getFirst());
  }

  @Override
  public Optional<String> latestPublishedVersion(PackageKey key) {
    return jdbi.withHandle(h -> bindKey(h.createQuery(LATEST_WITH_STATUS), key)
        .bind("status", VersionStatus.PUBLISHED.wireName()).mapTo(String.class).findOne());
  }
}
