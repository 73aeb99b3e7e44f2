package dev.wharf.format.cargo;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import dev.wharf.format.RequestJson;
import dev.wharf.format.SpoolFiles;
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
 * and the publish metadata as JSON, then a 32-bit little-endian length and the {@code .crate}. Only
 * the start of the metadata is read before the caller is authorized for the crate it names (cargo
 * writes {@code name} first); the rest of it and the crate are read after.
 */
final class CargoPublish {
  /** The most JSON a publish may carry (the readme is in it). */
  static final int MAX_METADATA_BYTES = 8 * 1024 * 1024;
  /** How much of the metadata is read before the caller is authorized: it must name the crate within it. */
  static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_METADATA_BYTES)
          .maxTokenCount(200_000).build())
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

  private CargoPublish() {}

  /** The publish metadata: the whole JSON, and the fields checked before anything else. */
  record Metadata(JsonNode json, String name, String version, String description) {}

  /** The crate, spooled to a file, with its SHA-256 (the index's {@code cksum}). */
  record Crate(Path file, String sha256) {}

  /** The metadata's length, its first bytes, and the crate they name. */
  record Head(int length, byte[] start, String name) {}

  /**
   * Reads the metadata's length and at most its first {@link #MAX_HEAD_BYTES}, and finds the crate's
   * name there, without building anything from the rest.
   *
   * @throws WharfException.Invalid when the name is not there
   */
  static Head readHead(InputStream body) {
    long length = readLength(body, "metadata");
    if (length > MAX_METADATA_BYTES) {
      throw new WharfException.TooLarge("The publish metadata (" + length + " bytes) exceeds " + MAX_METADATA_BYTES
          + " bytes");
    }
    byte[] start = readExactly(body, (int) Math.min(length, MAX_HEAD_BYTES), "metadata");
    try (com.fasterxml.jackson.core.JsonParser parser = FACTORY.createParser(start)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new WharfException.Invalid("The publish metadata is not a JSON object");
      }
      while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
        if (field.equals("name")) {
          return new Head((int) length, start, CargoNames.requireName(value == com.fasterxml.jackson.core.JsonToken
              .VALUE_STRING ? parser.getText() : null));
        }
        parser.skipChildren();
      }
      throw new WharfException.Invalid("The publish metadata has no name");
    } catch (IOException e) {
      throw new WharfException.Invalid(length > MAX_HEAD_BYTES && e instanceof com.fasterxml.jackson.core.io.JsonEOFException
          ? "The publish metadata must name the crate within its first " + MAX_HEAD_BYTES + " bytes"
          : "The publish metadata is not valid JSON");
    }
  }

  /**
   * Reads the rest of the metadata after {@link #readHead} and parses the whole of it.
   *
   * @throws WharfException.Invalid for a malformed one, or one that names another crate than its head
   */
  static Metadata readMetadata(InputStream body, Head head) {
    byte[] json = new byte[head.length()];
    System.arraycopy(head.start(), 0, json, 0, head.start().length);
    byte[] rest = readExactly(body, head.length() - head.start().length, "metadata");
    System.arraycopy(rest, 0, json, head.start().length, rest.length);
    JsonNode node = RequestJson.read(JSON, json, JsonNode::isObject, "The publish metadata is not valid JSON",
        "The publish metadata is not a JSON object");
    String name = CargoNames.requireName(node.path("name").isTextual() ? node.path("name").asText() : null);
    if (!name.equals(head.name())) { // cannot be, with duplicate fields refused; checked all the same
      throw new WharfException.Invalid("The publish metadata names two crates");
    }
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
      SpoolFiles.deleteQuietly(file);
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      SpoolFiles.deleteQuietly(file);
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      SpoolFiles.deleteQuietly(file);
      throw e;
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
