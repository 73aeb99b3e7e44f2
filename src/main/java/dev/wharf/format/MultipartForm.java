package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * A {@code multipart/form-data} body read as it streams in, for uploads whose fields decide whether
 * the file may be read at all (twine sends {@code name} and {@code version} before {@code content}):
 * text fields are kept in memory (within a limit), and when a file part begins the caller is asked,
 * with the fields read so far, where to write it. A refusal there stops the upload before any byte
 * of the file is read beyond what arrived with its headers, and none is written.
 */
public final class MultipartForm {
  /** How large an upload may be. */
  public record Limits(long maxFileBytes, long maxFieldBytes, int maxParts) {}

  /** A file part as it begins. */
  public record FileStart(String fieldName, String fileName, Map<String, List<String>> fieldsSoFar) {}

  /** Where a file part goes: a path to write it to, or nowhere (it is read and discarded). */
  @FunctionalInterface
  public interface FileTarget {
    /**
     * @return the file to write the part to (created), or null to discard it
     * @throws RuntimeException to refuse the upload (the exception is what the caller throws)
     */
    Path open(FileStart start);
  }

  /** A file part that was written. */
  public record StoredFile(String fieldName, String fileName, Path path, long size) {}

  /** The form: fields by name (in order), and the files written. */
  public record Form(Map<String, List<String>> fields, List<StoredFile> files) {
    public String field(String name) {
      List<String> values = fields.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  private MultipartForm() {}

  /** The boundary of a multipart/form-data Content-Type, or a 400 when the type is another. */
  public static String boundary(String contentType) {
    String boundary;
    try {
      boundary = contentType == null ? null : MultiPart.extractBoundary(contentType);
    } catch (IllegalArgumentException e) { // Jetty's refusal of a malformed parameter, e.g. an unterminated quote
      boundary = null;
    }
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || boundary == null) {
      throw new WharfException.Invalid("An upload must be multipart/form-data");
    }
    return boundary;
  }

  /**
   * Reads the whole form from {@code body}. Files written before a failure are deleted.
   *
   * @throws WharfException.Invalid for a malformed body
   * @throws WharfException.TooLarge past a limit
   */
  public static Form read(InputStream body, String boundary, Limits limits, FileTarget target) {
    return read(body, boundary, limits, Map.of(), target);
  }

