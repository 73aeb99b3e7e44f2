package dev.wharf.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;

/**
 * Fuzzes the TAR and GZIP readers of uploads ({@link TarGzEntries}, which reads npm tarballs, PyPI sdists and
 * cargo crates) on raw {@code .tar.gz} bytes: a search for one file, and the checked walk of every entry that
 * cargo makes. Only {@link WharfException} (a 4xx) may come out.
 */
class TarGzEntriesFuzzTest {
  private static final TarGzEntries.Search SEARCH =
      new TarGzEntries.Search("The archive", "package.json", path -> path.endsWith("/package.json"), 64 * 1024);

  @FuzzTest(maxDuration = "10s")
  void archivesAreReadOrRefusedWithA4xx(byte[] input) {
    TestingFuzzFiles.withFile(input, ".tgz", file -> {
      try {
        TarGzEntries.firstFile(file, SEARCH);
      } catch (WharfException refused) {
        // the documented refusal
      }
      try {
        TarGzEntries.fileOfCheckedArchive(file, SEARCH, entry -> { });
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
  }
}
