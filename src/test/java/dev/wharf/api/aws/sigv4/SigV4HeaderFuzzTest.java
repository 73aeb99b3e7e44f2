package dev.wharf.api.aws.sigv4;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the Authorization header form of SigV4 ({@link AuthenticationParser#parseAuthorizationHeader}, the date
 * headers and the canonical headers) through {@link SigV4Verifier#verify}, as {@code AwsAuthenticator} calls it.
 * The input is the request's header block, one {@code name: value} per line, of a {@code POST /v1/domains}.
 */
class SigV4HeaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void authorizationHeadersAreVerifiedOrRefusedWithSigV4Exception(byte[] input) {
        List<String> lines = SigV4Fuzzing.text(input).lines().toList();
        SigV4Fuzzing.verify(new SignedRequest("POST", "/v1/domains", null, SigV4Fuzzing.headers(lines)));
    }
}
