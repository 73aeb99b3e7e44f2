package dev.wharf.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant ISSUED = Instant.parse("2026-12-05T10:00:00Z");
  private static final Instant EXPIRES = Instant.parse("2026-12-05T11:00:00Z");
  private static final SessionScope SCOPE = new SessionScope(
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:*\",\"Resource\":\"*\"}]}",
      List.of("arn:aws:iam::123456789012:policy/readers"), Map.of("team", "blue", "stage", "dev"), Set.of("team"),
      "alice");

  private static Principal roundTrip(Principal principal) throws Exception {
    ObjectNode payload = JSON.createObjectNode().put("other", "kept");
    PrincipalCodec.write(principal, payload);
    return PrincipalCodec.read(JSON.readTree(payload.toString())).orElseThrow();
  }

  @Test
  void everyKindOfPrincipalWithItsSessionSurvivesTheRoundTrip() throws Exception {
    Principal.User user = new Principal.User("123456789012", "alice", "AIDAEXAMPLE", "/dev/");
    Principal.Session session = new Principal.Session(ISSUED, EXPIRES, SCOPE);
    List<Principal> principals = List.of(
        new Principal.Root("123456789012"),
        user,
        new Principal.User("123456789012", "alice", "AIDAEXAMPLE", "/dev/", new Principal.Session(ISSUED, EXPIRES,
            SessionScope.NONE)),
        new Principal.AssumedRole("123456789012", "ci", "AROAEXAMPLE", "/", "build-7", session),
        new Principal.AssumedRole("123456789012", "ci", "AROAEXAMPLE", "/", "plain",
            new Principal.Session(ISSUED, EXPIRES, SessionScope.NONE)),
        new Principal.FederatedUser("123456789012", "bob", user, session));
    for (Principal principal : principals) {
      assertThat(roundTrip(principal)).isEqualTo(principal);
    }
  }

  @Test
  void aPayloadWrittenBeforeSessionScopesExistedStillReads() throws Exception {
    String older = "{\"a\":\"123456789012\",\"p\":\"session\",\"u\":\"ci\",\"i\":\"AROAEXAMPLE\",\"up\":\"/\","
        + "\"n\":\"build\",\"si\":" + ISSUED.toEpochMilli() + ",\"se\":" + EXPIRES.toEpochMilli() + "}";
    Principal read = PrincipalCodec.read(JSON.readTree(older)).orElseThrow();
    assertThat(read).isEqualTo(new Principal.AssumedRole("123456789012", "ci", "AROAEXAMPLE", "/", "build",
        new Principal.Session(ISSUED, EXPIRES, SessionScope.NONE)));
  }

  @Test
  void unknownKindsSessionsWithoutTimesAndCorruptScopesReadAsNothing() throws Exception {
    assertThat(PrincipalCodec.read(JSON.readTree("{\"a\":\"1\",\"p\":\"alien\"}"))).isEmpty();
    assertThat(PrincipalCodec.read(JSON.readTree("{\"a\":\"1\",\"p\":\"session\",\"u\":\"r\"}"))).isEmpty();
    assertThat(PrincipalCodec.read(JSON.readTree("{\"a\":\"1\",\"p\":\"federated\",\"n\":\"bob\"}"))).isEmpty();
    assertThat(PrincipalCodec.read(JSON.readTree("{\"a\":\"1\",\"p\":\"root\",\"sc\":\"bm90IGRlZmxhdGU=\"}"))).isEmpty();
  }

  @Test
  void aScopeIsPackedSmallEnoughForAHeaderAndRepetitionCompresses() {
    assertThat(PrincipalCodec.pack(SessionScope.NONE).length).isLessThan(10);
    assertThat(PrincipalCodec.pack(SCOPE).length).isLessThan(PrincipalCodec.MAX_PACKED_SCOPE);
    SessionScope repetitive = new SessionScope("{\"Statement\":[" + "{\"Effect\":\"Allow\"},".repeat(100) + "]}",
        List.of(), Map.of(), Set.of(), null);
    assertThat(PrincipalCodec.pack(repetitive).length).isLessThan(repetitive.policy().length() / 10);
  }
}
