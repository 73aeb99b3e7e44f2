package dev.wharf.api.aws;

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
}
