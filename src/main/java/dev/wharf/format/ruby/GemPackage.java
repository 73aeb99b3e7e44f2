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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
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
      MessageDigest whole = digest("SHA-256");
      bounded = BoundedInputStream.builder().setInputStream(body).setMaxCount(maxBytes + 1).get();
      Gemspec spec;
      Map<String, Map<String, String>> digests = new HashMap<>();
      byte[] checksums = null;
      try (OutputStream copy = Files.newOutputStream(file)) {
        InputStream copied = new TeeInputStream(new DigestInputStream(bounded, whole), copy);
        GemTar tar = new GemTar(copied);
        // gem build writes the specification first: the caller is authorized on it before the rest is read
        String first = tar.next();
        if (!"metadata.gz".equals(first)) {
          throw new WharfException.Invalid("The gem does not begin with its metadata.gz, as every gem RubyGems"
              + " builds does");
        }
        Digesting metadata = new Digesting(new BoundedInputStream.Builder().setInputStream(tar.content())
            .setMaxCount(MAX_METADATA_COMPRESSED + 1).get());
        spec = Gemspec.parse(gunzip(metadata, Gemspec.MAX_BYTES, "metadata.gz"));
        if (metadata.drain() > MAX_METADATA_COMPRESSED) {
          throw new WharfException.Invalid("The gem's metadata.gz is larger than " + MAX_METADATA_COMPRESSED + " bytes");
        }
        whenNamed.accept(spec);
        digests.put(first, metadata.hex());
        String name;
        while ((name = tar.next()) != null) {
          if (!LATER_ENTRIES.contains(name) || digests.containsKey(name)) {
            throw new WharfException.Invalid("The gem has an unexpected or repeated entry: "
                + (name.length() > 100 ? name.substring(0, 100) + "..." : name));
          }
          Digesting content = new Digesting(tar.content());
          if (name.equals("data.tar.gz")) {
            data = Files.createTempFile(directory, "gem-data-", ".tar.gz");
            try (OutputStream out = Files.newOutputStream(data)) {
              content.transferTo(out);
            }
          } else if (name.equals("checksums.yaml.gz")) {
            checksums = gunzip(content, MAX_CHECKSUMS_BYTES, "checksums.yaml.gz");
          }
          content.drain();
          digests.put(name, content.hex());
        }
        copied.transferTo(OutputStream.nullOutputStream()); // the end-of-archive blocks, stored and digested too
      }
      if (bounded.getCount() > maxBytes) {
        throw new WharfException.TooLarge("The gem exceeds the limit of " + maxBytes + " bytes");
      }
      if (data == null) {
        throw new WharfException.Invalid("The gem has no data.tar.gz");
      }
      if (checksums != null) {
        verify(checksums, digests);
      }
      TarGzEntries.fileOfCheckedArchive(data, new TarGzEntries.Search("The gem's data.tar.gz", "(no file)",
          path -> false, 1), entry -> requireInside(entry.name()));
      return new Spooled(spec, file, HexFormat.of().formatHex(whole.digest()), Files.size(file));
    } catch (IOException e) {
      SpoolFiles.deleteQuietly(file);
      throw new UncheckedIOException(e);
    } catch (WharfException.Invalid e) {
      SpoolFiles.deleteQuietly(file);
      if (bounded != null && bounded.getCount() > maxBytes) { // cut short by the bound, not by the client
        throw new WharfException.TooLarge("The gem exceeds the limit of " + maxBytes + " bytes");
      }
      throw e;
    } catch (RuntimeException e) {
      SpoolFiles.deleteQuietly(file);
      throw e;
    } finally {
      SpoolFiles.deleteQuietly(data);
    }
  }

  /** The entries a gem may have after its metadata.gz (signed gems add the .sig files). */
  private static final java.util.Set<String> LATER_ENTRIES = java.util.Set.of("data.tar.gz", "checksums.yaml.gz",
      "metadata.gz.sig", "data.tar.gz.sig", "checksums.yaml.gz.sig");
  /** The largest metadata.gz accepted, compressed: what is read before the caller is authorized. */
  static final int MAX_METADATA_COMPRESSED = 1024 * 1024;

  /** An entry's bytes, read through SHA-256 and SHA-512 (the algorithms checksums.yaml.gz states). */
  private static final class Digesting extends java.io.FilterInputStream {
    private final MessageDigest sha256 = digest("SHA-256");
    private final MessageDigest sha512 = digest("SHA-512");
    private long count;

    Digesting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return GemTar.readByte(this);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        sha256.update(buffer, offset, n);
        sha512.update(buffer, offset, n);
        count += n;
      }
      return n;
    }

    /** Reads the rest; the bytes read in all. */
    long drain() throws IOException {
      transferTo(OutputStream.nullOutputStream());
      return count;
    }

    Map<String, String> hex() {
      return Map.of("SHA256", HexFormat.of().formatHex(sha256.digest()), "SHA512",
          HexFormat.of().formatHex(sha512.digest()));
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

  /** checksums.yaml.gz: {@code SHA256: {metadata.gz: hex, data.tar.gz: hex}} and SHA512 the same: each must match. */
  private static void verify(byte[] checksums, Map<String, Map<String, String>> digests) {
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
    for (String algorithm : List.of("SHA256", "SHA512")) {
      root.path(algorithm).properties().forEach(entry -> {
        Map<String, String> actual = digests.get(entry.getKey());
        if (actual != null && !actual.get(algorithm).equalsIgnoreCase(entry.getValue().asText())) {
          throw new WharfException.Invalid("The gem's " + entry.getKey() + " does not match its " + algorithm
              + " in checksums.yaml.gz");
        }
      });
    }
  }

  /**
   * Inflates a small gzip'd entry (metadata.gz, at most 1 MiB sent; checksums.yaml.gz) to at most
   * {@code maxBytes}, which is below {@link dev.wharf.format.InflationBound#UPLOADS}' floor.
   */
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

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
