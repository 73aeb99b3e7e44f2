package dev.wharf.api.aws.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the SigV4 fuzz targets share: a verifier that knows one key (so fuzzed requests get past the key lookup into
 * canonicalization), and a lenient reading of fuzzed text into the header map Jetty would hand the verifier.
 */
final class SigV4Fuzzing {

    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_KEY = "ASIAIOSFODNN7EXAMPLE";
    private static final String SESSION_TOKEN = "session-token";

    /** The verifier at 2026-01-01T00:05:00Z, as a CodeArtifact endpoint in us-east-1 uses it. */
    static final SigV4Verifier<String> VERIFIER = new SigV4Verifier<>(
            TestingRequests.clockAt("2026-01-01T00:05:00Z"),
            new TestingCredentialResolver()
                    .withKey(ACCESS_KEY, SECRET, "alice")
                    .withSessionKey(SESSION_KEY, SECRET, SESSION_TOKEN, "bob"));
    static final ExpectedScope SCOPE = new ExpectedScope("codeartifact", Set.of("us-east-1"));

    private SigV4Fuzzing() {}

    static String text(byte[] input) {
        return new String(input, StandardCharsets.UTF_8);
    }

    /**
     * {@code name: value} lines as a header map (lower-case names, repeated names keep every value, lines without a
     * colon are skipped), the way the server's exchange presents a request's headers.
     */
    static Map<String, List<String>> headers(List<String> lines) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, key -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** Verifies the request; only {@link SigV4Exception} (answered 400/403 by the endpoints) may come out. */
    static void verify(SignedRequest request) {
        try {
            SigV4Fuzzing.VERIFIER.verify(request, TestingRequests.EMPTY_SHA256, SCOPE);
        } catch (SigV4Exception refused) {
            // the documented refusal
        }
    }
}
