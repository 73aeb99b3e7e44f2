package dev.wharf.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes policy JSON as every API that stores a policy parses it ({@link PolicyDocument#parseNew}, for identity,
 * resource and trust policies) and as a stored one is read back ({@link PolicyDocument#parseStored}).
 */
class PolicyFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void policiesParseOrAreRefusedAsMalformed(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        for (PolicyKind kind : PolicyKind.values()) {
            try {
                PolicyDocument.parseNew(json, kind);
            } catch (MalformedPolicyException refused) {
                continue; // answered MalformedPolicyDocument (400)
            }
            // what was accepted is stored, and must parse again whenever it is evaluated
            PolicyDocument.parseStored(json, kind);
        }
    }
}
