package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code aws} CLI (v1) and boto3 against a real server: STS identities, the IAM calls a
 * user of Wharf makes, and the error codes and exit status the CLI reports when they fail. Each
 * test uses its own users and roles, so the tests run concurrently (one CLI call takes ~0.5 s).
 */
@Execution(ExecutionMode.CONCURRENT)
class AwsCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The CLI exits 255 (v1) or 254 (v2) when the service answered with an error. */
  private static final List<Integer> SERVICE_ERROR_EXIT = List.of(254, 255);
  private static final String ASSUME_ANY_ROLE =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}";

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
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static TestingAwsCli userWithKey(String name, String inlinePolicy) {
    root.json("iam", "create-user", "--user-name", name);
    if (inlinePolicy != null) {
      root.json("iam", "put-user-policy", "--user-name", name, "--policy-name", "inline", "--policy-document", inlinePolicy);
    }
    JsonNode key = root.json("iam", "create-access-key", "--user-name", name).path("AccessKey");
    return root.withKey(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText());
  }

  private static String trustTheAccount() {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  private static void assertServiceError(TestingAwsCli.Result result, String code) {
    assertThat(result.exitCode()).as(result.describe()).isIn(SERVICE_ERROR_EXIT);
    assertThat(result.stderr()).as(result.describe()).contains("(" + code + ")");
    assertThat(result.stdout()).as(result.describe()).isBlank();
  }

  // ---------------------------------------------------------------- STS

  @Test
  void theRootKeyIsTheAccountRoot() {
    JsonNode identity = root.json("sts", "get-caller-identity");
    assertThat(identity.path("Account").asText()).isEqualTo(account).matches("[0-9]{12}");
    assertThat(identity.path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":root");
    assertThat(identity.path("UserId").asText()).isEqualTo(account);
  }

  @Test
  void aUsersKeyIsThatUser() {
    TestingAwsCli erin = userWithKey("cli-erin", null);
    JsonNode identity = erin.json("sts", "get-caller-identity");
    assertThat(identity.path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":user/cli-erin");
    assertThat(identity.path("UserId").asText()).startsWith("AIDA");
  }

  @Test
  void assumeRoleCredentialsFedBackThroughTheEnvironmentAreTheAssumedRoleSession() {
    TestingAwsCli frank = userWithKey("cli-frank", ASSUME_ANY_ROLE);
    root.json("iam", "create-role", "--role-name", "cli-builder", "--assume-role-policy-document", trustTheAccount());

    JsonNode assumed = frank.json("sts", "assume-role", "--role-arn", "arn:aws:iam::" + account + ":role/cli-builder",
        "--role-session-name", "ci-7", "--duration-seconds", "900");
    JsonNode credentials = assumed.path("Credentials");
    assertThat(credentials.path("AccessKeyId").asText()).startsWith("ASIA");
    assertThat(credentials.path("Expiration").asText()).isNotEmpty();

    TestingAwsCli session = TestingAwsCli.at(wharf.endpoint(), scratch).withSession(credentials.path("AccessKeyId").asText(),
        credentials.path("SecretAccessKey").asText(), credentials.path("SessionToken").asText());
    JsonNode identity = session.json("sts", "get-caller-identity");
    assertThat(identity.path("Arn").asText()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/cli-builder/ci-7")
        .isEqualTo(assumed.path("AssumedRoleUser").path("Arn").asText());
    assertThat(identity.path("Account").asText()).isEqualTo(account);
  }

  private static TestingAwsCli session(JsonNode credentials) {
    return TestingAwsCli.at(wharf.endpoint(), scratch).withSession(credentials.path("AccessKeyId").asText(),
        credentials.path("SecretAccessKey").asText(), credentials.path("SessionToken").asText());
  }

  @Test
  void getSessionTokenAndGetFederationTokenCredentialsWorkWithTheRealCli() {
    TestingAwsCli gina = userWithKey("cli-gina", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":[\"sts:GetFederationToken\",\"iam:ListUsers\"],\"Resource\":\"*\"}]}");

    JsonNode user = session(gina.json("sts", "get-session-token", "--duration-seconds", "900").path("Credentials"))
        .json("sts", "get-caller-identity");
    assertThat(user.path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":user/cli-gina");

    JsonNode federation = gina.json("sts", "get-federation-token", "--name", "contractor", "--policy",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}]}");
    assertThat(federation.path("FederatedUser").path("Arn").asText())
        .isEqualTo("arn:aws:sts::" + account + ":federated-user/contractor");
    TestingAwsCli contractor = session(federation.path("Credentials"));
    assertThat(contractor.json("sts", "get-caller-identity").path("Arn").asText())
        .isEqualTo("arn:aws:sts::" + account + ":federated-user/contractor");
    // As in AWS, federated credentials cannot call IAM whatever their policies allow.
    assertServiceError(contractor.run("iam", "list-users"), "AccessDenied");
    assertServiceError(gina.run("sts", "get-federation-token", "--name", "has space"), "ValidationError");
  }

  // ---------------------------------------------------------------- IAM users and keys

  @Test
  void aUserIsCreatedReadListedAndDeleted() {
    JsonNode created = root.json("iam", "create-user", "--user-name", "cli-grace", "--path", "/team/");
    assertThat(created.path("User").path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":user/team/cli-grace");

    JsonNode read = root.json("iam", "get-user", "--user-name", "cli-grace");
    assertThat(read.path("User").path("UserId").asText()).isEqualTo(created.path("User").path("UserId").asText());
    assertThat(read.path("User").path("Path").asText()).isEqualTo("/team/");

    assertThat(userNames(root.json("iam", "list-users", "--path-prefix", "/team/"))).containsExactly("cli-grace");
    assertThat(userNames(root.json("iam", "list-users"))).contains("cli-grace");

    root.json("iam", "delete-user", "--user-name", "cli-grace");
    assertServiceError(root.run("iam", "get-user", "--user-name", "cli-grace"), "NoSuchEntity");
    assertThat(userNames(root.json("iam", "list-users"))).doesNotContain("cli-grace");
  }

  private static List<String> userNames(JsonNode listUsers) {
    List<String> names = new ArrayList<>();
    listUsers.path("Users").forEach(user -> names.add(user.path("UserName").asText()));
    return names;
  }

  @Test
  void anAccessKeyIsCreatedListedDeactivatedAndDeleted() {
    root.json("iam", "create-user", "--user-name", "cli-heidi");
    JsonNode key = root.json("iam", "create-access-key", "--user-name", "cli-heidi").path("AccessKey");
    String keyId = key.path("AccessKeyId").asText();
    assertThat(keyId).startsWith("AKIA");
    assertThat(key.path("SecretAccessKey").asText()).hasSize(40);
    assertThat(key.path("Status").asText()).isEqualTo("Active");
    TestingAwsCli heidi = root.withKey(keyId, key.path("SecretAccessKey").asText());
    heidi.json("sts", "get-caller-identity");

    JsonNode listed = root.json("iam", "list-access-keys", "--user-name", "cli-heidi").path("AccessKeyMetadata");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("AccessKeyId").asText()).isEqualTo(keyId);
    assertThat(listed.get(0).has("SecretAccessKey")).isFalse();

    root.json("iam", "update-access-key", "--user-name", "cli-heidi", "--access-key-id", keyId,
        "--status", "Inactive");
    assertThat(root.json("iam", "list-access-keys", "--user-name", "cli-heidi").path("AccessKeyMetadata").get(0)
        .path("Status").asText()).isEqualTo("Inactive");
    assertServiceError(heidi.run("sts", "get-caller-identity"), "InvalidClientTokenId");

    assertServiceError(root.run("iam", "delete-user", "--user-name", "cli-heidi"), "DeleteConflict");
    root.json("iam", "delete-access-key", "--user-name", "cli-heidi", "--access-key-id", keyId);
    assertServiceError(root.run("iam", "delete-access-key", "--user-name", "cli-heidi", "--access-key-id", keyId),
        "NoSuchEntity");
    root.json("iam", "delete-user", "--user-name", "cli-heidi");
  }

  // ---------------------------------------------------------------- policies

  @Test
  void anInlineUserPolicyComesBackAsAJsonObjectAndIsListedAndDeleted() throws Exception {
    root.json("iam", "create-user", "--user-name", "cli-ivan");
    // characters that URL encoding and XML escaping must carry through: + space & % = ? * and a non-ASCII letter
    String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReadWrite\",\"Effect\":\"Allow\","
        + "\"Action\":[\"codeartifact:Get*\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\","
        + "\"Condition\":{\"StringLike\":{\"aws:userid\":\"a+b c&d%20\u00e9=?*<x>\"}}}]}";
    root.json("iam", "put-user-policy", "--user-name", "cli-ivan", "--policy-name", "read",
        "--policy-document", document);

    JsonNode read = root.json("iam", "get-user-policy", "--user-name", "cli-ivan", "--policy-name", "read");
    assertThat(read.path("UserName").asText()).isEqualTo("cli-ivan");
    assertThat(read.path("PolicyName").asText()).isEqualTo("read");
    assertThat(read.path("PolicyDocument").isObject()).as("the CLI decodes the document into JSON: %s", read).isTrue();
    assertThat(read.path("PolicyDocument")).isEqualTo(JSON.readTree(document));

    assertThat(root.json("iam", "list-user-policies", "--user-name", "cli-ivan").path("PolicyNames"))
        .containsExactly(JSON.readTree("\"read\""));
    assertServiceError(root.run("iam", "delete-user", "--user-name", "cli-ivan"), "DeleteConflict");
    root.json("iam", "delete-user-policy", "--user-name", "cli-ivan", "--policy-name", "read");
    assertThat(root.json("iam", "list-user-policies", "--user-name", "cli-ivan").path("PolicyNames")).isEmpty();
    assertServiceError(root.run("iam", "get-user-policy", "--user-name", "cli-ivan", "--policy-name", "read"), "NoSuchEntity");
    root.json("iam", "delete-user", "--user-name", "cli-ivan");
  }

  @Test
  void aRoleKeepsItsMaximumSessionDurationAndItsInlinePolicyMustGoBeforeIt() throws Exception {
    JsonNode created = root.json("iam", "create-role", "--role-name", "cli-reader", "--max-session-duration", "7200",
        "--assume-role-policy-document", trustTheAccount());
    assertThat(created.path("Role").path("Arn").asText()).isEqualTo("arn:aws:iam::" + account + ":role/cli-reader");

    JsonNode role = root.json("iam", "get-role", "--role-name", "cli-reader").path("Role");
    assertThat(role.path("MaxSessionDuration").asInt()).isEqualTo(7200);
    assertThat(role.path("RoleId").asText()).startsWith("AROA");
    assertThat(role.path("AssumeRolePolicyDocument")).isEqualTo(JSON.readTree(trustTheAccount()));

    root.json("iam", "put-role-policy", "--role-name", "cli-reader", "--policy-name", "read",
        "--policy-document", ASSUME_ANY_ROLE);
    assertServiceError(root.run("iam", "delete-role", "--role-name", "cli-reader"), "DeleteConflict");
    root.json("iam", "delete-role-policy", "--role-name", "cli-reader", "--policy-name", "read");
    root.json("iam", "delete-role", "--role-name", "cli-reader");
    assertServiceError(root.run("iam", "get-role", "--role-name", "cli-reader"), "NoSuchEntity");
  }

  @Test
  void aManagedPolicyIsAttachedListedDetachedAndDeleted() {
    root.json("iam", "create-user", "--user-name", "cli-judy");
    JsonNode policy = root.json("iam", "create-policy", "--policy-name", "cli-assume", "--policy-document", ASSUME_ANY_ROLE)
        .path("Policy");
    String arn = policy.path("Arn").asText();
    assertThat(arn).isEqualTo("arn:aws:iam::" + account + ":policy/cli-assume");

    root.json("iam", "attach-user-policy", "--user-name", "cli-judy", "--policy-arn", arn);
    JsonNode attached = root.json("iam", "list-attached-user-policies", "--user-name", "cli-judy").path("AttachedPolicies");
    assertThat(attached).hasSize(1);
    assertThat(attached.get(0).path("PolicyArn").asText()).isEqualTo(arn);
    assertThat(attached.get(0).path("PolicyName").asText()).isEqualTo("cli-assume");

    assertServiceError(root.run("iam", "delete-policy", "--policy-arn", arn), "DeleteConflict");
    assertServiceError(root.run("iam", "delete-user", "--user-name", "cli-judy"), "DeleteConflict");
    root.json("iam", "detach-user-policy", "--user-name", "cli-judy", "--policy-arn", arn);
    assertThat(root.json("iam", "list-attached-user-policies", "--user-name", "cli-judy").path("AttachedPolicies")).isEmpty();
    root.json("iam", "delete-policy", "--policy-arn", arn);
    assertServiceError(root.run("iam", "delete-policy", "--policy-arn", arn), "NoSuchEntity");
    root.json("iam", "delete-user", "--user-name", "cli-judy");
  }

  // ---------------------------------------------------------------- failures

  @Test
  void creatingAUserTwiceIsEntityAlreadyExists() {
    root.json("iam", "create-user", "--user-name", "cli-twice");
    TestingAwsCli.Result again = root.run("iam", "create-user", "--user-name", "cli-twice");
    assertServiceError(again, "EntityAlreadyExists");
    assertThat(again.stderr()).contains("CreateUser").contains("cli-twice");
  }

  @Test
  void aPolicyWithoutActionIsAMalformedPolicyDocument() {
    root.json("iam", "create-user", "--user-name", "cli-malformed");
    TestingAwsCli.Result result = root.run("iam", "put-user-policy", "--user-name", "cli-malformed", "--policy-name", "p",
        "--policy-document", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}");
    assertServiceError(result, "MalformedPolicyDocument");
  }

  @Test
  void aUserWithoutPoliciesIsDeniedIamCallsNamingTheAction() {
    TestingAwsCli mallory = userWithKey("cli-mallory", null);
    TestingAwsCli.Result result = mallory.run("iam", "create-user", "--user-name", "cli-by-mallory");
    assertServiceError(result, "AccessDenied");
    assertThat(result.stderr()).contains("iam:CreateUser").contains("user/cli-mallory");
    assertServiceError(root.run("iam", "get-user", "--user-name", "cli-by-mallory"), "NoSuchEntity");
  }

  @Test
  void anUnknownAccessKeyIsInvalidClientTokenId() {
    TestingAwsCli stranger = root.withKey("AKIAUNKNOWNKEY000000", "a".repeat(40));
    assertServiceError(stranger.run("sts", "get-caller-identity"), "InvalidClientTokenId");
    assertServiceError(stranger.run("iam", "list-users"), "InvalidClientTokenId");
  }

  @Test
  void theRightKeyWithTheWrongSecretIsSignatureDoesNotMatch() {
    TestingAwsCli forger = root.withKey(wharf.rootCredentials().accessKeyId(), "b".repeat(40));
    assertServiceError(forger.run("sts", "get-caller-identity"), "SignatureDoesNotMatch");
  }

  // ---------------------------------------------------------------- boto3

  @Test
  void boto3GetsTheCallerIdentityAndCreatesAndListsUsers() throws Exception {
    String script = String.join("\n",
        "import json, os, boto3",
        "endpoint = os.environ['WHARF_ENDPOINT']",
        "sts = boto3.client('sts', endpoint_url=endpoint)",
        "iam = boto3.client('iam', endpoint_url=endpoint)",
        "identity = sts.get_caller_identity()",
        "created = iam.create_user(UserName='boto-kim')['User']",
        "names = [u['UserName'] for p in iam.get_paginator('list_users').paginate() for u in p['Users']]",
        "print(json.dumps({'arn': identity['Arn'], 'created': created['Arn'], 'names': names}))");
    Map<String, String> environment = new java.util.HashMap<>(root.environment());
    environment.put("WHARF_ENDPOINT", wharf.endpoint().toString());
    TestingProcesses.Result boto = TestingProcesses.run(root.home(), environment, Duration.ofSeconds(60),
        List.of("python3", "-c", script));
    if (boto.exitCode() != 0 && boto.stderr().contains("No module named 'boto3'")) {
      TestingClients.missing("boto3 (python3 -c 'import boto3')");
    }
    assertThat(boto.exitCode()).as(boto.describe()).isZero();
    JsonNode out = JSON.readTree(boto.stdout());
    assertThat(out.path("arn").asText()).isEqualTo("arn:aws:iam::" + account + ":root");
    assertThat(out.path("created").asText()).isEqualTo("arn:aws:iam::" + account + ":user/boto-kim");
    assertThat(out.path("names")).contains(JSON.readTree("\"boto-kim\""));
  }
}
