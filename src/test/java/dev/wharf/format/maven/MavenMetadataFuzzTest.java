package dev.wharf.format.maven;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes uploaded {@code maven-metadata.xml} as {@code MavenRegistry.metadataUploaded} reads it
 * ({@link MavenPom#listedVersions}): a malformed one is ignored, so nothing here may throw.
 */
class MavenMetadataFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void metadataListsVersionsOrIsIgnored(byte[] input) {
    MavenPom.listedVersions(input);
  }
}
