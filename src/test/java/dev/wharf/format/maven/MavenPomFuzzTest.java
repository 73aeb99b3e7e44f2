package dev.wharf.format.maven;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes uploaded POMs as {@code MavenRegistry} reads them: {@link MavenPom#parse} (XML with DTDs and external
 * entities refused), then the version's metadata document made from it. A POM that does not parse is kept as
 * bytes, so nothing here may throw: any exception is a finding.
 */
class MavenPomFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void pomsParseOrAreIgnored(byte[] input) {
    MavenPom.parse(input).ifPresent(pom -> {
      pom.metadataJson();
      pom.packagingOrJar();
    });
  }
}
