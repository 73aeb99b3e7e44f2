package dev.wharf.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.infrastructure.SqlBlobReferences;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blob garbage collection on a real store with references from a real metadata database (an asset
 * published through PublishingService). Blob ages are real: the test waits a little over a second
 * between the old blobs and the young one (S3 times have one-second resolution) and runs the
 * collector with a clock just under one grace period after the young blob.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class BlobCollectorContract {
  private static final Duration GRACE = Duration.ofHours(1);
  private static final PackageKey KEY = new PackageKey("111122223333", "acme", "app", "generic", "ns", "tool");

  @TempDir Path directory;
  protected BlobStore store;
  private Database database;
  private PackageService packages;
  private PublishingService publishing;

  protected abstract BlobStore createStore(Path directory) throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = createStore(directory);
    database = TestingDatabases.sqlite(directory);
    TestingPackages services = TestingPackages.over(database, store, Clock.systemUTC());
    packages = services.packages();
    publishing = services.publishing();
  }

  @AfterEach
  void close() throws Exception {
    store.close();
    database.close();
  }

  @Test
  void an_old_orphan_is_collected_while_a_referenced_blob_and_a_young_orphan_are_kept() throws Exception {
    String oldOrphan = store.put(TestingContent.utf8("old orphan"), Long.MAX_VALUE, null).sha256();
    publishing.publish(new PublishingService.Publication(KEY, "1.0", null, "{}", Map.of(), null),
        List.of(new PublishingService.AssetContent("tool.bin", TestingContent.utf8("referenced"), 1000)));
    String referenced = TestingContent.sha256Of("referenced".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Thread.sleep(1_100);
    String youngOrphan = store.put(TestingContent.utf8("young orphan"), Long.MAX_VALUE, null).sha256();
    Instant young = store.lastModified(youngOrphan).orElseThrow();
    BlobCollector collector = new BlobCollector(store, new SqlBlobReferences(database), GRACE,
        Clock.fixed(young.plus(GRACE).minusMillis(500), ZoneOffset.UTC));

    BlobCollector.Result result = collector.collect();

    assertThat(result.deleted()).isEqualTo(1);
    assertThat(result.visited()).isEqualTo(3);
    assertThat(stored()).containsExactlyInAnyOrder(referenced, youngOrphan);
    assertThat(store.exists(oldOrphan)).isFalse();
    try (var content = packages.open(packages.assets(KEY, "1.0").getFirst()).orElseThrow()) {
      assertThat(new String(content.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("referenced");
    }
  }

  @Test
  void an_orphan_stored_again_after_the_listing_is_young_again_and_kept() throws Exception {
    String orphan = store.put(TestingContent.utf8("orphan"), Long.MAX_VALUE, null).sha256();
    Instant stored = store.lastModified(orphan).orElseThrow();
    // The collector's "now" makes the orphan old; an upload of the same content lands between the
    // listing and the delete (simulated in the reference check, which runs in that window).
    BlobCollector collector = new BlobCollector(store, sha256 -> {
      try {
        Thread.sleep(1_100);
        store.put(TestingContent.utf8("orphan"), Long.MAX_VALUE, null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return false;
    }, GRACE, Clock.fixed(stored.plus(GRACE).plusMillis(500), ZoneOffset.UTC));

    BlobCollector.Result result = collector.collect();

    assertThat(result.deleted()).isZero();
    assertThat(store.exists(orphan)).isTrue();
  }

  @Test
  void collecting_twice_or_on_an_empty_store_deletes_nothing_more() throws Exception {
    store.put(TestingContent.utf8("orphan"), Long.MAX_VALUE, null);
    BlobCollector collector = new BlobCollector(store, new SqlBlobReferences(database), GRACE,
        Clock.offset(Clock.systemUTC(), GRACE.plusMinutes(1)));

    assertThat(collector.collect().deleted()).isEqualTo(1);
    assertThat(collector.collect().deleted()).isZero();
    assertThat(stored()).isEmpty();
  }

  private List<String> stored() throws Exception {
    List<String> shas = new ArrayList<>();
    store.forEach((sha256, time) -> shas.add(sha256));
    return shas;
  }
}
