package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AWS's published Signature Version 4 test suite, verified from the server side. */
class AwsTestSuiteVectorsTest {

    private static final String SUITE_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBu"
            + "FqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0"
            + "KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKm"
            + "lzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private final SigV4Verifier<String> verifier = new SigV4Verifier<>(
            TestingRequests.clockAt("2015-08-30T12:36:00Z"),
            (accessKeyId, sessionToken) -> {
                if (!accessKeyId.equals("AKIDEXAMPLE")) {
                    throw new SigV4Exception(Reason.UNKNOWN_ACCESS_KEY, "unknown");
                }
                if (sessionToken != null && !sessionToken.equals(SUITE_TOKEN)) {
                    throw new SigV4Exception(Reason.INVALID_SESSION_TOKEN, "bad token");
                }
                return new SigningCredential<>("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "example");
            });

    private static RawRequest vector(String name) {
        return TestingRequests.parseHttp(TestingRequests.resource("/sigv4/suite/" + name + ".sreq"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "get-vanilla",
        "get-vanilla-empty-query-key",
        "get-vanilla-query-order-key",
        "get-vanilla-query-order-key-case",
        "get-vanilla-query-order-value",
        "get-vanilla-query-unreserved",
        "get-vanilla-utf8-query",
        "get-unreserved",
        "get-utf8",
        "get-space",
        "get-relative",
        "get-relative-relative",
        "get-slash",
        "get-slash-dot-slash",
        "get-slash-pointless-dot",
        "get-slashes",
        "get-header-key-duplicate",
        "get-header-value-order",
        "get-header-value-trim",
        "post-vanilla",
        "post-vanilla-query",
        "post-header-key-case",
        "post-header-key-sort",
        "post-header-value-case",
        "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters",
        "post-sts-header-after",
        "post-sts-header-before"
    })
    void every_published_vector_verifies_and_a_flipped_signature_or_request_byte_does_not(String name)
            throws Exception {
        RawRequest raw = vector(name);

        VerifiedRequest<String> verified = verifier.verify(raw.request(), raw.bodySha256());

        assertThat(verified.principal()).isEqualTo("example");
        assertThat(verified.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(verified.region()).isEqualTo("us-east-1");
        assertThat(verified.service()).isEqualTo("service");
        assertThat(verified.signedAt()).isEqualTo(Instant.parse("2015-08-30T12:36:00Z"));
        assertThat(verified.presigned()).isFalse();

        String authorization = raw.request().header("authorization");
        RawRequest flippedSignature = raw.withHeader("authorization", TestingRequests.flipLastHexDigit(authorization));
        assertThatThrownBy(() -> verifier.verify(flippedSignature.request(), flippedSignature.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));

        RawRequest flippedHost = raw.withHeader("host", "example.amazonaws.con");
        assertThatThrownBy(() -> verifier.verify(flippedHost.request(), flippedHost.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));

        RawRequest flippedBody = raw.withBody(new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8) + "x");
        assertThatThrownBy(() -> verifier.verify(flippedBody.request(), flippedBody.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
    }
}
