package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import org.junit.jupiter.api.Test;

/** The Maven 2 layout: what each path names, and the paths refused. */
class MavenPathTest {
  @Test
  void filesOfAReleaseWithClassifiersAndChecksums() {
    assertThat(MavenPath.parse("org/example/deep/lib/1.0/lib-1.0.jar")).isEqualTo(new MavenPath.File("org.example.deep",
        "lib", "1.0", "lib-1.0.jar", "1.0", ".jar", null));
    assertThat(MavenPath.parse("org/example/lib/1.0/lib-1.0-sources.jar.sha512")).isEqualTo(new MavenPath.File(
        "org.example", "lib", "1.0", "lib-1.0-sources.jar", "1.0", "-sources.jar", MavenChecksum.SHA512));
    assertThat(MavenPath.parse("org/example/lib/1.0/lib-1.0.pom.asc.md5")).isEqualTo(new MavenPath.File(
        "org.example", "lib", "1.0", "lib-1.0.pom.asc", "1.0", ".pom.asc", MavenChecksum.MD5));
    assertThat(MavenPath.parse("org/example/lib/1.0/lib-1.0.module.sha256"))
        .extracting(p -> ((MavenPath.File) p).fileName(), MavenPath::checksum)
        .containsExactly("lib-1.0.module", MavenChecksum.SHA256);
  }

  @Test
  void snapshotFilesTimestampedOrNot() {
    MavenPath.File build = (MavenPath.File) MavenPath.parse("g/lib/2.0-SNAPSHOT/lib-2.0-20261125.212000-13-tests.jar");
    assertThat(build.build()).isEqualTo("2.0-20261125.212000-13");
    assertThat(build.suffix()).isEqualTo("-tests.jar");
    assertThat(build.buildNumber()).isEqualTo(13);
    MavenPath.File plain = (MavenPath.File) MavenPath.parse("g/lib/2.0-SNAPSHOT/lib-2.0-SNAPSHOT.jar");
    assertThat(plain.build()).isEqualTo("2.0-SNAPSHOT");
    assertThat(plain.buildNumber()).isZero();
  }

  @Test
  void metadataAtTheArtifactAndSnapshotVersionLevels() {
    assertThat(MavenPath.parse("org/example/lib/maven-metadata.xml"))
        .isEqualTo(new MavenPath.ArtifactMetadata("org.example", "lib", null));
    assertThat(MavenPath.parse("org/example/lib/maven-metadata.xml.sha1"))
        .isEqualTo(new MavenPath.ArtifactMetadata("org.example", "lib", MavenChecksum.SHA1));
    assertThat(MavenPath.parse("org/example/lib/1.0-SNAPSHOT/maven-metadata.xml"))
        .isEqualTo(new MavenPath.VersionMetadata("org.example", "lib", "1.0-SNAPSHOT", null));
  }

  @Test
  void traversalEncodedSeparatorsAndPathsOutsideTheLayoutAreRefused() {
    for (String path : new String[] {"org/../lib/1.0/lib-1.0.jar", "org/%2e%2e/lib/1.0/lib-1.0.jar",
        "org/%2E./lib/1.0/lib-1.0.jar", "org/x%2F..%2F../lib/1.0/lib-1.0.jar", "org/x%5c/lib/1.0/lib-1.0.jar",
        "org/./lib/1.0/lib-1.0.jar", "org//lib/1.0/lib-1.0.jar", "org/lib/1.0/", "lib-1.0.jar", "org/lib-1.0.jar",
        "org/lib/1.0/other-1.0.jar", "org/lib/1.0/lib-2.0.jar", "org/lib/1.0/lib-1.0", "org/lib/1.0/lib-1.0-.jar",
        "org/lib/1.0/lib-1.0.jar.sha1.md5", "org/lib/2.0-SNAPSHOT/lib-2.0-2026.jar", "org/lib/1.0/lib-1.0.jar%00",
        "org/lib/1.0/lib-1.0.jar%zz", "org/lib/1.0/lib 1.0.jar", "maven-metadata.xml", "org/maven-metadata.xml"}) {
      assertThatThrownBy(() -> MavenPath.parse(path)).as(path).isInstanceOf(WharfException.Invalid.class);
    }
  }
}
