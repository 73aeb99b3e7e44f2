package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Accounts made with Wharf's CreateAccount (a raw signed query-protocol call under the signing
 * name {@code wharf}), and a principal of one account assuming a role of another through the SDK.
 */
class CrossAccountSdkIT {
  @TempDir static Path data;
  static TestingServer wharf;
  static IamClient iamA;
  static String accountA;
  static AwsBasicCredentials rootB;
  static IamClient iamB;
  static String accountB;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    iamA = wharf.iam(wharf.rootCredentials());
    accountA = wharf.managementAccountId();
    TestingSigner.Response created = createAccount(wharf.rootCredentials(), "AccountName=team-b");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    accountB = created.xmlText("AccountId").orElseThrow();
    rootB = AwsBasicCredentials.create(created.xmlText("AccessKeyId").orElseThrow(),
        created.xmlText("SecretAccessKey").orElseThrow());
    iamB = wharf.iam(rootB);
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static TestingSigner.Response createAccount(AwsCredentials caller, String parameters) {
    return wharf.signer().form("Action=CreateAccount&Version=2026-11-25&" + parameters).signed(caller, "wharf");
  }

  private static AwsBasicCredentials userOfB(String name, String policy) {
    return TestingIam.user(iamB, name, "p", policy);
  }


  private static String roleOfA(String roleName, String trustedPrincipal) {
    iamA.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + trustedPrincipal
            + "\"},\"Action\":\"sts:AssumeRole\"}]}"));
    return "arn:aws:iam::" + accountA + ":role/" + roleName;
  }

  private static String allowAssume(String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\""
        + resource + "\"}]}";
  }

  private static AssumeRoleResponse assume(AwsBasicCredentials caller, String roleArn) {
    return wharf.sts(caller).assumeRole(b -> b.roleArn(roleArn).roleSessionName("from-b"));
  }

  @Test
  void aCreatedAccountHasItsOwnRootCredentialsAndItsOwnUsers() {
    assertThat(accountB).matches("[0-9]{12}").isNotEqualTo(accountA);
    assertThat(rootB.accessKeyId()).startsWith("AKIA");
    assertThat(wharf.sts(rootB).getCallerIdentity().arn()).isEqualTo("arn:aws:iam::" + accountB + ":root");

    iamA.createUser(b -> b.userName("xa-only-in-a"));
    assertThat(iamB.listUsers().users()).extracting(User::userName).doesNotContain("xa-only-in-a");
    awsError(IamException.class, "NoSuchEntity", 404, () -> iamB.getUser(b -> b.userName("xa-only-in-a")));
    iamB.createUser(b -> b.userName("xa-only-in-a"));
    assertThat(iamB.getUser(b -> b.userName("xa-only-in-a")).user().arn())
        .isEqualTo("arn:aws:iam::" + accountB + ":user/xa-only-in-a");
  }

  @Test
  void anAccountIdCanBeChosenOnceAndMustBeTwelveDigits() {
    TestingSigner.Response chosen = createAccount(wharf.rootCredentials(), "AccountId=123456789012&AccountName=chosen");
    assertThat(chosen.status()).isEqualTo(200);
    assertThat(chosen.xmlText("AccountId")).contains("123456789012");

    TestingSigner.Response again = createAccount(wharf.rootCredentials(), "AccountId=123456789012");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error().code()).isEqualTo("EntityAlreadyExists");
    TestingSigner.Response malformed = createAccount(wharf.rootCredentials(), "AccountId=12345");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.error().code()).isEqualTo("ValidationError");
  }

  @Test
  void onlyTheManagementAccountMayCreateAccounts() {
    TestingSigner.Response byB = createAccount(rootB, "AccountName=by-b");
    assertThat(byB.status()).isEqualTo(403);
    assertThat(byB.error().code()).isEqualTo("AccessDenied");
    assertThat(byB.error().message()).contains("wharf:CreateAccount");

    iamA.createUser(b -> b.userName("xa-operator"));
    AccessKey key = iamA.createAccessKey(b -> b.userName("xa-operator")).accessKey();
    AwsBasicCredentials operator = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    assertThat(createAccount(operator, "AccountName=by-operator").status()).isEqualTo(403);
    iamA.putUserPolicy(b -> b.userName("xa-operator").policyName("accounts").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"wharf:CreateAccount\",\"Resource\":\"*\"}]}"));
    assertThat(createAccount(operator, "AccountName=by-operator").status()).isEqualTo(200);
  }

  @Test
  void aUserOfAnotherAccountIsRefusedWhenTheTrustPolicyDoesNotNameItsAccount() {
    String role = roleOfA("xa-trusts-only-a", "arn:aws:iam::" + accountA + ":root");
    AwsBasicCredentials bob = userOfB("xa-bob", allowAssume(role));
    awsError(StsException.class, "AccessDenied", 403, () -> assume(bob, role));
  }

  @Test
  void aUserOfAnotherAccountIsRefusedWhenOnlyTheTrustPolicyAllows() {
    String role = roleOfA("xa-trusts-b-account", "arn:aws:iam::" + accountB + ":root");
    AwsBasicCredentials carol = userOfB("xa-carol", null);
    awsError(StsException.class, "AccessDenied", 403, () -> assume(carol, role));

    String namingCarol = roleOfA("xa-trusts-carol", "arn:aws:iam::" + accountB + ":user/xa-carol");
    awsError(StsException.class, "AccessDenied", 403, () -> assume(carol, namingCarol));
  }

  @Test
  void aUserOfAnotherAccountIsRefusedWhenItsPolicyAllowsADifferentRole() {
    String role = roleOfA("xa-trusts-b-other", "arn:aws:iam::" + accountB + ":root");
    AwsBasicCredentials dave = userOfB("xa-dave", allowAssume("arn:aws:iam::" + accountA + ":role/xa-something-else"));
    awsError(StsException.class, "AccessDenied", 403, () -> assume(dave, role));
  }

  @Test
  void aUserOfAnotherAccountAssumesTheRoleWhenBothTheTrustAndItsOwnPolicyAllow() {
    String role = roleOfA("xa-shared", accountB);
    AwsBasicCredentials erin = userOfB("xa-erin", allowAssume(role));

    AssumeRoleResponse assumed = assume(erin, role);

    assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + accountA + ":assumed-role/xa-shared/from-b");
    var identity = wharf.sts(TestingServer.session(assumed.credentials())).getCallerIdentity();
    assertThat(identity.account()).isEqualTo(accountA);
    assertThat(identity.arn()).isEqualTo(assumed.assumedRoleUser().arn());
  }

  @Test
  void anotherAccountCannotReadOrAttachThisAccountsManagedPolicies() {
    String arn = iamA.createPolicy(b -> b.policyName("xa-private").policyDocument(allowAssume("*"))).policy().arn();
    iamB.createUser(b -> b.userName("xa-attacher"));
    awsError(IamException.class, "NoSuchEntity", 404, () -> iamB.getPolicy(b -> b.policyArn(arn)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> iamB.attachUserPolicy(b -> b.userName("xa-attacher").policyArn(arn)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> iamB.deletePolicy(b -> b.policyArn(arn)));
    assertThat(iamA.getPolicy(b -> b.policyArn(arn)).policy().arn()).isEqualTo(arn);
  }
}
