package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads one file out of an uploaded gzip'd tar (an npm tarball, a PyPI sdist) with commons-compress
 * (ustar, pax and GNU long names), within bounds that hold whatever the archive's headers declare:
 * no more is inflated than {@link InflationBound} allows for the archive's size.
 * A malformed, truncated or oversized archive is a {@link WharfException.Invalid}; only a failure to
 * read the file itself is the server's.
 */
public final class TarGzEntries {
  /** The header records, padding and end-of-archive block around one entry's pax / GNU long-name data. */
  private static final int HEADER_RECORDS_BYTES = 16 * 1024;
  /** Real archives put at most a global pax header, a pax header and GNU long link and name in front of an entry. */
  private static final int MAX_HEADERS_PER_ENTRY = 16;

  private TarGzEntries() {}

  /**
   * What to look for, and the bounds of the search.
   *
   * @param archive how messages name the archive ("The tarball")
   * @param file how messages name the file sought ("package.json")
   * @param path which entry names are the file (names come without a leading {@code ./})
   * @param maxFileBytes the largest file accepted, and the most the pax and GNU long-name data in
   *     front of any one entry may take
   * @param inflation how much of the tar is inflated, for the size of the archive
   */
  public record Search(String archive, String file, Predicate<String> path, int maxFileBytes, InflationBound inflation) {
    public Search {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(inflation, "inflation");
      if (maxFileBytes <= 0) {
        throw new IllegalArgumentException("The limits of a search must be positive");
      }
    }

    /** A search of an upload, within {@link InflationBound#UPLOADS}. */
    public Search(String archive, String file, Predicate<String> path, int maxFileBytes) {
      this(archive, file, path, maxFileBytes, InflationBound.UPLOADS);
    }
  }

  /**
   * The content of the first regular file (tar type {@code 0}, or NUL in old archives) whose name the
   * search's path accepts, or empty when the archive has none.
   *
   * @throws WharfException.Invalid when the archive is not a gzip'd tar, is damaged, or the file or a
   *     header is larger than the search allows, or the file is not within its first inflated bytes
   * @throws UncheckedIOException when the file cannot be read
   */
  public static Optional<byte[]> firstFile(Path tarGz, Search search) {
    return read(tarGz, search, null);
  }

  /**
   * Like {@link #firstFile}, but reads the whole archive and shows {@code everyEntry} each entry of
   * any type, which throws to refuse the archive: a Cargo crate whose entries must all be files and
   * folders in its own folder. The search's inflated bound is the whole archive's.
   *
   * @throws WharfException.Invalid as {@link #firstFile}, or as {@code everyEntry} refuses an entry
   */
  public static Optional<byte[]> fileOfCheckedArchive(Path tarGz, Search search, Consumer<Entry> everyEntry) {
    return read(tarGz, search, Objects.requireNonNull(everyEntry, "everyEntry"));
  }

  /**
   * One entry of an archive, as {@link #fileOfCheckedArchive} shows it.
   *
   * @param name the entry's name, without a leading {@code ./}
   * @param kind what it is: links, devices and FIFOs are {@link Kind#OTHER}
   */
  public record Entry(String name, Kind kind) {
    public enum Kind {
      FILE,
      DIRECTORY,
      OTHER
    }
  }

