package dev.wharf.blob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * Files a killed process left in a folder of files being written (a blob store's temporary files, upload
 * spools): removed when a store or server opens, once older than anything still being written could be
 * (several nodes may share the folder, so a young file may be another node's upload in progress).
 */
public final class LeftoverFiles {
  private LeftoverFiles() {}

  /**
   * Deletes the regular files directly in {@code directory} whose names match {@code glob} and that were last
   * written before {@code olderThan}; a missing directory has none.
   *
   * @return how many were deleted
   */
  public static int remove(Path directory, String glob, Instant olderThan) throws IOException {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
      for (Path file : files) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(olderThan)
              && Files.deleteIfExists(file)) {
            removed++;
          }
        } catch (NoSuchFileException e) {
          // finished with meanwhile, e.g. by another node's upload
        }
      }
    }
    return removed;
  }
}
