package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tars and gzip'd tars (npm tarballs, sdists) as commons-compress writes them. */
public final class TestingTarballs {
  private TestingTarballs() {}

  /** A gzip'd tar of (path, content) pairs; paths too long for a ustar header get a pax header. */
  public static byte[] tarGz(String... pathsAndContents) {
    return gzip(tar(pathsAndContents));
  }

  /** A tar of (path, content) pairs; paths too long for a ustar header get a pax header. */
  public static byte[] tar(String... pathsAndContents) {
    return tar(TarArchiveOutputStream.LONGFILE_POSIX, pathsAndContents);
  }

  /** A tar of (path, content) pairs, long paths written as {@code longFileMode} says (pax or GNU). */
  public static byte[] tar(int longFileMode, String... pathsAndContents) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(longFileMode);
      for (int i = 0; i < pathsAndContents.length; i += 2) {
        putFile(out, pathsAndContents[i], pathsAndContents[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar.toByteArray();
  }

  /** Adds a regular file to the tar. */
  public static void putFile(TarArchiveOutputStream out, String path, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(path);
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gzip.toByteArray();
  }
}