  private static Optional<byte[]> read(Path tarGz, Search search, Consumer<Entry> everyEntry) {
    try (InputStream file = Files.newInputStream(tarGz)) {
      long compressed = Files.size(tarGz);
      return read(new ServerSide(file), search, compressed, search.inflation().limitFor(compressed), everyEntry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<byte[]> read(InputStream gzip, Search search, long compressed, long maxInflated,
      Consumer<Entry> everyEntry) {
    Budget inflated;
    try {
      inflated = new Budget(new GZIPInputStream(gzip, 64 * 1024), maxInflated);
    } catch (IOException e) { // ZipException (not gzip), EOFException (empty)
      throw new WharfException.Invalid(search.archive() + " is not a gzip-compressed tar archive" + detail(e));
    }
    try (TarArchiveInputStream tar = new HeaderChainBound(inflated)) {
      Optional<byte[]> found = Optional.empty();
      while (true) {
        inflated.allowFurther((long) search.maxFileBytes() + HEADER_RECORDS_BYTES);
        TarArchiveEntry entry = tar.getNextEntry();
        inflated.allowAll();
        if (entry == null) {
          return found;
        }
        if (everyEntry != null) {
          everyEntry.accept(new Entry(withoutDotSlash(entry.getName()), isRegularFile(entry) ? Entry.Kind.FILE
              : entry.getLinkFlag() == TarConstants.LF_DIR ? Entry.Kind.DIRECTORY : Entry.Kind.OTHER));
        }
        if (entry.getSize() > maxInflated - inflated.position()) {
          throw notWithin(search, compressed, everyEntry != null);
        }
        if (entry.isSparse()) { // its holes are inflated by no budget: skipping them could take hours
          throw new WharfException.Invalid(search.archive() + " has a sparse file, which no package archive needs");
        }
        if (found.isEmpty() && isRegularFile(entry) && search.path().test(withoutDotSlash(entry.getName()))) {
          if (entry.getSize() > search.maxFileBytes() || entry.getRealSize() > search.maxFileBytes()) {
            throw new WharfException.Invalid(search.archive() + "'s " + search.file() + " is larger than "
                + search.maxFileBytes() + " bytes");
          }
          found = Optional.of(tar.readNBytes(search.maxFileBytes()));
          if (everyEntry == null) {
            return found;
          }
          continue;
        }
        tar.transferTo(OutputStream.nullOutputStream());
      }
    } catch (WharfException | UncheckedIOException e) {
      throw e;
    } catch (IOException | RuntimeException e) { // commons-compress reports corrupt headers in many ways
      if (inflated.exhausted()) {
        throw inflated.position() >= maxInflated ? notWithin(search, compressed, everyEntry != null)
            : new WharfException.Invalid(search.archive() + " has a header entry larger than " + search.maxFileBytes()
                + " bytes");
      }
      throw new WharfException.Invalid(search.archive() + " is damaged" + detail(e));
    }
  }

  private static WharfException.Invalid notWithin(Search search, long compressed, boolean wholeArchive) {
    String bound = search.inflation().describe(compressed);
    if (wholeArchive) {
      return new WharfException.Invalid(search.archive() + " unpacks to more than " + bound);
    }
    return new WharfException.Invalid(search.archive() + " has no " + search.file() + " in its first " + bound);
  }

  private static String detail(Exception e) {
    return e instanceof IOException && e.getMessage() != null ? ": " + e.getMessage() : "";
  }

  private static boolean isRegularFile(TarArchiveEntry entry) {
    return entry.getLinkFlag() == TarConstants.LF_NORMAL || entry.getLinkFlag() == TarConstants.LF_OLDNORM;
  }

  private static String withoutDotSlash(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  /**
   * Refuses a long chain of headers in front of one entry: commons-compress reads each one with a
   * recursive {@link #getNextEntry()}, so thousands of tiny GNU long-name entries would overflow the stack.
   */
  private static final class HeaderChainBound extends TarArchiveInputStream {
    private int depth;

    HeaderChainBound(InputStream tar) {
      // Lenient: fields Wharf does not read (mode, owner, times) may hold anything, as they could before.
      super(tar, TarConstants.DEFAULT_BLKSIZE, TarConstants.DEFAULT_RCDSIZE, StandardCharsets.UTF_8.name(), true);
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
      if (depth > MAX_HEADERS_PER_ENTRY) {
        throw new IOException("More than " + MAX_HEADERS_PER_ENTRY + " headers in front of one entry");
      }
      depth++;
      try {
        return super.getNextEntry();
      } finally {
        depth--;
      }
    }
  }

  /**
   * The inflated tar, counted, failing once it reaches its limit: the search's whole budget, or less
   * while commons-compress reads an entry's headers (it keeps pax and GNU long-name data in memory).
   */
  private static final class Budget extends FilterInputStream {
    private final long total;
    private long position;
    private long limit;
    private boolean exhausted;

    Budget(InputStream in, long total) {
      super(in);
      this.total = total;
      this.limit = total;
    }

    long position() {
      return position;
    }

    boolean exhausted() {
      return exhausted;
    }

    void allowFurther(long bytes) {
      limit = Math.min(total, position + bytes);
    }

    void allowAll() {
      limit = total;
    }

    @Override
    public int read() throws IOException {
      requireBudget();
      int b = super.read();
      if (b >= 0) {
        position++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      requireBudget();
      int read = super.read(buffer, offset, (int) Math.min(length, limit - position));
      if (read > 0) {
        position += read;
      }
      return read;
    }

    @Override
    public long skip(long bytes) throws IOException {
      if (bytes <= 0) {
        return 0;
      }
      requireBudget();
      long skipped = super.skip(Math.min(bytes, limit - position));
      position += skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void requireBudget() throws IOException {
      if (position >= limit) {
        exhausted = true;
        throw new IOException("Read limit of the archive reached");
      }
    }
  }

  /** The archive's file: failing to read it is the server's fault (500), not the archive's (400). */
  private static final class ServerSide extends FilterInputStream {
    ServerSide(InputStream in) {
      super(in);
    }

    @Override
    public int read() {
      return (int) unchecked(() -> super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      return (int) unchecked(() -> super.read(buffer, offset, length));
    }

    @Override
    public long skip(long bytes) {
      return unchecked(() -> super.skip(bytes));
    }

    @Override
    public int available() {
      return (int) unchecked(() -> super.available());
    }

    private interface Read {
      long call() throws IOException;
    }

    private static long unchecked(Read read) {
      try {
        return read.call();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
