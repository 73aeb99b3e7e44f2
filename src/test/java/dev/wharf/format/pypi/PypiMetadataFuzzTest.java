package dev.wharf.format.pypi;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes core metadata (METADATA / PKG-INFO) through {@link PypiMetadata#parse} and the reads an upload makes of
 * it (name, version, the description body, repeated fields). It refuses nothing: any exception is a finding.
 */
class PypiMetadataFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void metadataIsReadWhateverItHolds(byte[] input) {
    PypiMetadata metadata = PypiMetadata.parse(input);
    metadata.first("Name").ifPresent(PypiNames::normalize);
    metadata.first("Version").ifPresent(PypiNames::comparableVersion);
    metadata.all("Requires-Dist");
    metadata.body();
  }
}