  /**
   * As {@link #read(InputStream, String, Limits, FileTarget)}, with the parts named in {@code fileFields}
   * read as files whether or not they give a file name (Swift's {@code source-archive} gives none), each
   * at most the bytes it maps to (and at most {@link Limits#maxFileBytes()}).
   */
  public static Form read(InputStream body, String boundary, Limits limits, Map<String, Long> fileFields,
      FileTarget target) {
    Reader reader = new Reader(limits, fileFields, target);
    MultiPart.Parser parser = new MultiPart.Parser(boundary, reader);
    parser.setMaxParts(limits.maxParts());
    try (body) {
      while (!reader.complete) {
        byte[] buffer = new byte[64 * 1024]; // a new one each time: the parser may hold on to a chunk
        int n = body.read(buffer);
        Content.Chunk chunk = n < 0 ? Content.Chunk.EOF
            : Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n).asReadOnlyBuffer(), false);
        parser.parse(chunk);
        reader.check();
        if (n < 0 && !reader.complete) {
          throw new WharfException.Invalid("Invalid multipart/form-data body: it ends before its closing boundary");
        }
      }
      return new Form(reader.fields, List.copyOf(reader.stored));
    } catch (IOException e) {
      reader.discard();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      reader.discard();
      throw e;
    }
  }

  /** The parser's listener; failures are kept and thrown by {@link #check} between chunks. */
  private static final class Reader implements MultiPart.Parser.Listener {
    private final Limits limits;
    private final FileTarget target;
    private final Map<String, Long> fileFields;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final List<StoredFile> stored = new ArrayList<>();
    private long fieldBytes;
    private boolean complete;
    private RuntimeException failure;
    // the part being read
    private String name;
    private String fileName;
    private boolean isFile;
    private java.io.ByteArrayOutputStream value;
    private OutputStream file;
    private Path path;
    private long size;

    Reader(Limits limits, Map<String, Long> fileFields, FileTarget target) {
      this.limits = limits;
      this.fileFields = Map.copyOf(fileFields);
      this.target = Objects.requireNonNull(target, "target");
    }

    void check() {
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void onPartBegin() {
      name = null;
      fileName = null;
      isFile = false;
      value = null;
      file = null;
      path = null;
      size = 0;
    }

    @Override
    public void onPartHeader(String header, String headerValue) {
      if (header.equalsIgnoreCase("Content-Disposition")) {
        for (String parameter : headerValue.split(";")) {
          String p = parameter.trim();
          if (p.regionMatches(true, 0, "name=", 0, 5)) {
            name = unquote(p.substring(5));
          } else if (p.regionMatches(true, 0, "filename=", 0, 9)) {
            fileName = unquote(p.substring(9));
            isFile = true;
          }
        }
      }
    }

    private static String unquote(String value) {
      String v = value.trim();
      return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    @Override
    public void onPartHeaders() {
      if (failure != null) {
        return;
      }
      isFile |= name != null && fileFields.containsKey(name);
      if (!isFile) {
        value = new java.io.ByteArrayOutputStream();
        return;
      }
      try {
        path = name == null ? null : target.open(new FileStart(name, fileName, fields));
        if (path != null) {
          file = Files.newOutputStream(path);
          stored.add(new StoredFile(name, fileName, path, -1));
        }
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      try {
        int length = chunk.remaining();
        if (failure != null || length == 0) {
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer().slice();
        if (isFile) {
          size += length;
          long maxBytes = Math.min(limits.maxFileBytes(), fileFields.getOrDefault(name, Long.MAX_VALUE));
          if (size > maxBytes) {
            failure = new WharfException.TooLarge("The upload exceeds the limit of " + maxBytes + " bytes for "
                + (fileFields.containsKey(name) ? "its " + name + " part" : "a file"));
            return;
          }
          if (file != null) {
            byte[] copy = new byte[length];
            bytes.get(copy);
            file.write(copy);
          }
        } else {
          fieldBytes += length;
          if (fieldBytes > limits.maxFieldBytes()) {
            failure = new WharfException.TooLarge("The upload's form fields exceed the limit of "
                + limits.maxFieldBytes() + " bytes");
            return;
          }
          byte[] copy = new byte[length];
          bytes.get(copy);
          value.write(copy, 0, copy.length);
        }
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      }
    }

    @Override
    public void onPartEnd() {
      if (failure != null) {
        return;
      }
      if (!isFile) {
        if (name != null) {
          fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString(StandardCharsets.UTF_8));
        }
        return;
      }
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          failure = new UncheckedIOException(e);
          return;
        }
        stored.set(stored.size() - 1, new StoredFile(name, fileName, path, size));
        file = null;
      }
    }

    @Override
    public void onComplete() {
      complete = true;
    }

    @Override
    public void onFailure(Throwable cause) {
      if (failure == null) {
        String message = String.valueOf(cause.getMessage());
        failure = message.toLowerCase(Locale.ROOT).contains("max")
            ? new WharfException.TooLarge("The upload has too many parts")
            : new WharfException.Invalid("Invalid multipart/form-data body: " + message);
      }
    }

    /** Closes and deletes what was written. */
    void discard() {
      try {
        if (file != null) {
          file.close();
        }
      } catch (IOException e) {
        // deleted below anyway
      }
      for (StoredFile storedFile : stored) {
        try {
          Files.deleteIfExists(storedFile.path());
        } catch (IOException e) {
          // a temporary file; the folder is cleaned on start
        }
      }
    }
  }
}
