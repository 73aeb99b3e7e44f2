package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Wharf reads from a Maven repository used as an external connection: metadata, checksum files, file URLs. */
class MavenExternalFormatTest {
  private static final PackageKey KEY = new PackageKey("111122223333", "acme", "shared", "maven", "org.example",
      "lib");
  private static final URI BASE = URI.create("https://repo.example/maven2");
  private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
  private static final MavenExternalFormat FORMAT = new MavenExternalFormat(Clock.fixed(NOW, ZoneOffset.UTC));
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

  @TempDir Path directory;

  private static PackageDocument parse(String xml) {
    return FORMAT.parse(KEY, FORMAT.metadataUri(BASE, KEY), xml.getBytes(StandardCharsets.UTF_8), "public:maven-central")
        .orElseThrow();
  }

  @Test
  void theMetadataUrlFollowsTheRepositoryLayout() {
    assertThat(FORMAT.metadataUri(BASE, KEY)).hasToString("https://repo.example/maven2/org/example/lib/maven-metadata.xml");
    assertThat(FORMAT.metadataUri(URI.create("https://repo.example/maven2/"), KEY))
        .hasToString("https://repo.example/maven2/org/example/lib/maven-metadata.xml");
  }

  @Test
  void releasesAreListedInTheUpstreamsOrderEndingAtLastUpdatedAndSnapshotsAreLeftOut() {
    PackageDocument document = parse("""
        <?xml version="1.0" encoding="UTF-8"?>
        <metadata>
          <groupId>org.example</groupId>
          <artifactId>lib</artifactId>
          <versioning>
            <latest>2.0-SNAPSHOT</latest>
            <release>1.10</release>
            <versions>
              <version>1.9</version>
              <version>1.10</version>
              <version>2.0-SNAPSHOT</version>
              <version>../evil</version>
              <version>1.2</version>
            </versions>
            <lastUpdated>20250102030405</lastUpdated>
          </versioning>
        </metadata>
        """);
    List<PackageVersion> versions = document.versions().stream().map(PackageDocument.VersionWithAssets::version).toList();
    assertThat(versions).extracting(PackageVersion::version).containsExactly("1.9", "1.10", "1.2");
    assertThat(versions).allSatisfy(v -> {
      assertThat(v.status()).isEqualTo(VersionStatus.PUBLISHED);
      assertThat(v.origin()).isEqualTo("EXTERNAL");
      assertThat(v.key()).isEqualTo(KEY);
    });
    assertThat(versions.getLast().publishedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(versions.get(0).publishedAt()).isBefore(versions.get(1).publishedAt());
    assertThat(versions.get(1).publishedAt()).isBefore(versions.get(2).publishedAt());
    assertThat(document.versions()).allSatisfy(v -> assertThat(v.assets()).isEmpty());
  }

  @Test
  void metadataWithoutLastUpdatedEndsNowAndMetadataWithoutVersionsMeansNoSuchArtifact() {
    assertThat(parse("<metadata><versioning><versions><version>1.0</version></versions></versioning></metadata>")
        .versions().getFirst().version().publishedAt()).isEqualTo(NOW);
    // A group's plugin list at that path, or only SNAPSHOTs: nothing to offer.
    assertThat(FORMAT.parse(KEY, BASE, "<metadata><plugins><plugin><prefix>x</prefix></plugin></plugins></metadata>"
        .getBytes(StandardCharsets.UTF_8), "up")).isEmpty();
    assertThat(FORMAT.parse(KEY, BASE, ("<metadata><versioning><versions><version>1.0-SNAPSHOT</version></versions>"
        + "</versioning></metadata>").getBytes(StandardCharsets.UTF_8), "up")).isEmpty();
  }

  @Test
  void malformedMetadataIsAnUpstreamFailureNamingTheUpstream() {
    for (String body : List.of("<html>not metadata", "{\"versions\":[]}", "<project/>",
        "<metadata><groupId>org.other</groupId><artifactId>lib</artifactId></metadata>",
        "<!DOCTYPE metadata [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><metadata>&x;</metadata>")) {
      assertThatThrownBy(() -> FORMAT.parse(KEY, BASE, body.getBytes(StandardCharsets.UTF_8), "public:maven-central"))
          .as(body).isInstanceOf(UpstreamUnavailableException.class)
          .hasMessageContaining("public:maven-central").hasMessageContaining("malformed maven-metadata.xml");
    }
  }

  @Test
  void checksumFilesAreReadInTheFormsRepositoriesWrite() {
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, SHA1)).contains(SHA1);
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, SHA1.toUpperCase() + "\n")).contains(SHA1);
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, SHA1 + "  lib-1.0.jar\n")).contains(SHA1);
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "SHA1(lib-1.0.jar)= " + SHA1)).contains(SHA1);
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "lib-1.0.jar: " + SHA1)).contains(SHA1);
    String sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA256, sha256 + " *lib-1.0.jar")).contains(sha256);
  }

  @Test
  void checksumFilesWithoutADigestOfTheAlgorithmsLengthAreMalformed() {
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "")).isEmpty();
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "<html>Not Found</html>")).isEmpty();
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, SHA1.substring(1))).isEmpty();
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA256, SHA1)).as("a SHA-1 in a .sha256").isEmpty();
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "z".repeat(40))).isEmpty();
    assertThat(MavenExternalFormat.checksum(ExternalFormat.Algorithm.SHA1, "lib-1.0.jar " + SHA1))
        .as("a name then a digest, without the separator of a known form").isEmpty();
  }

  @Test
  void aFileIsFoundByNameInItsVersionsDirectoryWithItsChecksumFilesStrongestFirst() {
    PackageDocument.VersionWithAssets version = parse(
        "<metadata><versioning><versions><version>1.0</version></versions></versioning></metadata>").versions()
        .getFirst();
    ExternalFormat.NamedFile file = FORMAT.namedFile(BASE, version, "lib-1.0-sources.jar").orElseThrow();
    assertThat(file.url()).hasToString("https://repo.example/maven2/org/example/lib/1.0/lib-1.0-sources.jar");
    assertThat(file.checksums()).extracting(ExternalFormat.ChecksumFile::algorithm).containsExactly(
        ExternalFormat.Algorithm.SHA512, ExternalFormat.Algorithm.SHA256, ExternalFormat.Algorithm.SHA1);
    assertThat(file.checksums().getLast().url()).hasToString(file.url() + ".sha1");
    assertThat(file.signature()).isFalse();
    assertThat(FORMAT.namedFile(BASE, version, "lib-1.0.pom.asc")).get().satisfies(asc -> {
      assertThat(asc.signature()).as("Maven Central publishes no checksum for signatures").isTrue();
      assertThat(asc.checksums()).hasSize(3);
    });
    assertThat(FORMAT.namedFile(BASE, version, "other-1.0.jar")).as("another artifact's file").isEmpty();
    assertThat(FORMAT.namedFile(BASE, version, "lib-1.1.jar")).as("another version's file").isEmpty();
    assertThat(FORMAT.namedFile(BASE, version, "lib-1.0.jar.sha1")).as("checksums are not stored").isEmpty();
  }

  @Test
  void aFetchedPomDescribesTheVersionItIsStoredUnder() throws Exception {
    PackageDocument.VersionWithAssets version = parse(
        "<metadata><versioning><versions><version>1.0</version></versions></versioning></metadata>").versions()
        .getFirst();
    Path pom = directory.resolve("lib-1.0.pom");
    Files.writeString(pom, "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId>"
        + "<artifactId>lib</artifactId><version>1.0</version><packaging>maven-plugin</packaging>"
        + "<description>A library</description></project>");
    var publication = FORMAT.publication(version, "lib-1.0.pom", pom);
    assertThat(publication.status()).isEqualTo(VersionStatus.PUBLISHED);
    assertThat(publication.origin()).isEqualTo("EXTERNAL");
    assertThat(publication.summary()).isEqualTo("A library");
    assertThat(publication.metadata()).contains("\"packaging\":\"maven-plugin\"");
    Path jar = directory.resolve("lib-1.0.jar");
    Files.write(jar, new byte[] {1, 2, 3});
    assertThat(FORMAT.publication(version, "lib-1.0.jar", jar).metadata()).isEqualTo("{}");
  }
}
