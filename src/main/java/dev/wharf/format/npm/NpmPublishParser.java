package dev.wharf.format.npm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the body of {@code npm publish} (a packument with {@code _attachments}) as a stream: each
 * attachment's base64 {@code data} is decoded straight into a temporary file while its SHA-1 and
 * SHA-512 are computed, and the decoded size is checked as it grows, so an oversized tarball is
 * refused (413) without ever being held in memory. Everything else becomes a JSON tree.
 */
final class NpmPublishParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Room for everything but the attachments (readme, manifests). */
  static final long METADATA_ALLOWANCE = 16L * 1024 * 1024;

  private NpmPublishParser() {}

  /** One decoded attachment, in a temporary file the caller deletes. */
  record Attachment(String fileName, Path file, long size, String sha1Hex, String sha512Base64, JsonNode declaredLength) {}

  /** The packument without {@code _attachments}, and the attachments by file name. */
  record Parsed(ObjectNode document, Map<String, Attachment> attachments) implements AutoCloseable {
    @Override
    public void close() {
      attachments.values().forEach(a -> deleteQuietly(a.file()));
    }
  }

  /** The largest body accepted for a given attachment limit: its base64 size plus the metadata allowance. */
  static long bodyLimit(long maxAttachmentBytes) {
    return (maxAttachmentBytes + 2) / 3 * 4 + METADATA_ALLOWANCE;
  }

  static Parsed parse(InputStream body, long maxAttachmentBytes, Path temporaryDirectory) {
    Map<String, Attachment> attachments = new LinkedHashMap<>();
    ObjectNode document = JSON.createObjectNode();
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) Math.min(Integer.MAX_VALUE,
            METADATA_ALLOWANCE)).maxNestingDepth(100).build()).build();
    factory.setCodec(JSON);
    try (InputStream limited = new LimitedInputStream(body, bodyLimit(maxAttachmentBytes));
        JsonParser parser = factory.createParser(limited)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new WharfException.Invalid("Malformed publish request: the body must be a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("_attachments".equals(field) && value == JsonToken.START_OBJECT) {
          readAttachments(parser, maxAttachmentBytes, temporaryDirectory, attachments);
        } else {
          document.set(field, parser.readValueAsTree());
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new WharfException.Invalid("Malformed publish request: trailing content after the JSON object");
      }
      return new Parsed(document, attachments);
    } catch (WharfException e) {
      attachments.values().forEach(a -> deleteQuietly(a.file()));
      throw e;
    } catch (JsonProcessingException e) {
      attachments.values().forEach(a -> deleteQuietly(a.file()));
      if (e.getCause() instanceof WharfException wharf) {
        throw wharf;
      }
      throw new WharfException.Invalid("Malformed publish request: " + e.getOriginalMessage());
    } catch (java.io.CharConversionException e) {
      // bytes that are not text in the encoding Jackson detected (e.g. a UTF-32 character cut short)
      attachments.values().forEach(a -> deleteQuietly(a.file()));
      throw new WharfException.Invalid("Malformed publish request: " + e.getMessage());
    } catch (IOException e) {
      attachments.values().forEach(a -> deleteQuietly(a.file()));
      if (e.getCause() instanceof WharfException wharf) {
        throw wharf;
      }
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException e) {
      attachments.values().forEach(a -> deleteQuietly(a.file()));
      throw e;
    }
  }

  private static void readAttachments(JsonParser parser, long maxBytes, Path temporaryDirectory,
      Map<String, Attachment> attachments) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String fileName = parser.currentName();
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new WharfException.Invalid("Malformed publish request: attachment " + fileName + " must be an object");
      }
      Path file = null;
      Digesting digesting = null;
      JsonNode declaredLength = null;
      try {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String member = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("data".equals(member)) {
            if (value != JsonToken.VALUE_STRING || file != null) {
              throw new WharfException.Invalid("Malformed publish request: attachment " + fileName
                  + " needs one base64 string as data");
            }
            file = Files.createTempFile(temporaryDirectory, "npm-publish-", ".tgz");
            try (OutputStream out = Files.newOutputStream(file)) {
              digesting = new Digesting(out, maxBytes, fileName);
              try {
                parser.readBinaryValue(digesting);
              } catch (JsonProcessingException e) {
                if (e.getCause() instanceof WharfException wharf) {
                  throw wharf;
                }
                throw new WharfException.Invalid("Attachment " + fileName + " is not valid base64: " + e.getOriginalMessage());
              } catch (IllegalArgumentException e) {
                throw new WharfException.Invalid("Attachment " + fileName + " is not valid base64: " + e.getMessage());
              }
            }
          } else if ("length".equals(member)) {
            declaredLength = parser.readValueAsTree();
          } else {
            parser.skipChildren();
          }
        }
      } catch (IOException | RuntimeException e) {
        if (file != null) {
          deleteQuietly(file);
        }
        throw e;
      }
      if (file == null) {
        throw new WharfException.Invalid("Attachment " + fileName + " has no data");
      }
      Attachment previous = attachments.put(fileName, new Attachment(fileName, file, digesting.size,
          HexFormat.of().formatHex(digesting.sha1.digest()), Base64.getEncoder().encodeToString(digesting.sha512.digest()),
          declaredLength));
      if (previous != null) {
        deleteQuietly(previous.file());
      }
    }
  }

  private static void deleteQuietly(Path file) {
    dev.wharf.format.SpoolFiles.deleteQuietly(file);
  }

  /** Writes through, computing SHA-1 and SHA-512, refusing to grow past the limit. */
  private static final class Digesting extends OutputStream {
    private final OutputStream out;
    private final long maxBytes;
    private final String fileName;
    final MessageDigest sha1;
    final MessageDigest sha512;
    long size;

    Digesting(OutputStream out, long maxBytes, String fileName) {
      this.out = out;
      this.maxBytes = maxBytes;
      this.fileName = fileName;
      try {
        this.sha1 = MessageDigest.getInstance("SHA-1");
        this.sha512 = MessageDigest.getInstance("SHA-512");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      size += length;
      if (size > maxBytes) {
        throw new WharfException.TooLarge("Attachment " + fileName + " exceeds the limit of " + maxBytes + " bytes");
      }
      sha1.update(bytes, offset, length);
      sha512.update(bytes, offset, length);
      out.write(bytes, offset, length);
    }
  }

  /** Refuses (413) to read past a limit. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && ++read > limit) {
        throw tooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      int n = super.read(bytes, offset, length);
      if (n > 0) {
        read += n;
        if (read > limit) {
          throw tooLarge();
        }
      }
      return n;
    }

    private WharfException.TooLarge tooLarge() {
      return new WharfException.TooLarge("Publish request exceeds the limit of " + limit + " bytes");
    }
  }
}
