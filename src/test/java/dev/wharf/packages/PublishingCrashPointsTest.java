package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingCrashingStore;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new package's first version arriving by each way in (a publish, an asset published through the API, an
 * upstream's version retained, an external connection's file ingested), the server killed after any write
 * of the store: a package that has a version has the origin configuration its origin gives (published:
 * publish ALLOW, upstream BLOCK; from an upstream or a public registry: the reverse). A package left without
 * one would take versions from both sides, the dependency-confusion defence gone for good (the defaults are
 * set only when a package is new).
 */
class PublishingCrashPointsTest {
  private static final OriginRestrictions PUBLISHED = new OriginRestrictions(OriginRestrictions.Mode.ALLOW,
      OriginRestrictions.Mode.BLOCK);
  private static final OriginRestrictions FROM_UPSTREAM = new OriginRestrictions(OriginRestrictions.Mode.BLOCK,
      OriginRestrictions.Mode.ALLOW);

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  SqlPackageStore store;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    store = new SqlPackageStore(database);
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  @Test
  void aPublishedPackageKilledAfterAnyWriteHasItsVersionOnlyWithItsOriginConfiguration() {
    assertEveryCrashPointKeepsTheDefaults("npm", PUBLISHED, (publishing, key) -> publishing.publish(
        new PublishingService.Publication(key, "1.0.0", null, "{}", Map.of("latest", "1.0.0"), "INTERNAL"),
        List.of(content())));
  }

  @Test
  void aGenericAssetPublishedKilledAfterAnyWriteHasItsVersionOnlyWithItsOriginConfiguration() {
    assertEveryCrashPointKeepsTheDefaults("generic", PUBLISHED, (publishing, key) -> publishing.publishAsset(key, "1.0",
        "{}", content(), dev.wharf.crypto.Sha256.hex(bytes()), false));
  }

  @Test
  void aRetainedPackageKilledAfterAnyWriteHasItsVersionOnlyWithItsOriginConfiguration() {
    PackageAsset stored = asset();
    assertEveryCrashPointKeepsTheDefaults("npm", FROM_UPSTREAM, (publishing, key) -> {
      Instant now = Instant.now();
      PackageKey upstream = new PackageKey(key.domainOwner(), key.domainName(), "upstream", key.format(),
          key.namespace(), key.name());
      publishing.retain(key.repository(), new PackageDocument.VersionWithAssets(new PackageVersion(upstream, "1.0.0",
          VersionStatus.PUBLISHED, "r1", now, now, null, "{}", "INTERNAL"), List.of(stored)));
    });
  }

  @Test
  void anIngestedPackageKilledAfterAnyWriteHasItsVersionOnlyWithItsOriginConfiguration() {
    assertEveryCrashPointKeepsTheDefaults("npm", FROM_UPSTREAM, (publishing, key) -> publishing.ingest(
        new PublishingService.Publication(key, "1.0.0", null, "{}", Map.of("latest", "1.0.0"), "EXTERNAL"), content(),
        new PublishingService.ExpectedDigests(dev.wharf.crypto.Sha256.hex(bytes()), null, null), "public:npmjs",
        "npmjs"));
  }

  /** Kills the arrival of a new package after 0, 1, 2… writes, until one runs to its end. */
  private void assertEveryCrashPointKeepsTheDefaults(String format, OriginRestrictions expected,
      BiConsumer<PublishingService, PackageKey> arrival) {
    boolean survived = false;
    for (int writes = 0; !survived; writes++) {
      PackageKey key = new PackageKey("111122223333", "acme", "app", format, format.equals("generic") ? "ns" : "",
          "package-" + writes);
      TestingCrashingStore crashing = TestingCrashingStore.killedAfter(writes, store);
      PublishingService publishing = TestingPackages.over(crashing.store(), blobs, Clock.systemUTC()).publishing();
      survived = TestingCrashingStore.survives(() -> arrival.accept(publishing, key));
      if (!store.listVersions(key).isEmpty()) {
        assertThat(store.originRestrictions(key)).as("%s killed after %d writes", key.name(), writes)
            .contains(expected);
      }
    }
  }

  private static byte[] bytes() {
    return "the content".getBytes(StandardCharsets.UTF_8);
  }

  private static PublishingService.AssetContent content() {
    return new PublishingService.AssetContent("package.tgz", new ByteArrayInputStream(bytes()), 1024);
  }

  /** The content stored as a blob, as an upstream's asset refers to it. */
  private PackageAsset asset() {
    try {
      var digests = blobs.put(new ByteArrayInputStream(bytes()), 1024, null);
      return new PackageAsset("package.tgz", digests.sha256(), digests.size(), digests.md5(), digests.sha1(),
          digests.sha512());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
