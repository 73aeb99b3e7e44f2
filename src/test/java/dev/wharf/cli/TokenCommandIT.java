package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.against;
import static dev.wharf.cli.LoginTestingCli.getRepository;
import static dev.wharf.cli.LoginTestingCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** wharf token list / revoke and wharf admin rotate-token-key / list-token-keys against a real server. */
class TokenCommandIT {
  @TempDir static Path data;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String endpoint;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    root = wharf.rootCredentials();
    endpoint = LoginTestingCli.newRepository(wharf, root, "tools", "internal", "pypi");
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  static String newToken() {
    var result = run(root, against(wharf, "get-authorization-token", "--domain", "tools", "--query", "authorizationToken",
        "--output", "text"));
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out().strip();
  }

  static String tokenId(String token) {
    var answer = getRepository(endpoint, token);
    assertThat(answer.status()).isEqualTo(200);
    return answer.body().path("tokenId").asText();
  }

  static String keyId(String token) {
    return token.substring(0, token.indexOf('.'));
  }

  @Test
  void theListShowsALiveTokenWithItsPrincipalAndDomain() throws Exception {
    String id = tokenId(newToken());

    var table = run(root, against(wharf, "token", "list"));
    var json = run(root, against(wharf, "token", "list", "--output", "json"));

    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).startsWith("TOKEN ID").contains(id);
    assertThat(table.out().lines().filter(line -> line.startsWith(id)).findFirst().orElseThrow())
        .contains("arn:aws:iam::" + wharf.managementAccountId() + ":root", wharf.managementAccountId() + "/tools");
    JsonNode tokens = new ObjectMapper().readTree(json.out()).path("tokens");
    assertThat(tokens.findValuesAsText("tokenId")).contains(id);
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceAndOthersStillWork() {
    String revoked = newToken();
    String revokedId = tokenId(revoked);
    String kept = newToken();

    var result = run(root, against(wharf, "token", "revoke", revokedId));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Revoked token " + revokedId + " (arn:aws:iam::");
    assertThat(getRepository(endpoint, revoked).status()).isEqualTo(401);
    assertThat(getRepository(endpoint, kept).status()).isEqualTo(200);
    assertThat(run(root, against(wharf, "token", "list")).out()).doesNotContain(revokedId).contains(tokenId(kept));
  }

  @Test
  void revokingAnUnknownTokenSaysSoAndExitsOne() {
    var result = run(root, against(wharf, "token", "revoke", "nosuchtoken"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("wharf: NoSuchEntity: ");
  }

  @Test
  void revokingAnotherAccountsTokenIsAnsweredAsAnUnknownOneNamingNoAccount() {
    String tokenOfA = tokenId(newToken());
    var created = wharf.signer().form("Action=CreateAccount&Version=2026-11-25&AccountName=other").signed(root, "wharf");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    AwsBasicCredentials rootOfB = AwsBasicCredentials.create(created.xmlText("AccessKeyId").orElseThrow(),
        created.xmlText("SecretAccessKey").orElseThrow());

    var foreign = run(rootOfB, against(wharf, "token", "revoke", tokenOfA));
    var unknown = run(rootOfB, against(wharf, "token", "revoke", "nosuchtoken"));

    assertThat(foreign.exitCode()).isEqualTo(1);
    assertThat(foreign.err()).startsWith("wharf: NoSuchEntity: ").doesNotContain(wharf.managementAccountId());
    assertThat(foreign.err().replace(tokenOfA, "ID")).isEqualTo(unknown.err().replace("nosuchtoken", "ID"));
    // and the token still works
    assertThat(run(root, against(wharf, "token", "list")).out()).contains(tokenOfA);
  }

  @Test
  void aDeletedUsersTokensAreNotListed() {
    var iam = wharf.iam(root);
    iam.createUser(b -> b.userName("leaver"));
    var key = iam.createAccessKey(b -> b.userName("leaver")).accessKey();
    iam.putUserPolicy(b -> b.userName("leaver").policyName("tokens").policyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"codeartifact:GetAuthorizationToken\","
        + "\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"],\"Resource\":\"*\"}]}"));
    AwsBasicCredentials leaver = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    var issued = run(leaver, against(wharf, "get-authorization-token", "--domain", "tools", "--query",
        "authorizationToken", "--output", "text"));
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    String leaversToken = tokenId(issued.out().strip());
    assertThat(run(root, against(wharf, "token", "list")).out()).contains(leaversToken);

    iam.deleteUserPolicy(b -> b.userName("leaver").policyName("tokens"));
    iam.deleteAccessKey(b -> b.userName("leaver").accessKeyId(key.accessKeyId()));
    iam.deleteUser(b -> b.userName("leaver"));

    assertThat(run(root, against(wharf, "token", "list")).out()).doesNotContain(leaversToken);
  }

  @Test
  void afterARotationOldTokensWorkAndNewOnesCarryTheNewKeyUntilTheOldKeyIsRetired() {
    String before = newToken();
    String oldKey = keyId(before);

    var rotated = run(root, against(wharf, "admin", "rotate-token-key"));
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    Matcher newKey = Pattern.compile("New token key (k[a-z2-7]{7})").matcher(rotated.out());
    assertThat(newKey.find()).isTrue();
    String after = newToken();

    assertThat(keyId(after)).isEqualTo(newKey.group(1)).isNotEqualTo(oldKey);
    assertThat(getRepository(endpoint, before).status()).isEqualTo(200);
    assertThat(run(root, against(wharf, "admin", "list-token-keys")).out()).contains(oldKey, newKey.group(1) + "  Active (current)");

    var retired = run(root, against(wharf, "admin", "rotate-token-key", "--retire", oldKey));

    assertThat(retired.exitCode()).as(retired.err()).isZero();
    assertThat(retired.out()).contains("Retired token key " + oldKey + ": every token sealed with it is now invalid.");
    assertThat(getRepository(endpoint, before).status()).isEqualTo(401);
    assertThat(getRepository(endpoint, after).status()).isEqualTo(200);
    assertThat(run(root, against(wharf, "admin", "list-token-keys")).out().lines()
        .filter(line -> line.startsWith(oldKey)).findFirst().orElseThrow()).contains("Retired");
  }

  @Test
  void retiringAKeyThatIsNotActiveChangesNothing() {
    String token = newToken();

    var result = run(root, against(wharf, "admin", "rotate-token-key", "--retire", "knosuchk"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("No active token key knosuchk");
    assertThat(keyId(newToken())).isEqualTo(keyId(token));
  }
}
