package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own (a tmpfs of a fixed size), mounted by the test and unmounted on close, for tests
 * that fill a disk: {@link #fill()} writes a filler file until the file system refuses more, {@link #free()}
 * deletes it. Mounting needs root: without it the test is skipped, or fails under WHARF_REQUIRE_CLIENTS=1.
 */
public final class TestingTmpfs implements AutoCloseable {
  private static final String FILLER = "filler";

  private final Path root;

  private TestingTmpfs(Path root) {
    this.root = root;
  }

  /** Mounts a tmpfs of {@code megabytes} MiB on {@code directory} (created when missing). */
  public static TestingTmpfs mount(Path directory, int megabytes) {
    int uid;
    try {
      uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      TestingClients.missing("mounting a tmpfs (no /proc/self to tell the user: " + e.getMessage() + ")");
      throw new IllegalStateException("unreachable");
    }
    if (uid != 0) {
      TestingClients.missing("mounting a tmpfs (needs root; this test runs as uid " + uid + ")");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String failure = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0755", "tmpfs",
        directory.toString());
    if (failure != null) {
      TestingClients.missing("mounting a tmpfs on " + directory + " (" + failure + ")");
    }
    return new TestingTmpfs(directory);
  }

  /** Where it is mounted. */
  public Path root() {
    return root;
  }

  /** Bytes the file system still gives an unprivileged writer. */
  public long usableBytes() {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a filler file until the file system refuses more ("No space left on device"), so that nothing else can
   * be written to it; returns the filler's size.
   */
  public long fill() {
    ByteBuffer block = ByteBuffer.allocate(1 << 20);
    long written = 0;
    try (FileChannel filler = FileChannel.open(root.resolve(FILLER), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      while (true) {
        block.clear();
        written += filler.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw new UncheckedIOException(full);
      }
    }
    return written;
  }

  /** Deletes the filler, freeing what {@link #fill()} took. */
  public void free() {
    try {
      Files.deleteIfExists(root.resolve(FILLER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives a directory of this file system to {@code user} (and its group), e.g. to PostgreSQL's server. */
  public Path directoryOwnedBy(String name, String user) {
    try {
      Path directory = Files.createDirectories(root.resolve(name));
      UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView attributes = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
      attributes.setOwner(users.lookupPrincipalByName(user));
      GroupPrincipal group = users.lookupPrincipalByGroupName(user);
      attributes.setGroup(group);
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Unmounts it; a file system still busy (a file left open) is detached lazily and goes once closed. */
  @Override
  public void close() {
    if (run("umount", root.toString()) != null) {
      String failure = run("umount", "-l", root.toString());
      if (failure != null) {
        throw new IllegalStateException("could not unmount " + root + ": " + failure);
      }
    }
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return String.join(" ", command) + " did not finish";
      }
      return process.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + process.exitValue() + ": " + output;
    } catch (IOException e) {
      return String.join(" ", command) + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
