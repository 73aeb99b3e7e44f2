package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.against;
import static dev.wharf.cli.LoginTestingCli.getRepository;
import static dev.wharf.cli.LoginTestingCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.model.AccessKey;

/** wharf audit: API calls and token uses, allowed and denied, as the account's root sees them. */
class AuditCommandIT {
  @TempDir static Path data;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String endpoint;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    root = wharf.rootCredentials();
    endpoint = LoginTestingCli.newRepository(wharf, root, "audited", "app", "npm");
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  @Test
  void allowedReadsAreCountedPerTokenPackageAndMinuteAndDenialsStayEventsOfTheirOwn() throws Exception {
    var token = run(root, against(wharf, "get-authorization-token", "--domain", "audited", "--query", "authorizationToken",
        "--output", "text")).out().strip();
    for (int i = 0; i < 5; i++) {
      assertThat(getRepository(endpoint, token).status()).isEqualTo(200);
    }
    assertThat(getRepository(endpoint, token + "x").status()).isEqualTo(401);
    assertThat(getRepository(endpoint, token + "x").status()).isEqualTo(401);

    var result = run(root, against(wharf, "audit", "--output", "json", "--action", "codeartifact:ReadFromRepository"));
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode events = new ObjectMapper().readTree(result.out());
    String tokenId = tokenIdOf(endpoint, token);
    // Five reads with one token in one minute are one event of Count 5 (two, should the minute turn).
    long counted = 0;
    for (JsonNode e : events) {
      if (e.path("TokenId").asText().equals(tokenId)) {
        assertThat(e.path("Outcome").asText()).isEqualTo("allowed");
        assertThat(e.path("RequestId").isMissingNode()).isTrue();
        assertThat(e.path("EventId").asText()).startsWith("count-");
        counted += e.path("Count").asLong();
      }
    }
    assertThat(counted).isEqualTo(5);
    // Requests without a valid token are counted too, per address, action, reason and minute.
    assertThat(events).filteredOn(e -> e.path("Outcome").asText().equals("denied")).allSatisfy(e -> {
      assertThat(e.path("ErrorCode").asText()).isEqualTo("InvalidToken");
      assertThat(e.path("Principal").isMissingNode()).isTrue();
      assertThat(e.path("RequestId").isMissingNode()).isTrue();
    }).extracting(e -> e.path("Count").asLong()).containsAnyOf(2L, 1L).satisfies(counts ->
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(2));
  }

