package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origin restrictions are cached per package like its document: every change made through a
 * PackageService clears them there, and another node's change clears them once it is heard
 * ({@link PackageService#invalidate} / {@link PackageService#invalidateAll}, which the cluster's
 * change bus calls). Two services on one database stand for two nodes; a third that hears nothing
 * shows that the restrictions really are cached.
 */
class OriginRestrictionsCacheTest {
  private static final OriginRestrictions UPSTREAM_BLOCKED =
      new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  PackageService nodeA;
  PackageService nodeB;
  PackageService deaf;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    nodeA = new PackageService(new SqlPackageStore(database), blobs, Clock.systemUTC());
    nodeB = new PackageService(new SqlPackageStore(database), blobs, Clock.systemUTC());
    deaf = new PackageService(new SqlPackageStore(database), blobs, Clock.systemUTC());
    // What CacheInvalidation does through the change bus, delivered at once.
    nodeA.onChange(key -> key.ifPresentOrElse(nodeB::invalidate, nodeB::invalidateAll));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static PackageKey key(String repository) {
    return new PackageKey("111122223333", "acme", repository, "npm", "", "confusable");
  }

  static UpstreamService teamOverBase(PackageService packages) {
    return new UpstreamService(packages, (owner, domain, repository) -> repository.equals("team") ? List.of("base")
        : List.of());
  }

  /** The versions a client of team sees through the upstream graph (the package may exist there without any). */
  static List<String> versions(UpstreamService upstreams) {
    return upstreams.document(key("team")).map(d -> d.versions().stream().map(v -> v.version().version()).toList())
        .orElse(List.of());
  }

  void publishToBase() {
    nodeA.publish(new PackageService.Publication(key("base"), "1.0.0", null, "{}", Map.of(), "INTERNAL"),
        List.of(new PackageService.AssetContent("confusable-1.0.0.tgz",
            new ByteArrayInputStream("tarball".getBytes(StandardCharsets.UTF_8)), 100)));
  }

  @Test
  void anUpstreamBlockPutOnAnotherNodeAppliesToTheNextReadOnceTheChangeIsHeard() {
    publishToBase();
    UpstreamService onB = teamOverBase(nodeB);
    UpstreamService onDeaf = teamOverBase(deaf);
    assertThat(versions(onB)).containsExactly("1.0.0");
    assertThat(versions(onDeaf)).containsExactly("1.0.0");

    nodeA.putOriginRestrictions(key("team"), UPSTREAM_BLOCKED);

    assertThat(versions(onB)).as("node B heard the change").isEmpty();
    assertThat(nodeB.originRestrictions(key("team"))).isEqualTo(UPSTREAM_BLOCKED);
    assertThat(versions(onDeaf)).as("a node that heard nothing still has the cached restrictions")
        .containsExactly("1.0.0");
    deaf.invalidate(key("team"));
    assertThat(versions(onDeaf)).isEmpty();

    nodeA.putOriginRestrictions(key("team"), OriginRestrictions.DEFAULT);
    assertThat(versions(onB)).as("lifting the block is heard too").containsExactly("1.0.0");
  }

  @Test
  void everythingBeingInvalidatedDropsEveryCachedRestriction() {
    assertThat(deaf.originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);
    nodeA.putOriginRestrictions(key("team"), UPSTREAM_BLOCKED);
    assertThat(deaf.originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);

    deaf.invalidateAll();

    assertThat(deaf.originRestrictions(key("team"))).isEqualTo(UPSTREAM_BLOCKED);
  }

  @Test
  void aCachedAbsenceGivesWayToTheDefaultsTheFirstVersionSetsAndComesBackWhenThePackageIsDeleted() {
    assertThat(nodeA.originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);

    publishToBase();

    assertThat(nodeA.originRestrictions(key("base"))).as("published directly: publish ALLOW, upstream BLOCK")
        .isEqualTo(UPSTREAM_BLOCKED);
    assertThat(nodeB.originRestrictions(key("base"))).isEqualTo(UPSTREAM_BLOCKED);

    nodeA.deletePackage(key("base"));

    assertThat(nodeA.originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
  }

  @Test
  void aVersionRetainedFromAnUpstreamSetsTheRetainingPackagesDefaultsOverACachedAbsence() {
    publishToBase();
    UpstreamService onA = teamOverBase(nodeA);
    assertThat(nodeA.originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);

    assertThat(onA.version(key("team"), "1.0.0")).isPresent();

    OriginRestrictions fromUpstream = new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);
    assertThat(nodeA.originRestrictions(key("team"))).isEqualTo(fromUpstream);
    assertThat(nodeB.originRestrictions(key("team"))).isEqualTo(fromUpstream);
  }
}
