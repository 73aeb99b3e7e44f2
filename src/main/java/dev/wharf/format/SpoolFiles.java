package dev.wharf.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The temporary files uploads are spooled to ({@link FormatContext#spoolDirectory()}). */
public final class SpoolFiles {
  private SpoolFiles() {}

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
