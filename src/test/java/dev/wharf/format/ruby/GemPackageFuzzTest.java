package dev.wharf.format.ruby;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Fuzzes a pushed {@code .gem} (an outer tar of {@code metadata.gz}, {@code data.tar.gz} and
 * {@code checksums.yaml.gz}) through {@link GemPackage#read}, as {@code gem push} reaches it. Only
 * {@link WharfException} (a 4xx) may come out.
 */
class GemPackageFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void gemsAreReadOrRefusedWithA4xx(byte[] input) {
    try {
      GemPackage.Spooled gem = GemPackage.read(new ByteArrayInputStream(input), TestingFuzzFiles.scratch(), 1 << 20,
          spec -> { });
      Files.deleteIfExists(gem.file());
    } catch (WharfException refused) {
      // the documented refusal
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
