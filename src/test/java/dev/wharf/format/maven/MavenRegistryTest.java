package dev.wharf.format.maven;

import dev.wharf.format.RepositoryLocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingCrashingStore;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maven storage rules on a real SQLite store and blob folder: completion, immutability, statuses, metadata. */
class MavenRegistryTest {
  private static final RepositoryLocation HERE = new RepositoryLocation("111122223333", "acme", "libs");
  private static final PackageKey LIB = new PackageKey("111122223333", "acme", "libs", "maven", "com.example", "lib");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  TestingPackages services;
  PackageService packages;
  VersionLifecycleService lifecycle;
  MavenRegistry registry;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    services = TestingPackages.over(database, blobs, Clock.systemUTC());
    packages = services.packages();
    lifecycle = services.lifecycle();
    registry = new MavenRegistry(services.formatContext(1024 * 1024));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static String pom(String version, String packaging) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId><artifactId>lib</artifactId><version>%s</version>
          <packaging>%s</packaging>
          <name>Lib</name><description>A library</description><url>https://example.com/lib</url>
          <licenses><license><name>MIT</name><url>https://opensource.org/licenses/MIT</url></license></licenses>
          <scm><url>https://example.com/lib.git</url></scm>
          <dependencies>
            <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>[2.0,3)</version></dependency>
            <dependency><groupId>org.junit</groupId><artifactId>junit</artifactId><version>5</version><scope>test</scope></dependency>
          </dependencies>
        </project>
        """.formatted(version, packaging);
  }

  MavenRegistry.PutOutcome put(String path, String content) {
    return registry.put(HERE, (MavenPath.File) MavenPath.parse(path),
        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
  }

  VersionStatus status(String version) {
    return packages.version(LIB, version).orElseThrow().status();
  }

  String artifactMetadata() {
    return new String(registry.artifactMetadata(HERE, (MavenPath.ArtifactMetadata) MavenPath.parse(
        "com/example/lib/maven-metadata.xml")).orElseThrow().body(), StandardCharsets.UTF_8);
  }

  @Test
  void aReleaseIsUnfinishedUntilItsPomAndMainArtifactAreInThenPublishedWithThePomsMetadata() throws IOException {
    assertThat(put("com/example/lib/1.0/lib-1.0.jar", "jar bytes")).isEqualTo(MavenRegistry.PutOutcome.CREATED);
    assertThat(status("1.0")).isEqualTo(VersionStatus.UNFINISHED);
    assertThat(registry.file(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.jar"))).isEmpty();
    assertThat(registry.artifactMetadata(HERE, (MavenPath.ArtifactMetadata) MavenPath.parse(
        "com/example/lib/maven-metadata.xml"))).isEmpty();

    put("com/example/lib/1.0/lib-1.0.pom", pom("1.0", "jar"));
    assertThat(status("1.0")).isEqualTo(VersionStatus.PUBLISHED);
    JsonNode metadata = JSON.readTree(packages.version(LIB, "1.0").orElseThrow().metadata());
    assertThat(metadata.path("packaging").asText()).isEqualTo("jar");
    assertThat(metadata.path("name").asText()).isEqualTo("Lib");
    assertThat(metadata.path("description").asText()).isEqualTo("A library");
    assertThat(metadata.path("url").asText()).isEqualTo("https://example.com/lib");
    assertThat(metadata.path("scm").asText()).isEqualTo("https://example.com/lib.git");
    assertThat(metadata.path("licenses").get(0).path("name").asText()).isEqualTo("MIT");
    assertThat(metadata.path("dependencies").get(0).toString()).isEqualTo("{\"namespace\":\"org.slf4j\","
        + "\"package\":\"slf4j-api\",\"dependencyType\":\"compile\",\"versionRequirement\":\"[2.0,3)\"}");
    assertThat(metadata.path("dependencies").get(1).path("dependencyType").asText()).isEqualTo("test");
    assertThat(registry.file(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.jar"))).isPresent();
  }

  @Test
  void aPomPackagingNeedsOnlyThePomAndAWarItsWar() {
    put("com/example/lib/1.0/lib-1.0.pom", pom("1.0", "pom"));
    assertThat(status("1.0")).isEqualTo(VersionStatus.PUBLISHED);

    put("com/example/lib/2.0/lib-2.0.pom", pom("2.0", "war"));
    put("com/example/lib/2.0/lib-2.0.jar", "not the main artifact of a war");
    assertThat(status("2.0")).isEqualTo(VersionStatus.UNFINISHED);
    put("com/example/lib/2.0/lib-2.0.war", "war");
    assertThat(status("2.0")).isEqualTo(VersionStatus.PUBLISHED);
  }

  @Test
  void filesAreImmutableIdenticalBytesAreANoOpOtherBytesAConflict() {
    put("com/example/lib/1.0/lib-1.0.pom", pom("1.0", "jar"));
    put("com/example/lib/1.0/lib-1.0.jar", "jar bytes");
    assertThat(put("com/example/lib/1.0/lib-1.0.jar", "jar bytes")).isEqualTo(MavenRegistry.PutOutcome.UNCHANGED);
    assertThatThrownBy(() -> put("com/example/lib/1.0/lib-1.0.jar", "other bytes"))
        .isInstanceOf(WharfException.Conflict.class).hasMessageContaining("already exists");
    // A new file (sources, signature) may still join the release.
    assertThat(put("com/example/lib/1.0/lib-1.0-sources.jar", "sources")).isEqualTo(MavenRegistry.PutOutcome.CREATED);
    assertThat(packages.assets(LIB, "1.0")).extracting(a -> a.name())
        .containsExactlyInAnyOrder("lib-1.0.pom", "lib-1.0.jar", "lib-1.0-sources.jar");
  }

  @Test
  void aMalformedPomIsKeptAsBytesButReadForNothing() {
    String malformed = "<project><packaging>pom</packaging><unclosed>";
    put("com/example/lib/1.0/lib-1.0.pom", malformed);
    assertThat(status("1.0")).isEqualTo(VersionStatus.UNFINISHED);
    assertThat(packages.version(LIB, "1.0").orElseThrow().metadata()).isEqualTo("{}");
    String external = """
        <?xml version="1.0"?>
        <!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <project><packaging>pom</packaging><description>&x;</description></project>
        """;
    put("com/example/lib/2.0/lib-2.0.pom", external);
    assertThat(packages.version(LIB, "2.0").orElseThrow().metadata()).isEqualTo("{}");
    assertThat(status("2.0")).isEqualTo(VersionStatus.UNFINISHED);
  }

  @Test
  void artifactMetadataListsPublishedVersionsInPublishOrderWithLatestAndRelease() {
    put("com/example/lib/1.0/lib-1.0.pom", pom("1.0", "pom"));
    put("com/example/lib/1.1/lib-1.1.pom", pom("1.1", "pom"));
    put("com/example/lib/2.0-SNAPSHOT/lib-2.0-20261125.101010-1.pom", pom("2.0-SNAPSHOT", "pom"));
    put("com/example/lib/1.2/lib-1.2.jar", "unfinished: no POM yet");
    String xml = artifactMetadata();
    assertThat(xml).contains("<groupId>com.example</groupId>", "<artifactId>lib</artifactId>",
        "<latest>2.0-SNAPSHOT</latest>", "<release>1.1</release>",
        "<versions><version>1.0</version><version>1.1</version><version>2.0-SNAPSHOT</version></versions>")
        .containsPattern("<lastUpdated>\\d{14}</lastUpdated>").doesNotContain("1.2");
    // Same state, same bytes: its checksums are stable.
    assertThat(artifactMetadata()).isEqualTo(xml);

    lifecycle.updateStatus(LIB, "1.1", VersionStatus.UNLISTED);
    assertThat(artifactMetadata()).doesNotContain("<version>1.1</version>").contains("<release>1.0</release>");
    assertThat(registry.file(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.1/lib-1.1.pom")))
        .as("Unlisted is fetchable").isPresent();
    lifecycle.updateStatus(LIB, "1.0", VersionStatus.ARCHIVED);
    assertThat(registry.file(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.pom")))
        .as("Archived is not").isEmpty();
    lifecycle.updateStatus(LIB, "1.1", VersionStatus.DISPOSED);
    assertThat(registry.file(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.1/lib-1.1.pom"))).isEmpty();
    assertThatThrownBy(() -> put("com/example/lib/1.0/lib-1.0-sources.jar", "x"))
        .isInstanceOf(WharfException.Conflict.class).hasMessageContaining("Archived");
  }

  @Test
  void anUploadedMetadataCompletesTheVersionsItListsThatHaveAPomAndIsOtherwiseIgnored() {
    // Like a POM-only artifact in Maven Central whose packaging says jar.
    put("com/example/lib/1.0/lib-1.0.pom", pom("1.0", "jar"));
    put("com/example/lib/1.1/lib-1.1.jar", "no pom");
    MavenPath.ArtifactMetadata path = (MavenPath.ArtifactMetadata) MavenPath.parse("com/example/lib/maven-metadata.xml");
    registry.metadataUploaded(HERE, path, "<metadata><versioning><versions><version>0.1</version><version>1.0</version>"
        .concat("<version>1.1</version></versions></versioning></metadata>").getBytes(StandardCharsets.UTF_8));
    assertThat(status("1.0")).isEqualTo(VersionStatus.PUBLISHED);
    assertThat(status("1.1")).isEqualTo(VersionStatus.UNFINISHED);
    assertThat(packages.version(LIB, "0.1")).isEmpty();
    registry.metadataUploaded(HERE, path, "<metadata><oops".getBytes(StandardCharsets.UTF_8));
    assertThat(artifactMetadata()).contains("<versions><version>1.0</version></versions>");
  }

  @Test
  void aGroupsMetadataListsItsPluginsWithTheirPrefixesWhenNoArtifactHasThatPath() {
    PackageKey plugin = new PackageKey("111122223333", "acme", "libs", "maven", "org.example.plugins", "maven-tidy-plugin");
    registry.put(HERE, (MavenPath.File) MavenPath.parse(
        "org/example/plugins/maven-tidy-plugin/1.0/maven-tidy-plugin-1.0.pom"), new ByteArrayInputStream(
        "<project><packaging>maven-plugin</packaging><name>Tidy</name></project>".getBytes(StandardCharsets.UTF_8)));
    registry.put(HERE, (MavenPath.File) MavenPath.parse(
        "org/example/plugins/maven-tidy-plugin/1.0/maven-tidy-plugin-1.0.jar"), new ByteArrayInputStream(new byte[] {1}));
    assertThat(packages.version(plugin, "1.0").orElseThrow().status()).isEqualTo(VersionStatus.PUBLISHED);
    registry.put(HERE, (MavenPath.File) MavenPath.parse("org/example/plugins/not-a-plugin/1.0/not-a-plugin-1.0.pom"),
        new ByteArrayInputStream("<project><packaging>pom</packaging></project>".getBytes(StandardCharsets.UTF_8)));
    String xml = new String(registry.artifactMetadata(HERE, (MavenPath.ArtifactMetadata) MavenPath.parse(
        "org/example/plugins/maven-metadata.xml")).orElseThrow().body(), StandardCharsets.UTF_8);
    assertThat(xml).contains("<plugins><plugin><name>Tidy</name><prefix>tidy</prefix>"
        + "<artifactId>maven-tidy-plugin</artifactId></plugin></plugins>").doesNotContain("not-a-plugin");
    assertThat(registry.artifactMetadata(HERE, (MavenPath.ArtifactMetadata) MavenPath.parse(
        "org/example/nothing/maven-metadata.xml"))).isEmpty();
    assertThat(MavenRegistry.prefix("exec-maven-plugin")).isEqualTo("exec");
    assertThat(MavenRegistry.prefix("maven-surefire-report-plugin")).isEqualTo("surefire-report");
    assertThat(MavenRegistry.prefix("tycho")).isEqualTo("tycho");
  }

  @Test
  void snapshotBuildsAccumulateAndTheVersionMetadataNamesTheNewestOfEachFile() {
    String base = "com/example/lib/2.0-SNAPSHOT/";
    put(base + "lib-2.0-20261125.101010-1.pom", pom("2.0-SNAPSHOT", "jar"));
    put(base + "lib-2.0-20261125.101010-1.jar", "build one");
    put(base + "lib-2.0-20261125.101010-1-sources.jar", "sources one");
    assertThat(status("2.0-SNAPSHOT")).isEqualTo(VersionStatus.PUBLISHED);
    put(base + "lib-2.0-20261126.090000-2.pom", pom("2.0-SNAPSHOT", "jar"));
    put(base + "lib-2.0-20261126.090000-2.jar", "build two");
    assertThat(packages.assets(LIB, "2.0-SNAPSHOT")).hasSize(5);
    String xml = new String(registry.versionMetadata(HERE, (MavenPath.VersionMetadata) MavenPath.parse(
        base + "maven-metadata.xml")).orElseThrow(), StandardCharsets.UTF_8);
    assertThat(xml).contains("<version>2.0-SNAPSHOT</version>",
        "<snapshot><timestamp>20261126.090000</timestamp><buildNumber>2</buildNumber></snapshot>",
        "<lastUpdated>20261126090000</lastUpdated>",
        "<snapshotVersion><extension>jar</extension><value>2.0-20261126.090000-2</value>"
            + "<updated>20261126090000</updated></snapshotVersion>",
        "<snapshotVersion><extension>pom</extension><value>2.0-20261126.090000-2</value>",
        "<snapshotVersion><classifier>sources</classifier><extension>jar</extension>"
            + "<value>2.0-20261125.101010-1</value>");
    assertThatThrownBy(() -> put(base + "lib-2.0-20261126.090000-2.jar", "build two, changed"))
        .isInstanceOf(WharfException.Conflict.class);
  }

  @Test
  void uploadedChecksumsAreCheckedAgainstTheStoredFile() {
    put("com/example/lib/1.0/lib-1.0.jar", "jar bytes");
    MavenPath.File sha1 = (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.jar.sha1");
    String good = MavenChecksum.SHA1.of("jar bytes".getBytes(StandardCharsets.UTF_8));
    registry.verifyChecksum(HERE, sha1, (good + "  lib-1.0.jar\n").getBytes(StandardCharsets.UTF_8));
    registry.verifyChecksum(HERE, sha1, good.toUpperCase().getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> registry.verifyChecksum(HERE, sha1, "0000".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("Checksum mismatch");
    MavenPath.File missing = (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.pom.md5");
    assertThatThrownBy(() -> registry.verifyChecksum(HERE, missing, "00".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.NotFound.class);
  }

  /**
   * A deploy (jar, then POM, then maven-metadata.xml) killed after any write of the store, then sent again
   * as Maven would: whatever the kill left, a stored POM is the version's metadata, and the retry ends with
   * the version Published with its POM's metadata. (A POM stored in one transaction and read into its
   * version in the next could be left unread, and the retry, finding the same POM, never read it.)
   */
  @Test
  void aDeployKilledAfterAnyWriteLeavesAStoredPomReadIntoItsVersionAndItsRetryCompletesIt() throws IOException {
    SqlPackageStore store = new SqlPackageStore(database);
    boolean survived = false;
    for (int writes = 0; !survived; writes++) {
      String version = "1." + writes;
      TestingCrashingStore crashing = TestingCrashingStore.killedAfter(writes, store);
      MavenRegistry dying = new MavenRegistry(TestingPackages.over(crashing.store(), blobs, Clock.systemUTC())
          .formatContext(1024 * 1024));
      survived = TestingCrashingStore.survives(() -> deploy(dying, version));
      packages.invalidate(LIB); // written through other services
      java.util.Optional<dev.wharf.packages.PackageVersion> left = packages.version(LIB, version);
      if (left.isPresent() && packages.assets(LIB, version).stream().anyMatch(a -> a.name().endsWith(".pom"))) {
        assertThat(JSON.readTree(left.get().metadata()).path("description").asText())
            .as("the metadata of %s killed after %d writes", version, writes).isEqualTo("A library");
      }

      deploy(registry, version); // the retry, on a server that lives
      assertThat(status(version)).isEqualTo(VersionStatus.PUBLISHED);
      assertThat(JSON.readTree(packages.version(LIB, version).orElseThrow().metadata()).path("description").asText())
          .as("the metadata of %s retried after a kill after %d writes", version, writes).isEqualTo("A library");
    }
  }

  private static void deploy(MavenRegistry registry, String version) {
    String base = "com/example/lib/" + version + "/lib-" + version;
    registry.put(HERE, (MavenPath.File) MavenPath.parse(base + ".jar"), new ByteArrayInputStream(new byte[] {1, 2, 3}));
    registry.put(HERE, (MavenPath.File) MavenPath.parse(base + ".pom"),
        new ByteArrayInputStream(pom(version, "jar").getBytes(StandardCharsets.UTF_8)));
    registry.metadataUploaded(HERE, (MavenPath.ArtifactMetadata) MavenPath.parse("com/example/lib/maven-metadata.xml"),
        ("<metadata><versioning><versions><version>" + version + "</version></versions></versioning></metadata>")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void overTheLimitNothingIsStored() {
    MavenRegistry small = new MavenRegistry(services.formatContext(10));
    assertThatThrownBy(() -> small.put(HERE, (MavenPath.File) MavenPath.parse("com/example/lib/1.0/lib-1.0.jar"),
        new ByteArrayInputStream(new byte[11]))).isInstanceOf(WharfException.TooLarge.class);
    assertThat(packages.version(LIB, "1.0")).isEmpty();
  }

  /** What a format is built with, over this test's package services (no upstreams) and a size limit. */
}
