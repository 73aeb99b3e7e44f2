package dev.wharf.api.aws;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * A handler's result whose body is streamed rather than written as JSON (e.g. GetPackageVersionAsset's
 * {@code asset} payload): status 200, the content type, the exact length, headers for the
 * operation's header-bound output members, and the content, closed once sent.
 */
public record StreamedResponse(String contentType, long length, Map<String, String> headers, InputStream content) {
  public StreamedResponse {
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(content, "content");
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative");
    }
  }
}
