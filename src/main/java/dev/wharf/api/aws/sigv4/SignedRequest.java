package dev.wharf.api.aws.sigv4;

import java.util.List;
import java.util.Map;

/**
 * What the verifier needs of an HTTP request.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param rawPath the request path exactly as on the wire (still percent-encoded, no query)
 * @param rawQuery the query string exactly as on the wire (still percent-encoded, without the
 *     leading {@code ?}); {@code null} or empty when there is none
 * @param headers lower-case header names to their values in arrival order
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    /** The first value of a header (name in lower case), or {@code null} when absent. */
    public String header(String lowerCaseName) {
        if (headers == null) {
            return null;
        }
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
