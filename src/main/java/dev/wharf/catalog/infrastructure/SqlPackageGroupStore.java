package dev.wharf.catalog.infrastructure;

import dev.wharf.catalog.CatalogStore.Outcome;
import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupStore;
import dev.wharf.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link PackageGroupStore} on JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class SqlPackageGroupStore implements PackageGroupStore {
  private static final String KEY = "domain_owner = :owner AND domain_name = :domain AND pattern = :pattern";

  private final Jdbi jdbi;

  public SqlPackageGroupStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  /** Writes a domain's root group {@code /*}, which allows every origin, within the domain's own transaction. */
  static void insertRoot(Handle h, String owner, String domain, Instant createdAt) {
    h.createUpdate("INSERT INTO package_groups (domain_owner, domain_name, pattern, created_at, publish,"
            + " external_upstream, internal_upstream) VALUES (:owner, :domain, '/*', :created, 'ALLOW', 'ALLOW', 'ALLOW')"
            + " ON CONFLICT (domain_owner, domain_name, pattern) DO NOTHING")
        .bind("owner", owner).bind("domain", domain).bind("created", createdAt.toEpochMilli()).execute();
  }

  /**
   * Removes every group of a domain with their tags, within the domain's own transaction (a domain made again
   * under the same name must not find the old groups' tags). Domain names hold no LIKE wildcard.
   */
  static void deleteAll(Handle h, String owner, String domain) {
    for (String table : List.of("package_group_allowed_repositories", "package_groups")) {
      h.createUpdate("DELETE FROM " + table + " WHERE domain_owner = :owner AND domain_name = :domain")
          .bind("owner", owner).bind("domain", domain).execute();
    }
    h.createUpdate("DELETE FROM resource_tags WHERE resource_arn LIKE :groups")
        .bind("groups", "arn:aws:codeartifact:%:" + owner + ":package-group/" + domain + "/%").execute();
  }

  /** Takes a deleted repository off every allowed-repository list of its domain. */
  static void forgetRepository(Handle h, String owner, String domain, String repository) {
    h.createUpdate("DELETE FROM package_group_allowed_repositories WHERE domain_owner = :owner"
            + " AND domain_name = :domain AND repository = :repository")
        .bind("owner", owner).bind("domain", domain).bind("repository", repository).execute();
  }

  @Override
  public Outcome insert(GroupRow group, int maxGroups) {
    return jdbi.inTransaction(h -> {
      // a write to the domain's row: it holds other inserts into the domain (PostgreSQL's row lock; SQLite has one
      // writer) until this one commits, so each counts the groups of the ones before it
      if (h.createUpdate("UPDATE domains SET created_at = created_at WHERE owner = :owner AND name = :domain")
          .bind("owner", group.domainOwner()).bind("domain", group.domainName()).execute() == 0) {
        return Outcome.NOT_FOUND;
      }
      if (h.createQuery("SELECT COUNT(*) FROM package_groups WHERE domain_owner = :owner AND domain_name = :domain")
          .bind("owner", group.domainOwner()).bind("domain", group.domainName()).mapTo(Long.class).one() >= maxGroups) {
        return h.createQuery("SELECT COUNT(*) FROM package_groups WHERE " + KEY).bind("owner", group.domainOwner())
            .bind("domain", group.domainName()).bind("pattern", group.pattern()).mapTo(Long.class).one() > 0
            ? Outcome.ALREADY_EXISTS : Outcome.LIMIT_EXCEEDED;
      }
      int inserted = h.createUpdate("INSERT INTO package_groups (domain_owner, domain_name, pattern, description,"
              + " contact_info, created_at, publish, external_upstream, internal_upstream) VALUES (:owner, :domain,"
              + " :pattern, :description, :contact, :created, :publish, :external, :internal)"
              + " ON CONFLICT (domain_owner, domain_name, pattern) DO NOTHING")
          .bind("owner", group.domainOwner()).bind("domain", group.domainName()).bind("pattern", group.pattern())
          .bind("description", group.description()).bind("contact", group.contactInfo())
          .bind("created", group.createdAt().toEpochMilli())
          .bind("publish", group.modes().get(RestrictionType.PUBLISH).name())
          .bind("external", group.modes().get(RestrictionType.EXTERNAL_UPSTREAM).name())
          .bind("internal", group.modes().get(RestrictionType.INTERNAL_UPSTREAM).name()).execute();
      return inserted == 1 ? Outcome.DONE : Outcome.ALREADY_EXISTS;
    });
  }

  @Override
  public Optional<GroupRow> find(String domainOwner, String domainName, String pattern) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM package_groups WHERE " + KEY)
        .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern)
        .map((rs, ctx) -> row(rs)).findOne());
  }

  @Override
  public List<GroupRow> list(String domainOwner, String domainName) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM package_groups WHERE domain_owner = :owner"
            + " AND domain_name = :domain")
        .bind("owner", domainOwner).bind("domain", domainName).map((rs, ctx) -> row(rs)).list());
  }

  private static GroupRow row(ResultSet rs) throws SQLException {
    Map<RestrictionType, Mode> modes = new EnumMap<>(RestrictionType.class);
    modes.put(RestrictionType.PUBLISH, Mode.valueOf(rs.getString("publish")));
    modes.put(RestrictionType.EXTERNAL_UPSTREAM, Mode.valueOf(rs.getString("external_upstream")));
    modes.put(RestrictionType.INTERNAL_UPSTREAM, Mode.valueOf(rs.getString("internal_upstream")));
    return new GroupRow(rs.getString("domain_owner"), rs.getString("domain_name"), rs.getString("pattern"),
        rs.getString("description"), rs.getString("contact_info"), Instant.ofEpochMilli(rs.getLong("created_at")),
        modes);
  }

  @Override
  public Outcome update(String domainOwner, String domainName, String pattern, String description,
      String contactInfo) {
    return jdbi.inTransaction(h -> {
      if (!exists(h, domainOwner, domainName, pattern)) {
        return Outcome.NOT_FOUND;
      }
      h.createUpdate("UPDATE package_groups SET description = COALESCE(:description, description),"
              + " contact_info = COALESCE(:contact, contact_info) WHERE " + KEY)
          .bind("description", description).bind("contact", contactInfo)
          .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern).execute();
      return Outcome.DONE;
    });
  }

  @Override
  public Outcome updateOrigin(String domainOwner, String domainName, String pattern, Map<RestrictionType, Mode> modes,
      Map<RestrictionType, List<String>> add, Map<RestrictionType, List<String>> remove) {
    return jdbi.inTransaction(h -> {
      if (!exists(h, domainOwner, domainName, pattern)) {
        return Outcome.NOT_FOUND;
      }
      modes.forEach((type, mode) -> h.createUpdate("UPDATE package_groups SET " + column(type) + " = :mode WHERE " + KEY)
          .bind("mode", mode.name()).bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern)
          .execute());
      add.forEach((type, repositories) -> repositories.forEach(repository -> h.createUpdate(
              "INSERT INTO package_group_allowed_repositories (domain_owner, domain_name, pattern, restriction_type,"
                  + " repository) VALUES (:owner, :domain, :pattern, :type, :repository) ON CONFLICT"
                  + " (domain_owner, domain_name, pattern, restriction_type, repository) DO NOTHING")
          .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern)
          .bind("type", type.name()).bind("repository", repository).execute()));
      remove.forEach((type, repositories) -> repositories.forEach(repository -> h.createUpdate(
              "DELETE FROM package_group_allowed_repositories WHERE " + KEY
                  + " AND restriction_type = :type AND repository = :repository")
          .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern)
          .bind("type", type.name()).bind("repository", repository).execute()));
      return Outcome.DONE;
    });
  }

  private static String column(RestrictionType type) {
    return switch (type) {
      case PUBLISH -> "publish";
      case EXTERNAL_UPSTREAM -> "external_upstream";
      case INTERNAL_UPSTREAM -> "internal_upstream";
    };
  }

  @Override
  public List<String> allowedRepositories(String domainOwner, String domainName, String pattern, RestrictionType type) {
    return jdbi.withHandle(h -> h.createQuery("SELECT repository FROM package_group_allowed_repositories WHERE " + KEY
            + " AND restriction_type = :type ORDER BY repository")
        .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern).bind("type", type.name())
        .mapTo(String.class).list());
  }

  @Override
  public List<AllowedRepository> allowedRepositoriesOfDomain(String domainOwner, String domainName) {
    return jdbi.withHandle(h -> h.createQuery("SELECT pattern, restriction_type, repository"
            + " FROM package_group_allowed_repositories WHERE domain_owner = :owner AND domain_name = :domain")
        .bind("owner", domainOwner).bind("domain", domainName)
        .map((rs, ctx) -> new AllowedRepository(rs.getString("pattern"),
            RestrictionType.valueOf(rs.getString("restriction_type")), rs.getString("repository"))).list());
  }

  @Override
  public Map<RestrictionType, Long> allowedRepositoryCounts(String domainOwner, String domainName, String pattern) {
    Map<RestrictionType, Long> counts = new EnumMap<>(RestrictionType.class);
    jdbi.useHandle(h -> h.createQuery("SELECT restriction_type, COUNT(*) AS n FROM package_group_allowed_repositories"
            + " WHERE " + KEY + " GROUP BY restriction_type")
        .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern)
        .map((rs, ctx) -> Map.entry(RestrictionType.valueOf(rs.getString("restriction_type")), rs.getLong("n")))
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
    return counts;
  }

  @Override
  public List<Coordinates> packagesOfDomain(String domainOwner, String domainName, String format) {
    // every format when null: the same query with the format's condition always true
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT format, namespace, name FROM packages"
            + " WHERE domain_owner = :owner AND domain_name = :domain AND (:any = 1 OR format = :format)"
            + " ORDER BY format, namespace, name")
        .bind("owner", domainOwner).bind("domain", domainName).bind("any", format == null ? 1 : 0)
        .bind("format", format == null ? "" : format)
        .map((rs, ctx) -> new Coordinates(rs.getString("format"), Objects.requireNonNullElse(rs.getString("namespace"), ""),
            rs.getString("name"))).list());
  }

  @Override
  public Outcome delete(String domainOwner, String domainName, String pattern) {
    return jdbi.inTransaction(h -> {
      if (!exists(h, domainOwner, domainName, pattern)) {
        return Outcome.NOT_FOUND;
      }
      for (String table : List.of("package_group_allowed_repositories", "package_groups")) {
        h.createUpdate("DELETE FROM " + table + " WHERE " + KEY)
            .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern).execute();
      }
      return Outcome.DONE;
    });
  }

  private static boolean exists(Handle h, String owner, String domain, String pattern) {
    return h.createQuery("SELECT COUNT(*) FROM package_groups WHERE " + KEY)
        .bind("owner", owner).bind("domain", domain).bind("pattern", pattern).mapTo(Long.class).one() > 0;
  }
}
