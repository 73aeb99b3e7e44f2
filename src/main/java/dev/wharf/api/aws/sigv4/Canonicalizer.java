package dev.wharf.api.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds the pieces of a SigV4 canonical request from a request as it arrived, the way the AWS
 * SDKs and botocore build them for non-S3 services (normalized, double-encoded path).
 */
final class Canonicalizer {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        UNRESERVED['-'] = true;
        UNRESERVED['_'] = true;
        UNRESERVED['.'] = true;
        UNRESERVED['~'] = true;
    }

    private Canonicalizer() {}

    /** One query parameter: its canonical (RFC 3986) name and value, and its raw value. */
    record QueryParameter(String name, String value, String rawValue) implements Comparable<QueryParameter> {
        @Override
        public int compareTo(QueryParameter other) {
            int byName = name.compareTo(other.name);
            return byName != 0 ? byName : value.compareTo(other.value);
        }
    }

    /**
     * Canonical URI for non-S3 services: dot segments and empty segments removed, then the wire
     * path encoded once more (so {@code %} becomes {@code %25}), keeping {@code /}.
     */
    static void appendCanonicalUri(StringBuilder out, String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            out.append('/');
            return;
        }
        String normalized = needsNormalization(rawPath) ? removeDotSegments(rawPath) : rawPath;
        if (normalized.isEmpty() || normalized.charAt(0) != '/') {
            out.append('/');
        }
        encodeAppending(out, normalized, false, true);
    }

    private static boolean needsNormalization(String path) {
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '/' && i + 1 < length && path.charAt(i + 1) == '/') {
                return true;
            }
            if (c == '.' && (i == 0 || path.charAt(i - 1) == '/')) {
                int end = i + 1;
                if (end < length && path.charAt(end) == '.') {
                    end++;
                }
                if (end == length || path.charAt(end) == '/') {
                    return true;
                }
            }
        }
        return false;
    }

    /** RFC 3986 5.2.4 plus collapsing of empty segments, as botocore's remove_dot_segments. */
    static String removeDotSegments(String path) {
        String[] segments = path.split("/", -1);
        List<String> output = new ArrayList<>(segments.length);
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!output.isEmpty()) {
                    output.remove(output.size() - 1);
                }
            } else {
                output.add(segment);
            }
        }
        StringBuilder result = new StringBuilder(path.length());
        if (path.charAt(0) == '/') {
            result.append('/');
        }
        result.append(String.join("/", output));
        if (path.charAt(path.length() - 1) == '/' && !output.isEmpty()) {
            result.append('/');
        }
        return result.toString();
    }

    /**
     * Parses a raw query string into its parameters, each name and value canonically encoded
     * (percent-escapes decoded, then everything but unreserved characters encoded).
     */
    static List<QueryParameter> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<QueryParameter> parameters = new ArrayList<>();
        int start = 0;
        int length = rawQuery.length();
        while (start <= length) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                String rawName;
                String rawValue;
                if (equals < 0 || equals > end) {
                    rawName = rawQuery.substring(start, end);
                    rawValue = "";
                } else {
                    rawName = rawQuery.substring(start, equals);
                    rawValue = rawQuery.substring(equals + 1, end);
                }
                parameters.add(new QueryParameter(canonicalComponent(rawName), canonicalComponent(rawValue), rawValue));
            }
            start = end + 1;
        }
        return parameters;
    }

    /** Appends the canonical query string, leaving out the parameter named {@code excludedName}. */
    static void appendCanonicalQuery(StringBuilder out, List<QueryParameter> parameters, String excludedName) {
        QueryParameter[] sorted = parameters.toArray(new QueryParameter[0]);
        if (sorted.length > 1) {
            Arrays.sort(sorted);
        }
        boolean first = true;
        for (QueryParameter parameter : sorted) {
            if (parameter.name().equals(excludedName)) {
                continue;
            }
            if (!first) {
                out.append('&');
            }
            first = false;
            out.append(parameter.name()).append('=').append(parameter.value());
        }
    }

    /**
     * Appends {@code name:value\n} for each signed header, values trimmed, inner whitespace runs
     * collapsed to one space, repeated headers joined with commas in arrival order.
     */
    static void appendCanonicalHeaders(StringBuilder out, List<String> signedHeaders, Map<String, List<String>> headers) {
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = headers == null ? null : headers.get(name);
            if (values == null && name.equals(":authority") && headers != null) {
                // HTTP/2 clients may sign the pseudo-header; servers hand it over as Host.
                values = headers.get("host");
            }
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendTrimmed(out, values.get(i));
                }
            }
            out.append('\n');
        }
    }

    private static void appendTrimmed(StringBuilder out, String value) {
        if (value == null) {
            return;
        }
        int length = value.length();
        boolean pendingSpace = false;
        boolean any = false;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (isWhitespace(c)) {
                pendingSpace = any;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
                any = true;
            }
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** Decodes percent-escapes of a query component and encodes it again strictly (RFC 3986). */
    static String canonicalComponent(String raw) {
        int length = raw.length();
        boolean plain = true;
        for (int i = 0; i < length && plain; i++) {
            char c = raw.charAt(i);
            plain = c < 128 && UNRESERVED[c];
        }
        if (plain) {
            return raw;
        }
        StringBuilder out = new StringBuilder(length + 16);
        encodeAppending(out, raw, true, false);
        return out.toString();
    }

    /**
     * Encodes {@code raw} into {@code out}: unreserved characters (and {@code /} when
     * {@code keepSlash}) stay, everything else becomes %XX of its UTF-8 bytes. With
     * {@code decodeEscapes}, valid %XX escapes in the input are taken as the byte they stand for
     * (an invalid escape is taken literally).
     */
    private static void encodeAppending(StringBuilder out, String raw, boolean decodeEscapes, boolean keepSlash) {
        int length = raw.length();
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (decodeEscapes
                    && c == '%'
                    && i + 2 < length
                    && hexValue(raw.charAt(i + 1)) >= 0 && hexValue(raw.charAt(i + 2)) >= 0) {
                appendByte(out, (hexValue(raw.charAt(i + 1)) << 4) | hexValue(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 128) {
                if (UNRESERVED[c] || (keepSlash && c == '/')) {
                    out.append(c);
                } else {
                    appendEscape(out, c);
                }
            } else {
                int codePoint = raw.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                byte[] bytes = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                for (byte b : bytes) {
                    appendEscape(out, b & 0xFF);
                }
            }
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        if (b < 128 && UNRESERVED[b]) {
            out.append((char) b);
        } else {
            appendEscape(out, b);
        }
    }

    private static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX_UPPER[(b >> 4) & 0xF]).append(HEX_UPPER[b & 0xF]);
    }

    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Decodes the percent-escapes of a raw query value to text ({@code +} stays {@code +}).
     *
     * @return the decoded text, or {@code null} when an escape is malformed or the bytes are not UTF-8
     */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] bytes = new byte[raw.length() * 3];
        int count = 0;
        int length = raw.length();
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || hexValue(raw.charAt(i + 1)) < 0 || hexValue(raw.charAt(i + 2)) < 0) {
                    return null;
                }
                bytes[count++] = (byte) ((hexValue(raw.charAt(i + 1)) << 4) | hexValue(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 128) {
                bytes[count++] = (byte) c;
            } else {
                int codePoint = raw.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                for (byte b : encoded) {
                    bytes[count++] = b;
                }
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, count))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
