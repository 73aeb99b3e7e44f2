package dev.wharf.format.ruby;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wharf.error.WharfException;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.TarGzEntries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.commons.io.input.TeeInputStream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A pushed {@code .gem}: a plain tar of {@code metadata.gz} (the gzip'd YAML specification),
 * {@code data.tar.gz} (the files) and {@code checksums.yaml.gz}. It is read as it arrives and copied
 * to a spool file: the specification comes first in every gem RubyGems builds, and once it is read
 * the caller is authorized for the gem it names ({@code whenNamed}), before the rest is read. Then
 * the checksums, when the gem has them, must match what arrived, and {@code data.tar.gz} must be a
 * gzip'd tar whose files stay inside it.
 */
final class GemPackage {
  private static final int MAX_CHECKSUMS_BYTES = 64 * 1024;
  /** How far the files of one gem may unpack. */
  static final long MAX_DATA_UNPACKED = 1024L * 1024 * 1024;

  private GemPackage() {}

  /** The gem, spooled: its specification, its file and the file's SHA-256. */
  record Spooled(Gemspec spec, Path file, String sha256, long size) {}

  /**
   * Reads a gem from {@code body} into a new file of {@code directory}.
   *
   * @param whenNamed called with the specification as soon as it is read, before the rest of the
   *     gem; it throws to refuse the gem (403)
   * @throws WharfException.Invalid for a malformed gem; WharfException.TooLarge above {@code maxBytes}
   */
  static Spooled read(InputStream body, Path directory, long maxBytes, Consumer<Gemspec> whenNamed) {
    Path file = null;
    Path data = null;
    BoundedInputStream bounded = null;
    try {
      file = Files.createTempFile(directory, "gem-", ".gem");
      MessageDigest whole = sha256();
      bounded = BoundedInputStream.builder().setInputStream(body).setMaxCount(maxBytes + 1).get();
      Gemspec spec = null;
      Map<String, String> digests = new HashMap<>();
      byte[] checksums = null;
      try (OutputStream copy = Files.newOutputStream(file);
          TarArchiveInputStream tar = new TarArchiveInputStream(new TeeInputStream(new DigestInputStream(bounded, whole),
              copy))) {
        TarArchiveEntry entry;
        while ((entry = next(tar)) != null) {
          String name = entry.getName();
          MessageDigest digest = sha256();
          InputStream content = new DigestInputStream(tar, digest);
          switch (name) {
            case "metadata.gz" -> {
              if (spec != null) {
                throw new WharfException.Invalid("The gem has two metadata.gz");
              }
              spec = Gemspec.parse(gunzip(content, Gemspec.MAX_BYTES, "metadata.gz"));
              whenNamed.accept(spec);
            }
            case "data.tar.gz" -> {
              if (data != null) {
                throw new WharfException.Invalid("The gem has two data.tar.gz");
              }
              data = Files.createTempFile(directory, "gem-data-", ".tar.gz");
              try (OutputStream out = Files.newOutputStream(data)) {
                content.transferTo(out);
              }
            }
            case "checksums.yaml.gz" -> checksums = gunzip(content, MAX_CHECKSUMS_BYTES, "checksums.yaml.gz");
            default -> { }
          }
          content.transferTo(OutputStream.nullOutputStream());
          digests.put(name, HexFormat.of().formatHex(digest.digest()));
        }
        bounded.transferTo(OutputStream.nullOutputStream()); // the tar's padding, copied with the rest
      }
      if (bounded.getCount() > maxBytes) {
        throw new WharfException.TooLarge("The gem exceeds the limit of " + maxBytes + " bytes");
      }
      if (spec == null) {
        throw new WharfException.Invalid("The gem has no metadata.gz: it is not a gem RubyGems builds");
      }
      if (data == null) {
        throw new WharfException.Invalid("The gem has no data.tar.gz");
      }
      if (checksums != null) {
        verify(checksums, digests);
      }
      TarGzEntries.fileOfCheckedArchive(data, new TarGzEntries.Search("The gem's data.tar.gz", "(no file)",
          path -> false, 1, MAX_DATA_UNPACKED), entry -> requireInside(entry.name()));
      return new Spooled(spec, file, HexFormat.of().formatHex(whole.digest()), Files.size(file));
    } catch (IOException e) {
      SpoolFiles.deleteQuietly(file);
      if (bounded != null && bounded.getCount() > maxBytes) {
        throw new WharfException.TooLarge("The gem exceeds the limit of " + maxBytes + " bytes");
      }
      throw new WharfException.Invalid("The gem is not a tar archive: " + e.getMessage());
    } catch (RuntimeException e) {
      SpoolFiles.deleteQuietly(file);
      throw e;
    } finally {
      SpoolFiles.deleteQuietly(data);
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (IllegalArgumentException e) { // commons-compress reports some corrupt headers so
      throw new IOException("a damaged tar header", e);
    }
  }

  private static void requireInside(String name) {
    boolean inside = !name.startsWith("/") && !name.contains("\\");
    for (String segment : name.split("/")) {
      inside &= !segment.equals("..");
    }
    if (!inside) {
      throw new WharfException.Invalid("The gem's data.tar.gz has a file outside it: "
          + (name.length() > 200 ? name.substring(0, 200) + "..." : name));
    }
  }

  /** checksums.yaml.gz: {@code SHA256: {metadata.gz: hex, data.tar.gz: hex}} (and SHA512, not checked). */
  private static void verify(byte[] checksums, Map<String, String> digests) {
    JsonNode root;
    try {
      LoaderOptions limits = new LoaderOptions();
      limits.setMaxAliasesForCollections(10);
      limits.setNestingDepthLimit(8);
      limits.setCodePointLimit(MAX_CHECKSUMS_BYTES);
      root = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build()).readTree(checksums);
    } catch (IOException | RuntimeException e) {
      throw new WharfException.Invalid("The gem's checksums.yaml.gz is not YAML");
    }
    if (root == null) {
      return;
    }
    root.path("SHA256").properties().forEach(entry -> {
      String actual = digests.get(entry.getKey());
      if (actual != null && !actual.equalsIgnoreCase(entry.getValue().asText())) {
        throw new WharfException.Invalid("The gem's " + entry.getKey() + " does not match its SHA256 in"
            + " checksums.yaml.gz");
      }
    });
  }

  private static byte[] gunzip(InputStream content, int maxBytes, String what) {
    try {
      byte[] inflated = new GZIPInputStream(content).readNBytes(maxBytes + 1);
      if (inflated.length > maxBytes) {
        throw new WharfException.Invalid("The gem's " + what + " unpacks to more than " + maxBytes + " bytes");
      }
      return inflated;
    } catch (IOException e) {
      throw new WharfException.Invalid("The gem's " + what + " is not gzip-compressed");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
