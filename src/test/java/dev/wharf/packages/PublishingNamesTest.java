package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.error.WharfException;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a version enters a repository (publish, a file added, an asset published through the API,
 * retention from an upstream, ingest from an external connection) refuses a name the CodeArtifact API
 * could not address afterwards, before any byte is stored.
 */
class PublishingNamesTest {
  private static final String TOO_LONG = "x".repeat(256);
  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  PackageService packages;
  PublishingService publishing;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    TestingPackages services = TestingPackages.over(database, blobs, Clock.systemUTC());
    packages = services.packages();
    publishing = services.publishing();
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static PackageKey key(String namespace, String name) {
    return new PackageKey("111122223333", "acme", "app", "maven", namespace, name);
  }

  static PublishingService.AssetContent content(String name) {
    return new PublishingService.AssetContent(name, new ByteArrayInputStream("bytes".getBytes(StandardCharsets.UTF_8)),
        1024);
  }

  @Test
  void aNamespaceNameVersionOrAssetNameTheApiRefusesIsRefusedByEveryWayIn() throws IOException {
    List<Object[]> refused = List.of(
        new Object[] {key(TOO_LONG, "lib"), "1.0", "lib.jar", "namespace"},
        new Object[] {key("com.example", TOO_LONG), "1.0", "lib.jar", "package"},
        new Object[] {key("com.example", "lib"), TOO_LONG, "lib.jar", "packageVersion"},
        new Object[] {key("com.example", "lib"), "1 0", "lib.jar", "packageVersion"},
        new Object[] {key("com.example", "lib#x"), "1.0", "lib.jar", "package"},
        new Object[] {key("com.example", "lib"), "1.0", TOO_LONG, "asset"});
    for (Object[] c : refused) {
      PackageKey key = (PackageKey) c[0];
      String version = (String) c[1];
      String asset = (String) c[2];
      String member = "at '" + c[3] + "'";
      var publication = new PublishingService.Publication(key, version, null, "{}", Map.of(), "INTERNAL");
      assertThatThrownBy(() -> publishing.publish(publication, List.of(content(asset))))
          .isInstanceOf(WharfException.Invalid.class).hasMessageContaining(member);
      assertThatThrownBy(() -> publishing.publishAsset(key, version, "{}", content(asset), "00", false))
          .isInstanceOf(WharfException.Invalid.class).hasMessageContaining(member);
      assertThatThrownBy(() -> publishing.ingest(publication, content(asset),
          new PublishingService.ExpectedDigests("00", null, null), "public:maven-central", "Maven Central"))
          .isInstanceOf(WharfException.Invalid.class).hasMessageContaining(member);
      assertThatThrownBy(() -> publishing.addAsset(key, version, content(asset)))
          .isInstanceOf(WharfException.Invalid.class).hasMessageContaining(member);
      Instant now = Instant.now();
      var found = new PackageDocument.VersionWithAssets(new PackageVersion(
          new PackageKey(key.domainOwner(), key.domainName(), "upstream", key.format(), key.namespace(), key.name()),
          version, VersionStatus.PUBLISHED, "r1", now, now, null, "{}", "INTERNAL"),
          List.of(new PackageAsset(asset, "0".repeat(64), 5, null, null, null)));
      assertThatThrownBy(() -> publishing.retain("app", found)).isInstanceOf(WharfException.Invalid.class)
          .hasMessageContaining(member);
    }
    try (Stream<Path> files = Files.walk(directory.resolve("blobs"))) {
      assertThat(files.filter(Files::isRegularFile)).as("nothing read into the blob store").isEmpty();
    }
    assertThat(packages.store().findPackage(key(TOO_LONG, "lib"))).isEmpty();
  }

  @Test
  void namesAtTheLimitAreTaken() {
    String longest = "y".repeat(255);
    publishing.publish(new PublishingService.Publication(key(longest, longest), longest, null, "{}", Map.of(), "INTERNAL"),
        List.of(content(longest)));
    assertThat(packages.version(key(longest, longest), longest)).isPresent();
  }
}
