package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
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
 * node's package services clears them there, and another node's change clears them once it is heard
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
  TestingPackages nodeA;
  TestingPackages nodeB;
  TestingPackages deaf;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    nodeA = TestingPackages.over(database, blobs, Clock.systemUTC());
    nodeB = TestingPackages.over(database, blobs, Clock.systemUTC());
    deaf = TestingPackages.over(database, blobs, Clock.systemUTC());
    // What CacheInvalidation does through the change bus, delivered at once.
    nodeA.packages().onChange(key -> key.ifPresentOrElse(nodeB.packages()::invalidate, nodeB.packages()::invalidateAll));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static PackageKey key(String repository) {
    return new PackageKey("111122223333", "acme", repository, "npm", "", "confusable");
  }

  static UpstreamService teamOverBase(TestingPackages node) {
    return node.upstreams((owner, domain, repository) -> repository.equals("team") ? List.of("base") : List.of());
  }

  /** The versions a client of team sees through the upstream graph (the package may exist there without any). */
  static List<String> versions(UpstreamService upstreams) {
    return upstreams.document(key("team")).map(d -> d.versions().stream().map(v -> v.version().version()).toList())
        .orElse(List.of());
  }

  void publishToBase() {
    nodeA.publishing().publish(new PublishingService.Publication(key("base"), "1.0.0", null, "{}", Map.of(), "INTERNAL"),
        List.of(new PublishingService.AssetContent("confusable-1.0.0.tgz",
            new ByteArrayInputStream("tarball".getBytes(StandardCharsets.UTF_8)), 100)));
  }

  @Test
  void anUpstreamBlockPutOnAnotherNodeAppliesToTheNextReadOnceTheChangeIsHeard() {
    publishToBase();
    UpstreamService onB = teamOverBase(nodeB);
    UpstreamService onDeaf = teamOverBase(deaf);
    assertThat(versions(onB)).containsExactly("1.0.0");
    assertThat(versions(onDeaf)).containsExactly("1.0.0");

    nodeA.origins().putOriginRestrictions(key("team"), UPSTREAM_BLOCKED);

    assertThat(versions(onB)).as("node B heard the change").isEmpty();
    assertThat(nodeB.origins().originRestrictions(key("team"))).isEqualTo(UPSTREAM_BLOCKED);
    assertThat(versions(onDeaf)).as("a node that heard nothing still has the cached restrictions")
        .containsExactly("1.0.0");
    deaf.packages().invalidate(key("team"));
    assertThat(versions(onDeaf)).isEmpty();

    nodeA.origins().putOriginRestrictions(key("team"), OriginRestrictions.DEFAULT);
    assertThat(versions(onB)).as("lifting the block is heard too").containsExactly("1.0.0");
  }

  @Test
  void everythingBeingInvalidatedDropsEveryCachedRestriction() {
    assertThat(deaf.origins().originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);
    nodeA.origins().putOriginRestrictions(key("team"), UPSTREAM_BLOCKED);
    assertThat(deaf.origins().originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);

    deaf.packages().invalidateAll();

    assertThat(deaf.origins().originRestrictions(key("team"))).isEqualTo(UPSTREAM_BLOCKED);
  }

  @Test
  void aCachedAbsenceGivesWayToTheDefaultsTheFirstVersionSetsAndComesBackWhenThePackageIsDeleted() {
    assertThat(nodeA.origins().originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.origins().originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);

    publishToBase();

    assertThat(nodeA.origins().originRestrictions(key("base"))).as("published directly: publish ALLOW, upstream BLOCK")
        .isEqualTo(UPSTREAM_BLOCKED);
    assertThat(nodeB.origins().originRestrictions(key("base"))).isEqualTo(UPSTREAM_BLOCKED);

    nodeA.packages().deletePackage(key("base"));

    assertThat(nodeA.origins().originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.origins().originRestrictions(key("base"))).isEqualTo(OriginRestrictions.DEFAULT);
  }

  @Test
  void aVersionRetainedFromAnUpstreamSetsTheRetainingPackagesDefaultsOverACachedAbsence() {
    publishToBase();
    UpstreamService onA = teamOverBase(nodeA);
    assertThat(nodeA.origins().originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(nodeB.origins().originRestrictions(key("team"))).isEqualTo(OriginRestrictions.DEFAULT);

    assertThat(onA.version(key("team"), "1.0.0")).isPresent();

    OriginRestrictions fromUpstream = new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);
    assertThat(nodeA.origins().originRestrictions(key("team"))).isEqualTo(fromUpstream);
    assertThat(nodeB.origins().originRestrictions(key("team"))).isEqualTo(fromUpstream);
  }
}
