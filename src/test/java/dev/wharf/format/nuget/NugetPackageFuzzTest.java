package dev.wharf.format.nuget;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;
import java.util.Map;

/**
 * Fuzzes a pushed {@code .nupkg}: ZIP bytes through {@link NugetPackage#read} (the shared {@code ZipEntries}
 * reader, the {@code .nuspec} and readme found in it), read from the spooled file as a push is; and the same
 * bytes as a {@code .nuspec} packed into a well-formed package. Only {@link WharfException} (a 4xx) may come out.
 */
class NugetPackageFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void pushedPackagesAreReadOrRefusedWithA4xx(byte[] input) {
    TestingFuzzFiles.withFile(input, ".nupkg", file -> {
      try {
        NugetPackage.read(file);
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
    byte[] packed = TestingNupkgs.zip(Map.of("Fuzz.nuspec", input, "docs/README.md", new byte[] {'#'}));
    TestingFuzzFiles.withFile(packed, ".nupkg", file -> {
      try {
        NugetRegistry.document(NugetPackage.read(file));
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
  }
}
