package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Files and directories for the clients an end-to-end test runs: projects, homes, config files. */
public final class TestingFiles {
  private TestingFiles() {}

  /** A new directory {@code parent/prefix-<uuid>}. */
  public static Path directory(Path parent, String prefix) {
    try {
      return Files.createDirectories(parent.resolve(prefix + "-" + UUID.randomUUID()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the text to the file, creating its parent directories; returns the file. */
  public static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
