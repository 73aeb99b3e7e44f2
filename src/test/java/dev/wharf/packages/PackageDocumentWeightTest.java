package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jol.info.GraphLayout;

/**
 * The weight the document cache bounds is the heap a document really holds: documents read from the store are
 * measured object by object (JOL) and compared with {@link PackageDocument#approximateBytes}.
 */
class PackageDocumentWeightTest {
  static {
    // JOL cannot ask the JDK for the offsets of a record's fields; this lets it find them by probing.
    System.setProperty("jol.magicFieldOffset", "true");
  }

  @TempDir Path directory;

  @Test
  void theEstimateIsNotBelowTheMeasuredSizeNorHalfAgainAboveIt() throws Exception {
    Database database = TestingDatabases.sqlite(directory);
    try (FileBlobStore blobs = new FileBlobStore(directory.resolve("blobs"))) {
      TestingPackages services = TestingPackages.over(database, blobs, Clock.systemUTC());
      SoftAssertions softly = new SoftAssertions();
      check(softly, services, "npm", "", "left-pad", "package.tgz", 1, 2);
      check(softly, services, "pypi", "", "requests", "requests-%s-py3-none-any.whl", 2, 1);
      check(softly, services, "maven", "org.example", "library", "library-%s.jar", 4, 1);
      softly.assertAll();
    } finally {
      database.close();
    }
  }

  private static void check(SoftAssertions softly, TestingPackages services, String format, String namespace, String name, String file,
      int filesPerVersion, int charWidth) {
    PackageKey key = new PackageKey("111122223333", "acme", "repository", format, namespace, name);
    for (int i = 0; i < 300; i++) {
      String version = "1." + i + ".0";
      // A manifest like a real one: ASCII, except for one package whose authors' names are not Latin-1.
      String metadata = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\""
          + (charWidth == 2 ? "Пакет ".repeat(20) : "A package. ".repeat(20)) + "\",\"dependencies\":{"
          + "\"a\":\"^1.0.0\",\"b\":\"~2.3.4\",\"c\":\"3.x\"},\"scripts\":{\"test\":\"node test.js\"}}";
      List<PublishingService.AssetContent> assets = new java.util.ArrayList<>();
      for (int f = 0; f < filesPerVersion; f++) {
        byte[] bytes = (name + version + f).getBytes(StandardCharsets.UTF_8);
        assets.add(new PublishingService.AssetContent(f + "-" + file.formatted(version), new ByteArrayInputStream(bytes),
            1000));
      }
      services.publishing().publish(new PublishingService.Publication(key, version, "A package.", metadata,
          Map.of("latest", version), "INTERNAL", VersionStatus.PUBLISHED), assets);
    }
    PackageDocument document = services.packages().document(key).orElseThrow();
    assertThat(document.versions()).hasSize(300);
    // Shared constants (the status enum and its names) are not the document's: leave them out of the measure.
    long shared = GraphLayout.parseInstance((Object[]) VersionStatus.values()).totalSize();
    long measured = GraphLayout.parseInstance(document).totalSize() - shared;
    long estimated = document.approximateBytes();
    softly.assertThat(estimated).as("%s: estimated %d, measured %d", format, estimated, measured)
        .isBetween(measured, measured * 3 / 2);
  }
}
