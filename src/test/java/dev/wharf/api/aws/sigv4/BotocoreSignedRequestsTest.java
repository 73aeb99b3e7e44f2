package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.opentest4j.TestAbortedException;

/**
 * Requests signed by real botocore (SigV4Auth and SigV4QueryAuth, as the aws CLI uses them)
 * verify. Skipped when python3 or botocore is missing, unless WHARF_REQUIRE_CLIENTS=1.
 */
@TestInstance(Lifecycle.PER_CLASS)
class BotocoreSignedRequestsTest {

    private final TestingCredentialResolver credentials = new TestingCredentialResolver()
            .withKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "alice")
            .withSessionKey("ASIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                    "FwoGZXIvYXdzEBYaDk1+ahs/Token+With/Base64==", "assumed-role/builder/session");
    private final SigV4Verifier<String> verifier =
            new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:00:30Z"), credentials);
    private final Map<String, RawRequest> signed = new LinkedHashMap<>();

    @BeforeAll
    void sign_the_requests_with_botocore() throws Exception {
        String script = TestingRequests.resource("/sigv4/botocore/sign_requests.py");
        String output = runPython(script);
        for (JsonNode node : new ObjectMapper().readTree(output)) {
            signed.put(node.get("name").asText(), asServerSees(node));
        }
    }

    @Test
    void every_botocore_signed_request_verifies_with_its_body_hash() throws Exception {
        assertThat(signed).hasSize(6);
        for (Map.Entry<String, RawRequest> entry : signed.entrySet()) {
            RawRequest raw = entry.getValue();
            VerifiedRequest<String> verified = verifier.verify(raw.request(), raw.bodySha256());
            assertThat(verified.signedAt()).as(entry.getKey()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void a_presigned_eks_style_token_verifies_with_its_session_and_extra_signed_header() throws Exception {
        RawRequest raw = signed.get("presigned STS GetCallerIdentity as an EKS token");

        VerifiedRequest<String> verified = verifier.verify(raw.request(), TestingRequests.EMPTY_SHA256);

        assertThat(verified).isEqualTo(new VerifiedRequest<>("assumed-role/builder/session", "ASIAIOSFODNN7EXAMPLE",
                "us-east-1", "sts", Instant.parse("2026-01-01T00:00:00Z"), true));
        assertReason(raw.withHeader("x-k8s-aws-id", "other-cluster"), Reason.SIGNATURE_MISMATCH);
        SigV4Verifier<String> later = new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:01:01Z"), credentials);
        assertThatThrownBy(() -> later.verify(raw.request(), TestingRequests.EMPTY_SHA256))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PRESIGNED_URL_EXPIRED));
    }

    @Test
    void tampering_with_a_botocore_signed_request_fails() {
        RawRequest raw = signed.get("header-signed GET with odd characters in path and query");

        assertReason(raw.withMethod("HEAD"), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withPath(raw.request().rawPath().replace("readme%20file", "readme+file")),
                Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withQuery(raw.request().rawQuery().replace("empty=", "empty=1")), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withHeader("x-custom", "spaced value!"), Reason.SIGNATURE_MISMATCH);
        RawRequest form = signed.get("header-signed STS GetCallerIdentity form POST");
        assertReason(form.withBody("Action=GetCallerIdentity&Version=2011-06-16"), Reason.SIGNATURE_MISMATCH);
    }

    private void assertReason(RawRequest raw, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(raw.request(), raw.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static RawRequest asServerSees(JsonNode node) {
        URI url = URI.create(node.get("url").asText());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (JsonNode header : node.get("headers")) {
            headers.computeIfAbsent(header.get(0).asText().toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                    .add(header.get(1).asText());
        }
        boolean defaultPort = url.getPort() == -1 || url.getPort() == (url.getScheme().equals("https") ? 443 : 80);
        headers.putIfAbsent("host", List.of(defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort()));
        SignedRequest request =
                new SignedRequest(node.get("method").asText(), url.getRawPath(), url.getRawQuery(), headers);
        return new RawRequest(request, node.get("body").asText().getBytes(StandardCharsets.UTF_8));
    }

    private static String runPython(String script) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("python3", "-c", script).redirectErrorStream(false).start();
        } catch (IOException e) {
            return skipOrFail("python3 is not installed (" + e.getMessage() + ")");
        }
        process.getOutputStream().close();
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("botocore signing script timed out");
        }
        if (process.exitValue() != 0) {
            if (stderr.contains("ModuleNotFoundError") && stderr.contains("botocore")) {
                return skipOrFail("botocore is not installed for python3");
            }
            throw new IllegalStateException("botocore signing script failed: " + stderr);
        }
        return new String(stdout, StandardCharsets.UTF_8);
    }

    private static String skipOrFail(String why) {
        if ("1".equals(System.getenv("WHARF_REQUIRE_CLIENTS"))) {
            throw new IllegalStateException(why + ", and WHARF_REQUIRE_CLIENTS=1 requires it");
        }
        throw new TestAbortedException("Skipping botocore-signed requests: " + why
                + ". Install botocore (pip install botocore) or set WHARF_REQUIRE_CLIENTS=1 to make this a failure.");
    }

}
