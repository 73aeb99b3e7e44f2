package dev.wharf.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** Reads and replaces the users' configuration files: whole-file, atomic, owner-only (0600). */
final class ConfigFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private ConfigFiles() {}

  /**
   * A configuration file wharf would change but cannot, as it is (not valid in its format, or laid out so that
   * wharf's edit would change other settings): which file, for "cannot update TOOL's FILE", and why. Each file
   * kind has its own subclass; login and logout answer them all alike.
   */
  abstract static class InvalidConfigFile extends IOException {
    private final String file;

    InvalidConfigFile(String file, String message, Throwable cause) {
      super(message, cause);
      this.file = file;
    }

    /** The file, as a user knows it: {@code settings.xml}, {@code NuGet.Config}, "configuration". */
    String file() {
      return file;
    }
  }

  static Optional<String> read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
  }

  /**
   * Replaces the file's content through a temporary file in the same folder, so that a reader never
   * sees half a file. The new file is readable by its owner only (it may hold a token); a symbolic
   * link is followed, so dotfiles kept elsewhere stay where they are.
   */
  static void write(Path file, String content) throws IOException {
    Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
    Path folder = target.getParent();
    Files.createDirectories(folder);
    boolean posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null;
    Path temporary = posix
        ? Files.createTempFile(folder, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, content, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Deletes the file when it would be empty (a logout that removed all a login had created). */
  static void writeOrDelete(Path file, String content) throws IOException {
    if (content.isBlank()) {
      Files.deleteIfExists(file);
    } else {
      write(file, content);
    }
  }
}
