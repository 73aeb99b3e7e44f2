package dev.wharf.format.swift;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;

/**
 * Fuzzes a published source archive as {@link SwiftArchive#manifests} reads it (the zip's central directory, its
 * layout, its manifests and their tools-version lines): the input is the whole archive. Only
 * {@link WharfException} (a 4xx) may come out.
 */
class SwiftArchiveFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void archivesAreReadOrRefusedWithA4xx(byte[] input) {
    TestingFuzzFiles.withFile(input, ".zip", file -> {
      try {
        SwiftArchive.manifests(file);
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
  }
}
