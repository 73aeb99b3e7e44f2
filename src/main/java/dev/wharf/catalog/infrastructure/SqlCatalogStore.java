package dev.wharf.catalog.infrastructure;

import dev.wharf.catalog.CatalogStore;
import dev.wharf.catalog.Tag;
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

/** {@link CatalogStore} on JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class SqlCatalogStore implements CatalogStore {
  private static final String DOMAIN_COLUMNS = "d.*, (SELECT COUNT(*) FROM repositories r"
      + " WHERE r.domain_owner = d.owner AND r.domain_name = d.name) AS repository_count";

  private final Jdbi jdbi;

  public SqlCatalogStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  @Override
  public Outcome insertDomain(DomainRow domain) {
    return jdbi.inTransaction(h -> {
      int inserted = h.createUpdate(
              "INSERT INTO domains (owner, name, encryption_key, created_at) VALUES (:owner, :name, :key, :created)"
                  + " ON CONFLICT (owner, name) DO NOTHING")
          .bind("owner", domain.owner()).bind("name", domain.name()).bind("key", domain.encryptionKey())
          .bind("created", domain.createdAt().toEpochMilli()).execute();
      if (inserted == 0) {
        return Outcome.ALREADY_EXISTS;
      }
      SqlPackageGroupStore.insertRoot(h, domain.owner(), domain.name(), domain.createdAt());
      return Outcome.DONE;
    });
  }

  @Override
  public Optional<DomainRow> findDomain(String owner, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + DOMAIN_COLUMNS + " FROM domains d WHERE d.owner = :owner AND d.name = :name")
        .bind("owner", owner).bind("name", name).map((rs, ctx) -> domain(rs)).findOne());
  }

  @Override
  public List<DomainRow> listDomains(String owner) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + DOMAIN_COLUMNS + " FROM domains d WHERE d.owner = :owner ORDER BY d.name")
        .bind("owner", owner).map((rs, ctx) -> domain(rs)).list());
  }

  private static DomainRow domain(ResultSet rs) throws SQLException {
    return new DomainRow(rs.getString("owner"), rs.getString("name"), rs.getString("encryption_key"),
        Instant.ofEpochMilli(rs.getLong("created_at")), rs.getInt("repository_count"), rs.getString("policy"),
        rs.getString("policy_revision"));
  }

  @Override
  public Outcome deleteDomain(String owner, String name) {
    return jdbi.inTransaction(h -> {
      if (!domainExists(h, owner, name)) {
        return Outcome.NOT_FOUND;
      }
      if (h.createQuery("SELECT COUNT(*) FROM repositories WHERE domain_owner = :owner AND domain_name = :name")
          .bind("owner", owner).bind("name", name).mapTo(Long.class).one() > 0) {
        return Outcome.HAS_REPOSITORIES;
      }
      SqlPackageGroupStore.deleteAll(h, owner, name);
      h.createUpdate("DELETE FROM domains WHERE owner = :owner AND name = :name").bind("owner", owner).bind("name", name).execute();
      return Outcome.DONE;
    });
  }

  @Override
  public Outcome setDomainPolicy(String owner, String name, String expectedRevision, String document, String newRevision) {
    return jdbi.inTransaction(h -> {
      Optional<String> current = h.createQuery("SELECT COALESCE(policy_revision, '') FROM domains WHERE owner = :owner AND name = :name")
          .bind("owner", owner).bind("name", name).mapTo(String.class).findOne();
      if (current.isEmpty() || (document == null && current.get().isEmpty())) {
        return Outcome.NOT_FOUND;
      }
      if (expectedRevision != null && !expectedRevision.equals(current.get())) {
        return Outcome.REVISION_MISMATCH;
      }
      h.createUpdate("UPDATE domains SET policy = :policy, policy_revision = :revision WHERE owner = :owner AND name = :name")
          .bind("policy", document).bind("revision", document == null ? null : newRevision)
          .bind("owner", owner).bind("name", name).execute();
      return Outcome.DONE;
    });
  }

  @Override
  public Outcome insertRepository(RepositoryRow repository) {
    return jdbi.inTransaction(h -> {
      if (!domainExists(h, repository.domainOwner(), repository.domainName())) {
        return Outcome.NOT_FOUND;
      }
      int inserted = h.createUpdate("INSERT INTO repositories (domain_owner, domain_name, name, administrator_account,"
              + " description, created_at) VALUES (:owner, :domain, :name, :admin, :description, :created)"
              + " ON CONFLICT (domain_owner, domain_name, name) DO NOTHING")
          .bind("owner", repository.domainOwner()).bind("domain", repository.domainName()).bind("name", repository.name())
          .bind("admin", repository.administratorAccount()).bind("description", repository.description())
          .bind("created", repository.createdAt().toEpochMilli()).execute();
      if (inserted == 0) {
        return Outcome.ALREADY_EXISTS;
      }
      writeUpstreams(h, repository.domainOwner(), repository.domainName(), repository.name(), repository.upstreams());
      return Outcome.DONE;
    });
  }

  /** Whether the domain exists, read in the caller's transaction (what is created in it needs the domain). */
  static boolean domainExists(Handle h, String owner, String name) {
    return h.createQuery("SELECT COUNT(*) FROM domains WHERE owner = :owner AND name = :name")
        .bind("owner", owner).bind("name", name).mapTo(Long.class).one() > 0;
  }

  private static void writeUpstreams(Handle h, String owner, String domain, String name, List<String> upstreams) {
    h.createUpdate("DELETE FROM repository_upstreams WHERE domain_owner = :owner AND domain_name = :domain AND repository_name = :name")
        .bind("owner", owner).bind("domain", domain).bind("name", name).execute();
    for (int i = 0; i < upstreams.size(); i++) {
      h.createUpdate("INSERT INTO repository_upstreams (domain_owner, domain_name, repository_name, position, upstream_name)"
              + " VALUES (:owner, :domain, :name, :position, :upstream)")
          .bind("owner", owner).bind("domain", domain).bind("name", name).bind("position", i)
          .bind("upstream", upstreams.get(i)).execute();
    }
  }

  @Override
  public Optional<RepositoryRow> findRepository(String domainOwner, String domainName, String name) {
    return jdbi.withHandle(h -> repositories(h, "r.domain_owner = :owner AND r.domain_name = :domain AND r.name = :name",
        Map.of("owner", domainOwner, "domain", domainName, "name", name)).stream().findFirst());
  }

  @Override
  public List<RepositoryRow> listRepositories(String domainOwner, String domainName) {
    return jdbi.withHandle(h -> repositories(h, "r.domain_owner = :owner AND r.domain_name = :domain",
        Map.of("owner", domainOwner, "domain", domainName)));
  }

  @Override
  public List<RepositoryRow> listRepositoriesAdministeredBy(String accountId) {
    return jdbi.withHandle(h -> repositories(h, "r.administrator_account = :account", Map.of("account", accountId)));
  }

  private static List<RepositoryRow> repositories(Handle h, String where, Map<String, String> bindings) {
    var query = h.createQuery("SELECT r.*, u.position, u.upstream_name FROM repositories r LEFT JOIN repository_upstreams u"
        + " ON u.domain_owner = r.domain_owner AND u.domain_name = r.domain_name AND u.repository_name = r.name"
        + " WHERE " + where + " ORDER BY r.name, r.domain_owner, r.domain_name, u.position");
    bindings.forEach(query::bind);
    Map<String, RepositoryRow> rows = new LinkedHashMap<>();
    Map<String, List<String>> upstreams = new LinkedHashMap<>();
    query.map((rs, ctx) -> {
      String key = rs.getString("domain_owner") + "/" + rs.getString("domain_name") + "/" + rs.getString("name");
      if (!rows.containsKey(key)) {
        upstreams.put(key, new ArrayList<>());
        rows.put(key, new RepositoryRow(rs.getString("domain_owner"), rs.getString("domain_name"), rs.getString("name"),
            rs.getString("administrator_account"), rs.getString("description"), List.of(),
            Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("policy"), rs.getString("policy_revision")));
      }
      String upstream = rs.getString("upstream_name");
      if (upstream != null) {
        upstreams.get(key).add(upstream);
      }
      return key;
    }).list();
    List<RepositoryRow> result = new ArrayList<>();
    rows.forEach((key, row) -> result.add(new RepositoryRow(row.domainOwner(), row.domainName(), row.name(),
        row.administratorAccount(), row.description(), upstreams.get(key), row.createdAt(), row.policy(), row.policyRevision())));
    return result;
  }

  @Override
  public Outcome updateRepository(String domainOwner, String domainName, String name, String description, List<String> upstreams) {
    return jdbi.inTransaction(h -> {
      int found = h.createUpdate("UPDATE repositories SET description = COALESCE(:description, description)"
              + " WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("description", description).bind("owner", domainOwner).bind("domain", domainName).bind("name", name).execute();
      if (found == 0) {
        return Outcome.NOT_FOUND;
      }
      if (upstreams != null) {
        writeUpstreams(h, domainOwner, domainName, name, upstreams);
      }
      return Outcome.DONE;
    });
  }

  @Override
  public Outcome deleteRepository(String domainOwner, String domainName, String name) {
    return jdbi.inTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM repositories WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).mapTo(Long.class).one() == 0) {
        return Outcome.NOT_FOUND;
      }
      if (h.createQuery("SELECT COUNT(*) FROM repository_upstreams WHERE domain_owner = :owner AND domain_name = :domain"
              + " AND upstream_name = :name")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).mapTo(Long.class).one() > 0) {
        return Outcome.HAS_DOWNSTREAMS;
      }
      writeUpstreams(h, domainOwner, domainName, name, List.of());
      SqlPackageGroupStore.forgetRepository(h, domainOwner, domainName, name);
      h.createUpdate("DELETE FROM repository_external_connections WHERE domain_owner = :owner AND domain_name = :domain"
          + " AND repository_name = :name").bind("owner", domainOwner).bind("domain", domainName).bind("name", name).execute();
      h.createUpdate("DELETE FROM repositories WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).execute();
      return Outcome.DONE;
    });
  }

  @Override
  public Optional<String> externalConnection(String domainOwner, String domainName, String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT connection_name FROM repository_external_connections"
            + " WHERE domain_owner = :owner AND domain_name = :domain AND repository_name = :name")
        .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).mapTo(String.class).findOne());
  }

  @Override
  public Outcome setExternalConnection(String domainOwner, String domainName, String name, String connection) {
    return jdbi.inTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM repositories WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).mapTo(Long.class).one() == 0) {
        return Outcome.NOT_FOUND;
      }
      if (connection == null) {
        return h.createUpdate("DELETE FROM repository_external_connections WHERE domain_owner = :owner"
                + " AND domain_name = :domain AND repository_name = :name")
            .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).execute() > 0
            ? Outcome.DONE : Outcome.NOT_FOUND;
      }
      int inserted = h.createUpdate("INSERT INTO repository_external_connections (domain_owner, domain_name,"
              + " repository_name, connection_name) VALUES (:owner, :domain, :name, :connection) ON CONFLICT"
              + " (domain_owner, domain_name, repository_name) DO NOTHING")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).bind("connection", connection)
          .execute();
      return inserted > 0 ? Outcome.DONE : Outcome.ALREADY_EXISTS;
    });
  }

  @Override
  public Outcome setRepositoryPolicy(String domainOwner, String domainName, String name, String expectedRevision,
      String document, String newRevision) {
    return jdbi.inTransaction(h -> {
      Optional<String> current = h.createQuery("SELECT COALESCE(policy_revision, '') FROM repositories"
              + " WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).mapTo(String.class).findOne();
      if (current.isEmpty() || (document == null && current.get().isEmpty())) {
        return Outcome.NOT_FOUND;
      }
      if (expectedRevision != null && !expectedRevision.equals(current.get())) {
        return Outcome.REVISION_MISMATCH;
      }
      h.createUpdate("UPDATE repositories SET policy = :policy, policy_revision = :revision"
              + " WHERE domain_owner = :owner AND domain_name = :domain AND name = :name")
          .bind("policy", document).bind("revision", document == null ? null : newRevision)
          .bind("owner", domainOwner).bind("domain", domainName).bind("name", name).execute();
      return Outcome.DONE;
    });
  }

  @Override
  public boolean packageGroupExists(String domainOwner, String domainName, String pattern) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM package_groups WHERE domain_owner = :owner"
            + " AND domain_name = :domain AND pattern = :pattern")
        .bind("owner", domainOwner).bind("domain", domainName).bind("pattern", pattern).mapTo(Long.class).one() > 0);
  }

  @Override
  public List<Tag> tags(String resourceArn) {
    return jdbi.withHandle(h -> h.createQuery("SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = :arn ORDER BY tag_key")
        .bind("arn", resourceArn).map((rs, ctx) -> new Tag(rs.getString("tag_key"), rs.getString("tag_value"))).list());
  }

  @Override
  public void putTags(String resourceArn, List<Tag> tags) {
    jdbi.useTransaction(h -> {
      for (Tag tag : tags) {
        h.createUpdate("INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES (:arn, :key, :value)"
                + " ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value")
            .bind("arn", resourceArn).bind("key", tag.key()).bind("value", tag.value()).execute();
      }
    });
  }

  @Override
  public void removeTags(String resourceArn, List<String> keys) {
    jdbi.useTransaction(h -> {
      for (String key : keys) {
        h.createUpdate("DELETE FROM resource_tags WHERE resource_arn = :arn AND tag_key = :key")
            .bind("arn", resourceArn).bind("key", key).execute();
      }
    });
  }
}
