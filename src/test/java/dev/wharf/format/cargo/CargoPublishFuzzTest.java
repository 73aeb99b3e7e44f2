package dev.wharf.format.cargo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Fuzzes the body of {@code cargo publish} (u32 length, JSON metadata, u32 length, .crate) through the steps
 * {@code CargoFormat} and {@code CargoRegistry} take: {@link CargoPublish#readHead}, {@link CargoPublish#readMetadata},
 * {@link CargoPublish#spoolCrate} and {@link CargoCrate#read}. Only {@link WharfException} (a 4xx) may come out.
 */
class CargoPublishFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void publishBodiesAreReadOrRefusedWithA4xx(byte[] input) {
    InputStream body = new ByteArrayInputStream(input);
    try {
      CargoPublish.Head head = CargoPublish.readHead(body);
      CargoPublish.Metadata metadata = CargoPublish.readMetadata(body, head);
      CargoPublish.Crate crate = CargoPublish.spoolCrate(body, TestingFuzzFiles.scratch(), 1 << 20);
      try {
        CargoCrate.read(crate.file(), metadata.name(), metadata.version());
      } finally {
        Files.deleteIfExists(crate.file());
      }
    } catch (WharfException refused) {
      // the documented refusal
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
