package dev.wharf.identity.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IAM groups and managed policy versions through the real aws CLI: a group's policies grant and
 * deny its users' access (tokens already issued included), a new default version changes what a
 * policy allows, and bad input gets IAM's error codes.
 */
class IamGroupsCliIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String PUBLISHER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:*\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";
  private static final String DENY_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli root;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    var codeartifact = wharf.codeartifact(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("app"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static TestingAwsCli newUser(String name) {
    root.json("iam", "create-user", "--user-name", name);
    JsonNode key = root.json("iam", "create-access-key", "--user-name", name).path("AccessKey");
    return TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText());
  }

  private static String errorCode(TestingAwsCli.Result result) {
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    var matcher = java.util.regex.Pattern.compile("An error occurred \\(([A-Za-z]+)\\)").matcher(result.stderr());
    assertThat(matcher.find()).as(result.describe()).isTrue();
    return matcher.group(1);
  }

  @Test
  void aGroupsAttachedPolicyGrantsItsUsersAndADenyThroughTheGroupCutsOffTheirTokens() throws Exception {
    String policyArn = root.json("iam", "create-policy", "--policy-name", "publisher", "--policy-document", PUBLISHER)
        .path("Policy").path("Arn").asText();
    JsonNode group = root.json("iam", "create-group", "--group-name", "developers", "--path", "/team/").path("Group");
    assertThat(group.path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":group/team/developers");
    root.run("iam", "attach-group-policy", "--group-name", "developers", "--policy-arn", policyArn);
    TestingAwsCli alice = newUser("alice");
    String[] getToken = {"codeartifact", "get-authorization-token", "--domain", "acme", "--domain-owner", account};
    assertThat(errorCode(alice.run(getToken))).isEqualTo("AccessDeniedException");

    root.run("iam", "add-user-to-group", "--group-name", "Developers", "--user-name", "alice");
    assertThat(root.json("iam", "get-group", "--group-name", "developers").path("Users").get(0).path("UserName").asText())
        .isEqualTo("alice");
    assertThat(root.json("iam", "list-groups-for-user", "--user-name", "alice").path("Groups").get(0)
        .path("GroupName").asText()).isEqualTo("developers");
    assertThat(root.json("iam", "get-policy", "--policy-arn", policyArn).path("Policy").path("AttachmentCount").asInt())
        .isEqualTo(1);
    String token = alice.json(getToken).path("authorizationToken").asText();
    String packages = wharf.endpoint() + "/acme-" + account + "/npm/app/";
    assertThat(get(packages, token)).isEqualTo(200);

    root.run("iam", "put-group-policy", "--group-name", "developers", "--policy-name", "cut-off", "--policy-document",
        DENY_READ);
    assertThat(root.json("iam", "list-group-policies", "--group-name", "developers").path("PolicyNames").get(0).asText())
        .isEqualTo("cut-off");
    assertThat(get(packages, token)).isIn(401, 403);

    root.run("iam", "delete-group-policy", "--group-name", "developers", "--policy-name", "cut-off");
    assertThat(get(packages, token)).isEqualTo(200);
    root.run("iam", "remove-user-from-group", "--group-name", "developers", "--user-name", "alice");
    assertThat(get(packages, token)).as("out of the group, the group's Allow is gone").isIn(401, 403);
  }

  @Test
  void aNewDefaultVersionChangesWhatThePolicyAllowsAndASixthVersionIsRefused() {
    String allowList = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        + "\"codeartifact:ListDomains\",\"Resource\":\"*\"}]}";
    String allowOther = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        + "\"codeartifact:DescribeDomain\",\"Resource\":\"*\"}]}";
    String policyArn = root.json("iam", "create-policy", "--policy-name", "lister", "--policy-document", allowList)
        .path("Policy").path("Arn").asText();
    root.json("iam", "create-group", "--group-name", "listers");
    root.run("iam", "attach-group-policy", "--group-name", "listers", "--policy-arn", policyArn);
    TestingAwsCli bob = newUser("bob");
    root.run("iam", "add-user-to-group", "--group-name", "listers", "--user-name", "bob");
    assertThat(bob.run("codeartifact", "list-domains").exitCode()).isZero();

    JsonNode v2 = root.json("iam", "create-policy-version", "--policy-arn", policyArn, "--policy-document", allowOther,
        "--set-as-default").path("PolicyVersion");
    assertThat(v2.path("VersionId").asText()).isEqualTo("v2");
    assertThat(v2.path("IsDefaultVersion").asBoolean()).isTrue();
    assertThat(root.json("iam", "get-policy", "--policy-arn", policyArn).path("Policy").path("DefaultVersionId").asText())
        .isEqualTo("v2");
    assertThat(errorCode(bob.run("codeartifact", "list-domains"))).isEqualTo("AccessDeniedException");

    root.run("iam", "set-default-policy-version", "--policy-arn", policyArn, "--version-id", "v1");
    assertThat(bob.run("codeartifact", "list-domains").exitCode()).isZero();
    assertThat(root.json("iam", "get-policy-version", "--policy-arn", policyArn, "--version-id", "v2")
        .path("PolicyVersion").path("Document").path("Statement").get(0).path("Action").asText())
        .isEqualTo("codeartifact:DescribeDomain");

    for (int i = 3; i <= 5; i++) {
      root.json("iam", "create-policy-version", "--policy-arn", policyArn, "--policy-document", allowOther);
    }
    assertThat(errorCode(root.run("iam", "create-policy-version", "--policy-arn", policyArn, "--policy-document",
        allowOther))).isEqualTo("LimitExceeded");
    JsonNode versions = root.json("iam", "list-policy-versions", "--policy-arn", policyArn).path("Versions");
    assertThat(versions).hasSize(5);
    assertThat(versions.get(0).path("VersionId").asText()).isEqualTo("v5");
    assertThat(errorCode(root.run("iam", "delete-policy-version", "--policy-arn", policyArn, "--version-id", "v1")))
        .isEqualTo("DeleteConflict");
    assertThat(errorCode(root.run("iam", "get-policy-version", "--policy-arn", policyArn, "--version-id", "v9")))
        .isEqualTo("NoSuchEntity");
    assertThat(errorCode(root.run("iam", "get-policy-version", "--policy-arn", policyArn, "--version-id", "x1")))
        .isEqualTo("ValidationError");
    root.run("iam", "delete-policy-version", "--policy-arn", policyArn, "--version-id", "v5");
    assertThat(root.json("iam", "create-policy-version", "--policy-arn", policyArn, "--policy-document", allowOther)
        .path("PolicyVersion").path("VersionId").asText()).as("numbers are not reused").isEqualTo("v6");
    assertThat(errorCode(root.run("iam", "create-policy-version", "--policy-arn", policyArn, "--policy-document",
        "{\"Statement\":"))).isEqualTo("MalformedPolicyDocument");
  }

  @Test
  void badInputGetsIamsErrorCodes() {
    assertThat(errorCode(root.run("iam", "get-group", "--group-name", "nobody"))).isEqualTo("NoSuchEntity");
    root.json("iam", "create-group", "--group-name", "ops");
    assertThat(errorCode(root.run("iam", "create-group", "--group-name", "OPS"))).isEqualTo("EntityAlreadyExists");
    assertThat(errorCode(root.run("iam", "create-group", "--group-name", "bad name!"))).isEqualTo("ValidationError");
    assertThat(errorCode(root.run("iam", "put-group-policy", "--group-name", "ops", "--policy-name", "p",
        "--policy-document", "{\"Statement\":[{\"Effect\":\"Maybe\"}]}"))).isEqualTo("MalformedPolicyDocument");
    assertThat(errorCode(root.run("iam", "add-user-to-group", "--group-name", "ops", "--user-name", "ghost")))
        .isEqualTo("NoSuchEntity");
    root.json("iam", "create-user", "--user-name", "carol");
    root.run("iam", "add-user-to-group", "--group-name", "ops", "--user-name", "carol");
    assertThat(errorCode(root.run("iam", "delete-group", "--group-name", "ops"))).isEqualTo("DeleteConflict");
    assertThat(errorCode(root.run("iam", "delete-user", "--user-name", "carol"))).isEqualTo("DeleteConflict");
    root.run("iam", "remove-user-from-group", "--group-name", "ops", "--user-name", "carol");
    assertThat(root.run("iam", "delete-group", "--group-name", "ops").exitCode()).isZero();
    assertThat(root.run("iam", "delete-user", "--user-name", "carol").exitCode()).isZero();
  }

  @Test
  void aRenamedGroupKeepsItsUsersAndCannotTakeATakenName() {
    root.json("iam", "create-group", "--group-name", "testers");
    root.json("iam", "create-group", "--group-name", "reviewers");
    root.json("iam", "create-user", "--user-name", "dave");
    root.run("iam", "add-user-to-group", "--group-name", "testers", "--user-name", "dave");
    assertThat(errorCode(root.run("iam", "update-group", "--group-name", "testers", "--new-group-name", "Reviewers")))
        .isEqualTo("EntityAlreadyExists");
    assertThat(root.run("iam", "update-group", "--group-name", "testers", "--new-group-name", "qa", "--new-path",
        "/quality/").exitCode()).isZero();
    JsonNode group = root.json("iam", "get-group", "--group-name", "qa");
    assertThat(group.path("Group").path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":group/quality/qa");
    assertThat(group.path("Users").get(0).path("UserName").asText()).isEqualTo("dave");
    assertThat(errorCode(root.run("iam", "get-group", "--group-name", "testers"))).isEqualTo("NoSuchEntity");
  }

  private static int get(String url, String token) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
