package dev.wharf.format.npm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;
import java.io.ByteArrayInputStream;

/**
 * Fuzzes the body of {@code npm publish} (the packument with its base64 {@code _attachments}) through
 * {@link NpmPublishParser#parse}, then each tarball it carries through {@link NpmTarball#packageJson}, as
 * {@code NpmRegistry} reads them. Only {@link WharfException} (a 4xx in npm's JSON shape) may come out.
 */
class NpmPublishFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void publishBodiesAreReadOrRefusedWithA4xx(byte[] input) {
    try (NpmPublishParser.Parsed parsed =
        NpmPublishParser.parse(new ByteArrayInputStream(input), 1 << 20, TestingFuzzFiles.scratch())) {
      for (NpmPublishParser.Attachment attachment : parsed.attachments().values()) {
        try {
          NpmTarball.packageJson(attachment.file());
        } catch (WharfException refused) {
          // the tarball is refused; the next one is still read
        }
      }
    } catch (WharfException refused) {
      // the documented refusal
    }
  }
}
