package dev.wharf.catalog.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.PackageGroup;
import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupService;
import dev.wharf.catalog.Tag;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 23 moves package groups stored under a pattern text the API no longer makes (written before
 * patterns were read the way each format stores names) to their canonical text, on SQLite and PostgreSQL.
 */
class PackageGroupPatternMigrationTest {
  private static final String OWNER = "111122223333";
  private static final String REGION = "us-east-1";

  @TempDir Path directory;

  @Test
  void oldPatternsOnSqliteAreFoundByTheirCanonicalTextAfterTheMigration() {
    oldPatternsAreFoundByTheirCanonicalTextAfterTheMigration("jdbc:sqlite:" + directory.resolve("old.db"));
  }

  @Test
  void oldPatternsOnPostgresAreFoundByTheirCanonicalTextAfterTheMigration() {
    oldPatternsAreFoundByTheirCanonicalTextAfterTheMigration(TestingDatabases.freshPostgresUrl());
  }

  private void oldPatternsAreFoundByTheirCanonicalTextAfterTheMigration(String url) {
    Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table(Database.SCHEMA_HISTORY_TABLE).target("22").load().migrate();
    Jdbi old = Jdbi.create(url);
    old.useHandle(h -> {
      h.execute("INSERT INTO accounts (account_id, name, management, created_at) VALUES ('" + OWNER + "', 'a', 1, 0)");
      h.execute("INSERT INTO domains (owner, name, encryption_key, created_at) VALUES ('" + OWNER + "', 'legacy', 'k',"
          + " 1700000000000)");
      // as the API stored them before the formats' name rules applied to patterns
      group(h, "/*", "ALLOW", null);
      group(h, "/pypi//Foo_Bar$", "BLOCK", "written before normalization");
      group(h, "/nuget//Contoso.Internal~", "ALLOW_SPECIFIC_REPOSITORIES", null);
      h.execute("INSERT INTO package_group_allowed_repositories (domain_owner, domain_name, pattern, restriction_type,"
          + " repository) VALUES (?, 'legacy', '/nuget//Contoso.Internal~', 'PUBLISH', 'releases')", OWNER);
      h.execute("INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES (?, 'team', 'data')",
          CodeArtifactArns.packageGroup(REGION, OWNER, "legacy", "/pypi//Foo_Bar$"));
      // an old row whose canonical group was made since: the canonical one is what the API has shown and edited
      group(h, "/pypi//Zope.Interface$", "BLOCK", "old");
      h.execute("INSERT INTO resource_tags (resource_arn, tag_key, tag_value) VALUES (?, 'team', 'old')",
          CodeArtifactArns.packageGroup(REGION, OWNER, "legacy", "/pypi//Zope.Interface$"));
      group(h, "/pypi//zope-interface$", "ALLOW", "new");
    });

    try (Database database = Database.open(url)) {
      CatalogService catalog = new CatalogService(new SqlCatalogStore(database), REGION, Clock.systemUTC());
      PackageGroupService groups = new PackageGroupService(new SqlPackageGroupStore(database), catalog,
          FormatRegistry.standardStoredNames(), PackageGroupService.MAX_GROUPS_PER_DOMAIN, Clock.systemUTC());

      PackageGroup fooBar = groups.describe(OWNER, "legacy", "/pypi//Foo_Bar$");
      assertThat(fooBar.pattern()).hasToString("/pypi//foo-bar$");
      assertThat(fooBar.description()).isEqualTo("written before normalization");
      assertThat(fooBar.modes().get(RestrictionType.PUBLISH)).isEqualTo(Mode.BLOCK);
      assertThat(catalog.listTags(fooBar.arn())).containsExactly(new Tag("team", "data"));
      assertThat(groups.refusal(OWNER, "legacy", "releases", "pypi", "", "foo-bar", RestrictionType.PUBLISH))
          .isPresent();
      assertThat(groups.allowedRepositories(OWNER, "legacy", "/nuget//contoso.internal~", RestrictionType.PUBLISH))
          .containsExactly("releases");
      PackageGroup zope = groups.describe(OWNER, "legacy", "/pypi//zope-interface$");
      assertThat(zope.description()).isEqualTo("new");
      assertThat(catalog.listTags(zope.arn())).isEmpty();
      assertThat(groups.list(OWNER, "legacy", null)).extracting(group -> group.pattern().toString())
          .containsExactly("/*", "/nuget//contoso.internal~", "/pypi//foo-bar$", "/pypi//zope-interface$");
      long tags = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM resource_tags")
          .mapTo(Long.class).one());
      assertThat(tags).as("no tag is left on an old ARN").isEqualTo(1L);

      groups.update(OWNER, "legacy", "/pypi//Foo_Bar$", "found", null);
      assertThat(groups.describe(OWNER, "legacy", "/pypi//foo-bar$").description()).isEqualTo("found");
      groups.delete(OWNER, "legacy", "/pypi//Foo_Bar$");
      assertThatThrownBy(() -> groups.describe(OWNER, "legacy", "/pypi//foo-bar$"))
          .isInstanceOf(WharfException.NotFound.class);
      long left = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM resource_tags")
          .mapTo(Long.class).one());
      assertThat(left).as("the tags went with the group").isZero();
    }
  }

  private static void group(org.jdbi.v3.core.Handle h, String pattern, String publish, String description) {
    h.execute("INSERT INTO package_groups (domain_owner, domain_name, pattern, description, created_at, publish,"
        + " external_upstream, internal_upstream) VALUES (?, 'legacy', ?, ?, 1700000000000, ?, ?, ?)", OWNER, pattern,
        description, publish, pattern.equals("/*") ? "ALLOW" : "INHERIT", pattern.equals("/*") ? "ALLOW" : "INHERIT");
  }
}
