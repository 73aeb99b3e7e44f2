package dev.wharf.api.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The body of an operation declared with {@link RestOperation.Payload.Streamed}: read once, by the
 * handler, after authentication and authorization. The bytes are not verified yet: whoever stores
 * them must check them against {@link #declaredSha256()} and keep nothing when they differ.
 *
 * @param declaredSha256 the lower-case hex SHA-256 the signed {@code x-amz-content-sha256} header
 *     declares, or null when the request declared none (the body has then already been read to
 *     check the signature and {@link #content()} is empty)
 * @param declaredLength the Content-Length, or -1 when the body is chunked
 */
public record StreamedPayload(InputStream content, String declaredSha256, long declaredLength) {
  public StreamedPayload {
    Objects.requireNonNull(content, "content");
  }

  /** A payload whose body was consumed to check the signature (it declared no usable SHA-256). */
  static StreamedPayload consumed() {
    return new StreamedPayload(InputStream.nullInputStream(), null, 0);
  }

  /** A failure to read the request body (the client went away, a malformed chunk), as opposed to a failure to store it. */
  public static final class ReadException extends IOException {
    private static final long serialVersionUID = 1L;

    ReadException(IOException cause) {
      super("The request body could not be read: " + cause.getMessage(), cause);
    }
  }

  /** Wraps the body so that its read failures are {@link ReadException}s. */
  static InputStream reading(InputStream body) {
    return new FilterInputStream(body) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (ReadException e) {
          throw e;
        } catch (IOException e) {
          throw new ReadException(e);
        }
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
          return super.read(buffer, offset, length);
        } catch (ReadException e) {
          throw e;
        } catch (IOException e) {
          throw new ReadException(e);
        }
      }
    };
  }
}
