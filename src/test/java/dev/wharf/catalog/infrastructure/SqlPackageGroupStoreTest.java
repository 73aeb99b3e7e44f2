package dev.wharf.catalog.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.catalog.CatalogStore;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupStore.GroupRow;
import dev.wharf.catalog.Tag;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlPackageGroupStoreTest {
  private static final String OWNER = "111122223333";

  @TempDir Path directory;

  @Test
  void aDomainComesWithItsRootGroupAndTakesItsGroupsAndTheirTagsWhenDeleted() {
    try (Database database = TestingDatabases.sqlite(directory)) {
      database.jdbi().useHandle(h -> h.execute("INSERT INTO accounts (account_id, name, management, created_at)"
          + " VALUES ('" + OWNER + "', 'a', 1, 0)"));
      SqlCatalogStore catalog = new SqlCatalogStore(database);
      SqlPackageGroupStore groups = new SqlPackageGroupStore(database);
      CatalogStore.DomainRow domain = new CatalogStore.DomainRow(OWNER, "reused", "k", Instant.EPOCH, 0, null, null);
      catalog.insertDomain(domain);
      assertThat(groups.list(OWNER, "reused")).extracting(GroupRow::pattern).containsExactly("/*");

      Map<RestrictionType, Mode> inherit = Map.of(RestrictionType.PUBLISH, Mode.INHERIT,
          RestrictionType.EXTERNAL_UPSTREAM, Mode.INHERIT, RestrictionType.INTERNAL_UPSTREAM, Mode.INHERIT);
      groups.insert(new GroupRow(OWNER, "reused", "/npm/*", null, null, Instant.EPOCH, inherit));
      String arn = CodeArtifactArns.packageGroup("us-east-1", OWNER, "reused", "/npm/*");
      catalog.putTags(arn, List.of(new Tag("team", "web")));
      assertThat(catalog.deleteDomain(OWNER, "reused")).isEqualTo(CatalogStore.Outcome.DONE);

      catalog.insertDomain(domain);
      groups.insert(new GroupRow(OWNER, "reused", "/npm/*", null, null, Instant.EPOCH, inherit));
      assertThat(catalog.tags(arn)).isEmpty();
      assertThat(groups.list(OWNER, "reused")).extracting(GroupRow::pattern).containsExactlyInAnyOrder("/*", "/npm/*");
      // the root group's packages are those of every format; a domain without packages has none
      assertThat(groups.packagesOfDomain(OWNER, "reused", null)).isEmpty();
      assertThat(groups.packagesOfDomain(OWNER, "reused", "npm")).isEmpty();
    }
  }
}
