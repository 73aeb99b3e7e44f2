package dev.wharf.identity.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IAM's policy simulator with the real aws CLI: an operator asks why a principal (and so its tokens) is
 * refused an action on a repository, and sees the deciding statement, the condition keys the request
 * lacked, and what a boundary or a resource policy changes.
 */
class PolicySimulationCliIT {
  private static final String READER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"],"
      + "\"Resource\":\"*\"}]}";
  private static final String DENY_OUTSIDE_OFFICE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OfficeOnly\","
      + "\"Effect\":\"Deny\",\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\",\"Condition\":"
      + "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli root;
  static String account;
  static String repository;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    root.json("iam", "create-user", "--user-name", "dev");
    root.json("iam", "put-user-policy", "--user-name", "dev", "--policy-name", "reader", "--policy-document", READER);
    root.json("iam", "put-user-policy", "--user-name", "dev", "--policy-name", "office", "--policy-document",
        DENY_OUTSIDE_OFFICE);
    repository = "arn:aws:codeartifact:us-east-1:" + account + ":repository/acme/app";
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static JsonNode simulateDev(String... more) {
    String[] arguments = new String[] {"iam", "simulate-principal-policy", "--policy-source-arn",
        "arn:aws:iam::" + account + ":user/dev", "--resource-arns", repository};
    String[] all = new String[arguments.length + more.length];
    System.arraycopy(arguments, 0, all, 0, arguments.length);
    System.arraycopy(more, 0, all, arguments.length, more.length);
    return root.json(all);
  }

  @Test
  void theSimulatorNamesTheDenyThatRefusedAUserAndTheContextKeyItRead() {
    JsonNode result = simulateDev("--action-names", "codeartifact:ReadFromRepository").path("EvaluationResults").get(0);
    assertThat(result.path("EvalActionName").asText()).isEqualTo("codeartifact:ReadFromRepository");
    assertThat(result.path("EvalResourceName").asText()).isEqualTo(repository);
    assertThat(result.path("EvalDecision").asText()).isEqualTo("explicitDeny");
    assertThat(result.path("MatchedStatements").get(0).path("SourcePolicyId").asText()).isEqualTo("office");
    assertThat(result.path("MatchedStatements").get(0).path("SourcePolicyType").asText()).isEqualTo("user");
    assertThat(result.path("MissingContextValues")).extracting(JsonNode::asText).containsExactly("aws:SourceIp");

    JsonNode fromTheOffice = simulateDev("--action-names", "codeartifact:ReadFromRepository", "--context-entries",
        "ContextKeyName=aws:SourceIp,ContextKeyValues=10.1.2.3,ContextKeyType=ip").path("EvaluationResults").get(0);
    assertThat(fromTheOffice.path("EvalDecision").asText()).isEqualTo("allowed");
    assertThat(fromTheOffice.path("MatchedStatements").get(0).path("SourcePolicyId").asText()).isEqualTo("reader");
    assertThat(fromTheOffice.path("MissingContextValues")).isEmpty();
  }

  @Test
  void actionsNoPolicyGrantsAreImplicitDenialsWithNoStatementAndResultsArePaged() {
    JsonNode first = simulateDev("--action-names", "codeartifact:PublishPackageVersion", "codeartifact:DeleteRepository",
        "--max-items", "1");
    assertThat(first.path("EvaluationResults")).hasSize(1);
    assertThat(first.path("EvaluationResults").get(0).path("EvalDecision").asText()).isEqualTo("implicitDeny");
    assertThat(first.path("EvaluationResults").get(0).path("MatchedStatements")).isEmpty();
    // The CLI follows the marker by itself unless paging is turned off; both results come back.
    JsonNode all = simulateDev("--action-names", "codeartifact:PublishPackageVersion", "codeartifact:DeleteRepository");
    assertThat(all.path("EvaluationResults")).extracting(r -> r.path("EvalActionName").asText())
        .containsExactly("codeartifact:PublishPackageVersion", "codeartifact:DeleteRepository");
  }

