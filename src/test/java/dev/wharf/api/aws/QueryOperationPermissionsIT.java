package dev.wharf.api.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.api.aws.QueryOperation.Permission;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * Every query-protocol operation declares what it needs (fail closed): an IAM action named after
 * the operation, or an explicit reason for no policy check, allowed only where AWS checks nothing
 * (GetCallerIdentity, GetSessionToken) or the service checks itself (AssumeRole, GetAuthorizationToken). And the real server enforces it:
 * a user without any policy is refused every operation that declares an action.
 */
class QueryOperationPermissionsIT {
  private static final List<String> MAY_SKIP_POLICY_CHECK =
      List.of("sts:GetCallerIdentity", "sts:GetSessionToken", "sts:AssumeRole", "codeartifact:GetAuthorizationToken");
  /** The operations AWS answers without a signature: the request carries its own proof. */
  private static final List<String> MAY_BE_UNSIGNED = List.of("sts:AssumeRoleWithWebIdentity");

  @TempDir static Path data;
  static TestingServer wharf;
  static List<QueryOperation> operations;
  static List<RestOperation> restOperations;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    operations = wharf.server().queryOperations();
    restOperations = wharf.server().restOperations();
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  @Test
  void everyOperationDeclaresThePermissionNamedAfterItOrAReasonForNone() {
    Map<String, String> noPolicyCheck = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (QueryOperation operation : operations) {
      String name = operation.service() + ":" + operation.action();
      switch (operation.permission()) {
        case Permission.PolicyAction action -> {
          if (!name.equals(action.iamAction())) {
            problems.add(name + " declares " + action.iamAction());
          }
          if (action.resource() == null) {
            problems.add(name + " names no resource");
          }
        }
        case Permission.NoPolicyCheck none -> {
          noPolicyCheck.put(name, none.reason());
          if (none.reason() == null || none.reason().isBlank()) {
            problems.add(name + " gives no reason for skipping the policy check");
          }
        }
        case Permission.Unsigned unsigned -> {
          if (!MAY_BE_UNSIGNED.contains(name)) {
            problems.add(name + " is answered unsigned but is not one of " + MAY_BE_UNSIGNED);
          }
          if (unsigned.reason() == null || unsigned.reason().isBlank()) {
            problems.add(name + " gives no reason for skipping the signature");
          }
        }
      }
    }
    for (RestOperation operation : restOperations) {
      String name = "codeartifact:" + operation.name();
      switch (operation.permission()) {
        case RestOperation.Permission.PolicyAction action -> {
          if (!name.equals(action.iamAction())) {
            problems.add(name + " declares " + action.iamAction());
          }
        }
        case RestOperation.Permission.NoPolicyCheck none -> noPolicyCheck.put(name, none.reason());
      }
    }
    System.out.println("Operations without a policy check: " + noPolicyCheck);
    assertThat(problems).isEmpty();
    assertThat(noPolicyCheck.keySet()).as("operations with NoPolicyCheck").isSubsetOf(MAY_SKIP_POLICY_CHECK);
    assertThat(operations).hasSizeGreaterThan(30);
  }

  @Test
  void theTagBoundaryAndUpdateOperationsOfIamAreDeclaredWithTheirOwnAction() {
    List<String> declared = operations.stream()
        .filter(operation -> operation.permission() instanceof Permission.PolicyAction action
            && action.iamAction().equals(operation.service() + ":" + operation.action()))
        .map(operation -> operation.service() + ":" + operation.action()).toList();
    assertThat(declared).contains("iam:UpdateUser", "iam:UpdateRole", "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy", "iam:TagUser", "iam:UntagUser", "iam:ListUserTags", "iam:TagRole",
        "iam:UntagRole", "iam:ListRoleTags", "iam:TagPolicy", "iam:UntagPolicy", "iam:ListPolicyTags",
        "iam:PutUserPermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary",
        "iam:DeleteRolePermissionsBoundary");
  }

  @Test
  void aUserWithoutPoliciesIsRefusedEveryOperationThatDeclaresAnAction() {
    var rootIam = wharf.iam(wharf.rootCredentials());
    rootIam.createUser(b -> b.userName("no-policy"));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("no-policy")).accessKey();
    AwsBasicCredentials noPolicy = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    // Enough parameters for every operation to name its resource, so the answer is the authorization decision.
    String parameters = "&UserName=no-policy&RoleName=some-role&GroupName=some-group&VersionId=v1&PolicyName=p&AccessKeyId=" + key.accessKeyId()
        + "&PolicyArn=arn%3Aaws%3Aiam%3A%3A" + wharf.managementAccountId() + "%3Apolicy%2Fp&TokenId=t&KeyId=k"
        + "&Url=https%3A%2F%2Fissuer.example&ClientID=c&OpenIDConnectProviderArn=arn%3Aaws%3Aiam%3A%3A"
        + wharf.managementAccountId() + "%3Aoidc-provider%2Fissuer.example&Name=federated&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A"
        + wharf.managementAccountId() + "%3Auser%2Fno-policy";

    List<String> notRefused = new ArrayList<>();
    for (QueryOperation operation : operations) {
      if (!(operation.permission() instanceof Permission.PolicyAction)) {
        continue;
      }
      TestingSigner.Response response = wharf.signer().form("Action=" + operation.action() + "&Version=2010-05-08" + parameters)
          .signed(noPolicy, operation.service());
      if (response.status() != 403 || !"AccessDenied".equals(response.error().code())) {
        notRefused.add(operation.service() + ":" + operation.action() + " → " + response.status());
      }
    }
    assertThat(notRefused).isEmpty();
  }

  @Test
  void onlyTheDeclaredUnsignedOperationIsAnsweredWithoutASignature() {
    List<String> answered = new ArrayList<>();
    for (QueryOperation operation : operations) {
      if (!operation.service().equals("sts")) {
        continue;
      }
      TestingSigner.Response response = wharf.signer().form("Action=" + operation.action()
          + "&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" + wharf.managementAccountId()
          + "%3Arole%2Fci&RoleSessionName=job&WebIdentityToken=not.a.jwt").unsigned();
      if (response.status() != 403) {
        answered.add(operation.action() + " → " + response.status() + " " + response.error().code());
      }
    }
    assertThat(answered).containsExactly("AssumeRoleWithWebIdentity → 400 InvalidIdentityToken");
  }
}
