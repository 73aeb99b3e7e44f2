package dev.wharf.format.pypi;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;

/**
 * Fuzzes the ZIP reader of uploads: a wheel's {@code *.dist-info/METADATA} ({@link PypiMetadata#fromWheel}) and a
 * zip sdist's {@code PKG-INFO} ({@link PypiMetadata#fromSdist}), each read from the spooled file as an upload is.
 * Only {@link WharfException} (a 4xx) may come out.
 */
class PypiArchiveFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void zipUploadsAreReadOrRefusedWithA4xx(byte[] input) {
    TestingFuzzFiles.withFile(input, ".whl", file -> {
      try {
        PypiMetadata.fromWheel(file);
      } catch (WharfException refused) {
        // the documented refusal
      }
      try {
        PypiMetadata.fromSdist(file, "demo-1.0.zip");
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
  }
}
