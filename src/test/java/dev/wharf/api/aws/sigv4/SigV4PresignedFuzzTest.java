package dev.wharf.api.aws.sigv4;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes presigned SigV4 (the X-Amz-* query parameters read by {@link AuthenticationParser#parsePresigned}, the
 * query and path canonicalization) through {@link SigV4Verifier#verify}. The input's first line is the request
 * target ({@code path?query}, still percent-encoded, as on the wire); the other lines are headers.
 */
class SigV4PresignedFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void presignedQueriesAreVerifiedOrRefusedWithSigV4Exception(byte[] input) {
        List<String> lines = SigV4Fuzzing.text(input).lines().toList();
        String target = lines.isEmpty() ? "" : lines.get(0);
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        SigV4Fuzzing.verify(new SignedRequest("GET", path, query,
                SigV4Fuzzing.headers(lines.subList(Math.min(1, lines.size()), lines.size()))));
    }
}
