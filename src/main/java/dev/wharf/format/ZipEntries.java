package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads files out of an uploaded zip (a wheel, a zip sdist, a {@code .nupkg}, a Swift source archive)
 * within bounds that hold whatever the archive declares. Opening checks the whole central directory:
 * at most {@link Limits#maxEntries()} entries, no name twice, no name that leaves the archive's folder
 * when unpacked (absolute, {@code ..}, a drive letter, a backslash, a NUL), and no entry declaring more
 * than the archive may inflate to. Reading a file inflates at most {@link Limits#maxFileBytes()} of it,
 * and all reads of one archive together at most what {@link InflationBound} allows for its size, so a
 * bomb stops at its bound whatever its headers claim.
 *
 * <p>A malformed, truncated or refused archive is a {@link WharfException.Invalid}; only a failure to
 * read the file itself is the server's.
 */
public final class ZipEntries implements AutoCloseable {
  private final ZipFile zip;
  private final Limits limits;
  private final List<ZipEntry> entries;
  private final long compressedBytes;
  private final long maxInflated;
  private long inflated;

  /**
   * The bounds of one kind of archive.
   *
   * @param archive how messages name the archive ("The wheel")
   * @param maxEntries the most entries (files and folders) the archive may have
   * @param maxFileBytes the largest file that may be read out of it
   * @param inflation how much of it may be inflated, for its size
   */
  public record Limits(String archive, int maxEntries, int maxFileBytes, InflationBound inflation) {
    public Limits {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(inflation, "inflation");
      if (maxEntries <= 0 || maxFileBytes <= 0) {
        throw new IllegalArgumentException("The limits of a zip must be positive");
      }
    }

    /** Limits of an upload, within {@link InflationBound#UPLOADS}. */
    public Limits(String archive, int maxEntries, int maxFileBytes) {
      this(archive, maxEntries, maxFileBytes, InflationBound.UPLOADS);
    }
  }

  private ZipEntries(ZipFile zip, Limits limits, List<ZipEntry> entries, long compressedBytes) {
    this.zip = zip;
    this.limits = limits;
    this.entries = entries;
    this.compressedBytes = compressedBytes;
    this.maxInflated = limits.inflation().limitFor(compressedBytes);
  }

  /**
   * Opens the zip and checks its central directory.
   *
   * @throws WharfException.Invalid when it is not a zip, or has too many entries, a name twice, a name
   *     that leaves its folder, or an entry declaring more than the archive may inflate to
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ZipEntries open(Path archive, Limits limits) {
    Objects.requireNonNull(limits, "limits");
    long compressed;
    ZipFile zip;
    try {
      compressed = Files.size(archive);
      zip = new ZipFile(archive.toFile());
    } catch (ZipException e) {
      throw new WharfException.Invalid(limits.archive() + " is not a valid zip file: " + e.getMessage());
    } catch (EOFException e) { // a central directory that points past the file's end (found by SwiftArchiveFuzzTest)
      throw new WharfException.Invalid(limits.archive() + " is not a valid zip file: it ends before its central"
          + " directory does");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ZipEntries opened = new ZipEntries(zip, limits, checkedEntries(zip, limits, compressed), compressed);
      zip = null;
      return opened;
    } finally {
      if (zip != null) {
        closeQuietly(zip);
      }
    }
  }

  private static List<ZipEntry> checkedEntries(ZipFile zip, Limits limits, long compressed) {
    long maxInflated = limits.inflation().limitFor(compressed);
    List<ZipEntry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Enumeration<? extends ZipEntry> all = zip.entries();
    while (all.hasMoreElements()) {
      ZipEntry entry = all.nextElement();
      if (entries.size() == limits.maxEntries()) {
        throw new WharfException.Invalid(limits.archive() + " has more than " + limits.maxEntries() + " entries");
      }
      String name = entry.getName();
      if (leavesItsFolder(name)) {
        throw new WharfException.Invalid(limits.archive() + " has an entry outside its folder: " + printable(name));
      }
      if (!names.add(name)) {
        throw new WharfException.Invalid(limits.archive() + " has the entry " + printable(name) + " twice");
      }
      if (entry.getSize() > maxInflated) {
        throw new WharfException.Invalid(limits.archive() + "'s entry " + printable(name) + " declares "
            + entry.getSize() + " bytes, more than it may unpack to: " + limits.inflation().describe(compressed));
      }
      entries.add(entry);
    }
    return List.copyOf(entries);
  }

  /** Whether unpacking the name would write outside the archive's folder, on any system. */
  static boolean leavesItsFolder(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
        || (name.length() >= 2 && name.charAt(1) == ':')) {
      return true;
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** The names of its entries, in the central directory's order (folders end with {@code /}). */
  public List<String> names() {
    return entries.stream().map(ZipEntry::getName).toList();
  }

  /**
   * The content of the one file whose name {@code path} accepts, or empty when there is none.
   *
   * @param file how messages name the file sought ("METADATA")
   * @throws WharfException.Invalid when several files match, or as {@link #read} refuses the one
   */
  public Optional<byte[]> single(Predicate<String> path, String file) {
    ZipEntry found = null;
    for (ZipEntry entry : entries) {
      if (!entry.isDirectory() && path.test(entry.getName())) {
        if (found != null) {
          throw new WharfException.Invalid(limits.archive() + " has more than one " + file);
        }
        found = entry;
      }
    }
    return found == null ? Optional.empty() : Optional.of(read(found, file));
  }

  /**
   * The content of the file named exactly {@code name}, or empty when there is none.
   *
   * @throws WharfException.Invalid as {@link #read} refuses it
   */
  public Optional<byte[]> file(String name) {
    return entries.stream().filter(entry -> !entry.isDirectory() && entry.getName().equals(name)).findFirst()
        .map(entry -> read(entry, name));
  }

  /**
   * Inflates one entry, whatever it declares: at most {@link Limits#maxFileBytes()}, and within what is
   * left of the archive's inflation bound.
   */
  private byte[] read(ZipEntry entry, String file) {
    long allowed = Math.min(limits.maxFileBytes(), maxInflated - inflated);
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) allowed + 1);
      inflated += bytes.length;
      if (bytes.length > allowed) {
        throw new WharfException.Invalid(limits.archive() + "'s " + file + " exceeds " + (allowed < limits.maxFileBytes()
            ? limits.inflation().describe(compressedBytes) : limits.maxFileBytes() + " bytes"));
      }
      return bytes;
    } catch (ZipException e) {
      throw new WharfException.Invalid(limits.archive() + " is not a valid zip file: " + e.getMessage());
    } catch (EOFException e) {
      throw new WharfException.Invalid(limits.archive() + " could not be read: " + e.getMessage());
    } catch (IOException e) {
      if (e.getClass() == IOException.class) { // the JDK's inflater reports damaged data this way
        throw new WharfException.Invalid(limits.archive() + " could not be read: " + e.getMessage());
      }
      throw new UncheckedIOException(e);
    }
  }

  private static String printable(String name) {
    StringBuilder shown = new StringBuilder("\"");
    name.codePoints().limit(200).forEach(c -> shown.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
    return shown.append(name.length() > 200 ? "...\"" : "\"").toString();
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // nothing was read yet: the refusal already thrown is what matters
    }
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