  @Test
  void withAuditReadsEachEveryReadIsAnEventOfItsOwn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path other)
      throws Exception {
    try (TestingServer each = TestingServer.start(other, java.time.Clock.systemUTC(), java.util.Map.of("WHARF_AUDIT_READS", "each"))) {
      AwsBasicCredentials eachRoot = each.rootCredentials();
      String eachEndpoint = LoginTestingCli.newRepository(each, eachRoot, "audited", "app", "npm");
      var token = run(eachRoot, against(each, "get-authorization-token", "--domain", "audited", "--query",
          "authorizationToken", "--output", "text")).out().strip();
      for (int i = 0; i < 3; i++) {
        assertThat(getRepository(eachEndpoint, token).status()).isEqualTo(200);
      }
      var result = run(eachRoot, against(each, "audit", "--output", "json", "--action", "codeartifact:ReadFromRepository"));
      JsonNode events = new ObjectMapper().readTree(result.out());
      String tokenId = tokenIdOf(eachEndpoint, token);
      assertThat(events).filteredOn(e -> e.path("TokenId").asText().equals(tokenId)).hasSize(3)
          .allSatisfy(e -> {
            assertThat(e.path("Count").asLong()).isEqualTo(1);
            assertThat(e.path("RequestId").asText()).isNotBlank();
          });
    }
  }

  /** The token's id, as the repository endpoint tells its holder (one more read: ask after the lookup). */
  private static String tokenIdOf(String endpoint, String token) {
    var answer = getRepository(endpoint, token);
    assertThat(answer.status()).isEqualTo(200);
    return answer.body().path("tokenId").asText();
  }

  @Test
  void theAuditShowsAnAllowedTokenUseAndADeniedCallWithWhoAndWhatButNoSecret() throws Exception {
    var token = run(root, against(wharf, "get-authorization-token", "--domain", "audited", "--query", "authorizationToken",
        "--output", "text")).out().strip();
    assertThat(getRepository(endpoint, token).status()).isEqualTo(200);
    var iam = wharf.iam(root);
    iam.createUser(b -> b.userName("auditor-less"));
    AccessKey key = iam.createAccessKey(b -> b.userName("auditor-less")).accessKey();
    AwsBasicCredentials noPolicy = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    var denied = run(noPolicy, against(wharf, "get-authorization-token", "--domain", "audited"));
    assertThat(denied.exitCode()).isNotZero();

    var result = run(root, against(wharf, "audit", "--output", "json", "--max-results", "50"));
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode events = new ObjectMapper().readTree(result.out());
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("Action").asText()).isEqualTo("codeartifact:ReadFromRepository");
      assertThat(e.path("Outcome").asText()).isEqualTo("allowed");
      assertThat(e.path("Principal").asText()).endsWith(":root");
      assertThat(e.path("TokenId").asText()).isNotBlank();
    });
    assertThat(events).anySatisfy(e -> {
      assertThat(e.path("Action").asText()).isEqualTo("codeartifact:GetAuthorizationToken");
      assertThat(e.path("Outcome").asText()).isEqualTo("denied");
      assertThat(e.path("Principal").asText()).endsWith(":user/auditor-less");
      assertThat(e.path("ErrorCode").asText()).isEqualTo("AccessDeniedException");
    });
    assertThat(result.out()).doesNotContain(token).doesNotContain(root.secretAccessKey());

    var text = run(root, against(wharf, "audit", "--action", "codeartifact:ReadFromRepository"));
    assertThat(text.exitCode()).isZero();
    assertThat(text.out().lines()).first().asString().startsWith("Time\tCount\tOutcome\tPrincipal");
    assertThat(text.out().lines().skip(1)).allSatisfy(line -> assertThat(line).contains("codeartifact:ReadFromRepository"));
  }

  @Test
  void aFieldWithNewlinesTabsAndBidiOverridesCannotForgeLinesInAnyOutput() throws Exception {
    String forged = "Nothing\n2026-01-01T00:00:00Z\t1\tallowed\tarn:aws:iam::000000000000:root\tiam:DeleteUser"
        + "\u2028\u202Eevil\u007F\u0085";
    var answer = wharf.signer().form("Version=2010-05-08&Action="
        + java.net.URLEncoder.encode(forged, java.nio.charset.StandardCharsets.UTF_8)).signed(root, "iam");
    assertThat(answer.status()).isEqualTo(400);

    var text = run(root, against(wharf, "audit", "--max-results", "1000"));
    assertThat(text.exitCode()).as(text.err()).isZero();
    // Every line is the header or one event: 11 tab-separated columns, none made by the caller.
    assertThat(text.out().lines()).allSatisfy(line -> assertThat(line.split("\t", -1)).hasSize(11));
    assertThat(text.out().lines()).noneSatisfy(line -> assertThat(line).startsWith("2026-01-01T00:00:00Z"));
    assertThat(text.out()).doesNotContain("\u2028").doesNotContain("\u202E").doesNotContain("\u007F").doesNotContain("\u0085")
        .contains("iam:Nothing\\n2026-01-01T00:00:00Z\\t1\\tallowed").contains("\\u2028\\u202Eevil\\u007F\\u0085");

    var json = run(root, against(wharf, "audit", "--output", "json", "--max-results", "1000"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).doesNotContain("\u2028").doesNotContain("\u202E").doesNotContain("\u007F").doesNotContain("\u0085")
        .contains("\\u2028\\u202Eevil\\u007F\\u0085");
    // the JSON still decodes to what was recorded
    assertThat(new ObjectMapper().readTree(json.out())).anySatisfy(e ->
        assertThat(e.path("Action").asText()).isEqualTo("iam:" + forged));
  }
}
