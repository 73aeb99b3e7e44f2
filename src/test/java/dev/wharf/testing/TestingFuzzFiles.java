package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;

/**
 * Files for fuzz targets whose parser reads an upload from disk (archives are spooled before they are read): one
 * scratch folder per JVM, and each input written to a file that is deleted after its run.
 */
public final class TestingFuzzFiles {
  private static final Path SCRATCH = createScratch();

  private TestingFuzzFiles() {}

  /** The folder a fuzz target's parser may spool into, and its servers keep their data in (deleted at exit). */
  public static Path scratch() {
    return SCRATCH;
  }

  /** Writes the input to a file named {@code *suffix}, hands it to {@code parse}, then deletes it. */
  public static void withFile(byte[] input, String suffix, Consumer<Path> parse) {
    Path file;
    try {
      file = Files.createTempFile(SCRATCH, "input-", suffix);
      Files.write(file, input);
    } catch (IOException e) {
      throw new UncheckedIOException("the fuzz target could not write its input", e);
    }
    try {
      parse.accept(file);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the scratch folder is under the system's temporary folder
      }
    }
  }

  private static Path createScratch() {
    try {
      Path scratch = Files.createTempDirectory("wharf-fuzz-");
      // a fuzz JVM ends when its run does, with the servers it started still up: their files go with it
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(scratch.toFile())));
      return scratch;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
