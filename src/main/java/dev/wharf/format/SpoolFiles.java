package dev.wharf.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The temporary files uploads are spooled to ({@link FormatContext#spoolDirectory()}). */
public final class SpoolFiles {
  private SpoolFiles() {}

  /** A new empty file in the spool folder, for an upload being read. */
  public static Path create(Path directory, String prefix, String suffix) {
    try {
      return Files.createTempFile(directory, prefix, suffix);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Deletes a spooled file, if any; a leftover is harmless. */
  public static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // left for the next start
    }
  }
}
