package dev.wharf.format.cargo;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The body of {@code cargo publish} ({@code PUT api/v1/crates/new}): a 32-bit little-endian length
 * and the publish metadata as JSON, then a 32-bit little-endian length and the {@code .crate}. The
 * metadata is read first and on its own, so that the caller is authorized for the crate it names
 * before the crate itself is read.
 */
final class CargoPublish {
  /** The most JSON a publish may carry (the readme is in it). */
  static final int MAX_METADATA_BYTES = 8 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_METADATA_BYTES)
          .build()).build());

  private CargoPublish() {}

  /** The publish metadata: the whole JSON, and the fields checked before anything else. */
  record Metadata(JsonNode json, String name, String version, String description) {}

  /** The crate, spooled to a file, with its SHA-256 (the index's {@code cksum}). */
  record Crate(Path file, String sha256) {}

  /** Reads the metadata part. @throws WharfException.Invalid for a malformed or oversized one */
  static Metadata readMetadata(InputStream body) {
    long length = readLength(body, "metadata");
    if (length > MAX_METADATA_BYTES) {
      throw new WharfException.TooLarge("The publish metadata (" + length + " bytes) exceeds " + MAX_METADATA_BYTES
          + " bytes");
    }
    byte[] json = readExactly(body, (int) length, "metadata");
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (IOException e) {
      throw new WharfException.Invalid("The publish metadata is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new WharfException.Invalid("The publish metadata is not a JSON object");
    }
    String name = CargoNames.requireName(node.path("name").isTextual() ? node.path("name").asText() : null);
    String version = CargoNames.requireVersion(node.path("vers").isTextual() ? node.path("vers").asText() : null);
    String description = node.path("description").isTextual() ? node.path("description").asText() : null;
    return new Metadata(node, name, version, description);
  }

  /**
   * Reads the crate part into a new file of {@code directory}; the body must end with it.
   *
   * @throws WharfException.TooLarge for a crate above {@code maxBytes}
   */
  static Crate spoolCrate(InputStream body, Path directory, long maxBytes) {
    long length = readLength(body, "crate");
    if (length > maxBytes) {
      throw new WharfException.TooLarge("The crate (" + length + " bytes) exceeds the limit of " + maxBytes + " bytes");
    }
    if (length == 0) {
      throw new WharfException.Invalid("The publish request has an empty crate");
    }
    Path file = null;
    try {
      file = Files.createTempFile(directory, "cargo-", ".crate");
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
        long copied = body.transferTo(new BoundedOutput(out, length));
        if (copied < length) {
          throw new WharfException.Invalid("The publish request ends inside its crate (" + copied + " of " + length
              + " bytes)");
        }
      }
      return new Crate(file, HexFormat.of().formatHex(sha256.digest()));
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      deleteQuietly(file);
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a spool file left behind is removed with the spool directory
      }
    }
  }

  private static long readLength(InputStream body, String part) {
    byte[] bytes = readExactly(body, 4, part + " length");
    return (bytes[0] & 0xffL) | (bytes[1] & 0xffL) << 8 | (bytes[2] & 0xffL) << 16 | (bytes[3] & 0xffL) << 24;
  }

  private static byte[] readExactly(InputStream body, int length, String what) {
    try {
      byte[] bytes = body.readNBytes(length);
      if (bytes.length < length) {
        throw new WharfException.Invalid("The publish request ends inside its " + what + " (" + bytes.length + " of "
            + length + " bytes)");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Takes exactly {@code length} bytes; a body with more is refused. */
  private static final class BoundedOutput extends OutputStream {
    private final OutputStream out;
    private long remaining;

    BoundedOutput(OutputStream out, long length) {
      this.out = out;
      this.remaining = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      if (length > remaining) {
        throw new WharfException.Invalid("The publish request has bytes after its crate");
      }
      out.write(buffer, offset, length);
      remaining -= length;
    }
  }
}
