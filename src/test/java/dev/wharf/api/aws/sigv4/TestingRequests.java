package dev.wharf.api.aws.sigv4;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Helpers for SigV4 tests: raw request parsing, hashing, fixed clocks, request edits. */
final class TestingRequests {

    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private TestingRequests() {}

    /** A request as the server sees it, plus its body. */
    record RawRequest(SignedRequest request, byte[] body) {
        String bodySha256() {
            return sha256Hex(body);
        }

        RawRequest withMethod(String method) {
            return new RawRequest(new SignedRequest(method, request.rawPath(), request.rawQuery(), request.headers()),
                    body);
        }

        RawRequest withPath(String rawPath) {
            return new RawRequest(new SignedRequest(request.method(), rawPath, request.rawQuery(), request.headers()),
                    body);
        }

        RawRequest withQuery(String rawQuery) {
            return new RawRequest(new SignedRequest(request.method(), request.rawPath(), rawQuery, request.headers()),
                    body);
        }

        RawRequest withHeader(String name, String... values) {
            Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
            if (values.length == 0) {
                headers.remove(name);
            } else {
                headers.put(name, List.of(values));
            }
            return new RawRequest(new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers),
                    body);
        }

        RawRequest withoutHeader(String name) {
            return withHeader(name);
        }

        RawRequest withBody(String newBody) {
            return new RawRequest(request, newBody.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Parses a .sreq text: request line, Name:value header lines, blank line, body. */
    static RawRequest parseHttp(String text) {
        String normalized = text.replace("\r\n", "\n");
        int bodyStart = normalized.indexOf("\n\n");
        String head = bodyStart < 0 ? normalized : normalized.substring(0, bodyStart);
        String body = bodyStart < 0 ? "" : normalized.substring(bodyStart + 2);
        String[] lines = head.split("\n");
        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(' '));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, key -> new ArrayList<>()).add(lines[i].substring(colon + 1));
        }
        return new RawRequest(request(method, target, headers), body.getBytes(StandardCharsets.UTF_8));
    }

    /** Splits a request target (path?query) the way an HTTP server does. */
    static SignedRequest request(String method, String target, Map<String, List<String>> headers) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        return new SignedRequest(method, path, query, headers);
    }

    static String resource(String path) {
        try (InputStream in = TestingRequests.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Clock clockAt(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    /** Flips the last hex digit of the signature in an Authorization header or query string. */
    static String flipLastHexDigit(String signed) {
        int signatureAt = signed.lastIndexOf("Signature=");
        int end = signatureAt + "Signature=".length() + 64;
        char last = signed.charAt(end - 1);
        char flipped = last == '0' ? '1' : '0';
        return signed.substring(0, end - 1) + flipped + signed.substring(end);
    }
}