  @Test
  void aRoleIsSimulatedWithItsManagedPolicyAndAnAddedPolicyInput() {
    root.json("iam", "create-role", "--role-name", "builder", "--assume-role-policy-document",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account
            + ":root\"},\"Action\":\"sts:AssumeRole\"}]}");
    String policy = root.json("iam", "create-policy", "--policy-name", "builders", "--policy-document", READER)
        .path("Policy").path("Arn").asText();
    root.json("iam", "attach-role-policy", "--role-name", "builder", "--policy-arn", policy);
    JsonNode results = root.json("iam", "simulate-principal-policy", "--policy-source-arn",
        "arn:aws:iam::" + account + ":role/builder", "--action-names", "codeartifact:ReadFromRepository",
        "codeartifact:PublishPackageVersion", "--policy-input-list",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:PublishPackageVersion\","
            + "\"Resource\":\"*\"}]}").path("EvaluationResults");
    assertThat(results.get(0).path("EvalDecision").asText()).isEqualTo("allowed");
    assertThat(results.get(0).path("MatchedStatements").get(0).path("SourcePolicyId").asText()).isEqualTo(policy);
    assertThat(results.get(0).path("MatchedStatements").get(0).path("SourcePolicyType").asText()).isEqualTo("user-managed");
    assertThat(results.get(1).path("EvalDecision").asText()).isEqualTo("allowed");
    assertThat(results.get(1).path("MatchedStatements").get(0).path("SourcePolicyId").asText())
        .isEqualTo("PolicyInputList.1");
  }

  @Test
  void aCustomPolicyIsSimulatedWithABoundaryAndWithAResourcePolicyNamingTheCaller() {
    JsonNode bounded = root.json("iam", "simulate-custom-policy", "--policy-input-list", READER,
        "--permissions-boundary-policy-input-list",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:*\",\"Resource\":\"*\"}]}",
        "--action-names", "codeartifact:ReadFromRepository", "sts:GetServiceBearerToken").path("EvaluationResults");
    assertThat(bounded.get(0).path("EvalDecision").asText()).isEqualTo("implicitDeny");
    assertThat(bounded.get(0).path("PermissionsBoundaryDecisionDetail").path("AllowedByPermissionsBoundary").asBoolean())
        .isFalse();
    assertThat(bounded.get(1).path("EvalDecision").asText()).isEqualTo("allowed");

    String caller = "arn:aws:iam::" + account + ":user/dev";
    JsonNode granted = root.json("iam", "simulate-custom-policy", "--policy-input-list",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}",
        "--resource-policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
            + caller + "\"},\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}",
        "--caller-arn", caller, "--resource-arns", repository, "--action-names", "codeartifact:ReadFromRepository")
        .path("EvaluationResults").get(0);
    assertThat(granted.path("EvalDecision").asText()).isEqualTo("allowed");
    assertThat(granted.path("MatchedStatements").get(0).path("SourcePolicyType").asText()).isEqualTo("resource");
  }

  @Test
  void badInputGetsIamErrorsAndTheSimulatorItselfNeedsPermission() {
    TestingAwsCli.Result missing = root.run("iam", "simulate-principal-policy", "--policy-source-arn",
        "arn:aws:iam::" + account + ":user/nobody", "--action-names", "codeartifact:ReadFromRepository");
    assertThat(missing.stderr()).contains("NoSuchEntity");
    TestingAwsCli.Result malformed = root.run("iam", "simulate-custom-policy", "--policy-input-list", "{\"Statement\":7}",
        "--action-names", "codeartifact:ReadFromRepository");
    assertThat(malformed.stderr()).contains("MalformedPolicyDocument");
    TestingAwsCli.Result noCaller = root.run("iam", "simulate-custom-policy", "--policy-input-list", READER,
        "--resource-policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}]}", "--action-names", "codeartifact:ReadFromRepository");
    assertThat(noCaller.stderr()).contains("InvalidInput");

    JsonNode key = root.json("iam", "create-access-key", "--user-name", "dev").path("AccessKey");
    TestingAwsCli dev = root.withKey(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText());
    TestingAwsCli.Result refused = dev.run("iam", "simulate-principal-policy", "--policy-source-arn",
        "arn:aws:iam::" + account + ":user/dev", "--action-names", "codeartifact:ReadFromRepository");
    assertThat(refused.stderr()).contains("AccessDenied").contains("iam:SimulatePrincipalPolicy");
  }
}
