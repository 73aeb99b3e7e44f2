package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.IamException;

/** IAM policies decide each request as they are at that moment, through the AWS SDK for Java v2. */
class PermissionsSdkIT {
  @TempDir static Path data;
  static TestingServer wharf;
  static IamClient rootIam;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    rootIam = wharf.iam(wharf.rootCredentials());
    account = wharf.managementAccountId();
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static String statement(String effect, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
        + "\",\"Resource\":\"" + resource + "\"}]}";
  }

  private static IamClient userClient(String name) {
    return wharf.iam(TestingIam.user(rootIam, name, null, null));
  }


  @Test
  void anAllowThenAnExplicitDenyThenItsRemovalTakeEffectAtTheNextRequest() {
    IamClient alice = userClient("perm-alice");
    IamException denied = awsError(IamException.class, "AccessDenied", 403, alice::listUsers);
    assertThat(denied.awsErrorDetails().errorMessage())
        .contains("arn:aws:iam::" + account + ":user/perm-alice").contains("iam:ListUsers");

    rootIam.putUserPolicy(b -> b.userName("perm-alice").policyName("allow").policyDocument(statement("Allow", "iam:List*", "*")));
    assertThat(alice.listUsers().users()).isNotEmpty();

    rootIam.putUserPolicy(b -> b.userName("perm-alice").policyName("deny").policyDocument(statement("Deny", "iam:ListUsers", "*")));
    assertThat(awsError(IamException.class, "AccessDenied", 403, alice::listUsers).awsErrorDetails().errorMessage())
        .contains("explicit deny");
    assertThat(alice.listRoles().roles()).isNotNull();

    rootIam.deleteUserPolicy(b -> b.userName("perm-alice").policyName("deny"));
    assertThat(alice.listUsers().users()).isNotEmpty();
  }

  @Test
  void attachingAndDetachingAManagedPolicyGrantsAndRevokesAtTheNextRequest() {
    IamClient bob = userClient("perm-bob");
    String arn = rootIam.createPolicy(b -> b.policyName("perm-list-roles").policyDocument(statement("Allow", "iam:ListRoles", "*")))
        .policy().arn();
    awsError(IamException.class, "AccessDenied", 403, bob::listRoles);

    rootIam.attachUserPolicy(b -> b.userName("perm-bob").policyArn(arn));
    bob.listRoles();

    rootIam.detachUserPolicy(b -> b.userName("perm-bob").policyArn(arn));
    awsError(IamException.class, "AccessDenied", 403, bob::listRoles);
  }

  @Test
  void aPolicyOnTheResourceArnLimitsTheUserToThatResource() {
    IamClient carol = userClient("perm-carol");
    rootIam.createUser(b -> b.userName("perm-carol-target"));
    rootIam.createUser(b -> b.userName("perm-other"));
    rootIam.putUserPolicy(b -> b.userName("perm-carol").policyName("one-user").policyDocument(
        statement("Allow", "iam:GetUser", "arn:aws:iam::" + account + ":user/perm-carol-target")));

    assertThat(carol.getUser(b -> b.userName("perm-carol-target")).user().userName()).isEqualTo("perm-carol-target");
    awsError(IamException.class, "AccessDenied", 403, () -> carol.getUser(b -> b.userName("perm-other")));
  }

  @Test
  void thePolicyVariableAwsUsernameLetsEachUserManageOnlyItsOwnAccessKeys() {
    String selfService = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + "\"iam:CreateAccessKey\",\"iam:ListAccessKeys\",\"iam:UpdateAccessKey\",\"iam:DeleteAccessKey\"],"
        + "\"Resource\":\"arn:aws:iam::" + account + ":user/${aws:username}\"}]}";
    String groupArn = rootIam.createPolicy(b -> b.policyName("perm-self-service").policyDocument(selfService)).policy().arn();
    IamClient dave = userClient("perm-dave");
    IamClient erin = userClient("perm-erin");
    rootIam.attachUserPolicy(b -> b.userName("perm-dave").policyArn(groupArn));
    rootIam.attachUserPolicy(b -> b.userName("perm-erin").policyArn(groupArn));

    AccessKey second = dave.createAccessKey().accessKey();
    assertThat(second.userName()).isEqualTo("perm-dave");
    assertThat(dave.listAccessKeys().accessKeyMetadata()).hasSize(2).extracting(AccessKeyMetadata::userName)
        .containsOnly("perm-dave");
    assertThat(dave.listAccessKeys(b -> b.userName("perm-dave")).accessKeyMetadata()).hasSize(2);
    dave.deleteAccessKey(b -> b.accessKeyId(second.accessKeyId()));

    awsError(IamException.class, "AccessDenied", 403, () -> dave.listAccessKeys(b -> b.userName("perm-erin")));
    awsError(IamException.class, "AccessDenied", 403, () -> dave.createAccessKey(b -> b.userName("perm-erin")));
    String erinsKey = erin.listAccessKeys().accessKeyMetadata().get(0).accessKeyId();
    awsError(IamException.class, "AccessDenied", 403,
        () -> dave.deleteAccessKey(b -> b.userName("perm-erin").accessKeyId(erinsKey)));
    assertThat(rootIam.listAccessKeys(b -> b.userName("perm-erin")).accessKeyMetadata()).hasSize(1);
  }

  @Test
  void aDenyOnAUserOrRoleArnCannotBeSidesteppedByChangingTheCaseOfItsName() {
    rootIam.createUser(b -> b.userName("perm-admin"));
    rootIam.createRole(b -> b.roleName("perm-admin-role").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + account + "\"},\"Action\":\"sts:AssumeRole\"}]}"));
    IamClient mallory = userClient("perm-mallory");
    rootIam.putUserPolicy(b -> b.userName("perm-mallory").policyName("all-but-admins").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":[\"arn:aws:iam::" + account + ":user/perm-admin\","
            + "\"arn:aws:iam::" + account + ":role/perm-admin-role\"]}]}"));
    String everything = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
        + "\"Resource\":\"*\"}]}";

    // IAM names are case-insensitive: each spelling names the same user, and the Deny on its ARN applies to all.
    for (String name : java.util.List.of("perm-admin", "PERM-ADMIN", "Perm-Admin")) {
      awsError(IamException.class, "AccessDenied", 403, () -> mallory.createAccessKey(b -> b.userName(name)));
      awsError(IamException.class, "AccessDenied", 403,
          () -> mallory.putUserPolicy(b -> b.userName(name).policyName("pwn").policyDocument(everything)));
    }
    for (String name : java.util.List.of("perm-admin-role", "PERM-ADMIN-ROLE")) {
      awsError(IamException.class, "AccessDenied", 403,
          () -> mallory.putRolePolicy(b -> b.roleName(name).policyName("pwn").policyDocument(everything)));
    }
    assertThat(rootIam.listAccessKeys(b -> b.userName("perm-admin")).accessKeyMetadata()).isEmpty();
    assertThat(rootIam.listUserPolicies(b -> b.userName("perm-admin")).policyNames()).isEmpty();
    assertThat(rootIam.listRolePolicies(b -> b.roleName("perm-admin-role")).policyNames()).isEmpty();
    // and the Deny is on that user only: another user's name in any case is allowed
    assertThat(mallory.getUser(b -> b.userName("PERM-MALLORY")).user().userName()).isEqualTo("perm-mallory");
  }

  @Test
  void aDenyOnIamPolicyArnKeepsAManagedPolicyFromBeingAttached() {
    String everything = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
        + "\"Resource\":\"*\"}]}";
    String adminArn = rootIam.createPolicy(b -> b.policyName("perm-administrator").policyDocument(everything)).policy().arn();
    String readArn = rootIam.createPolicy(b -> b.policyName("perm-list-users").policyDocument(statement("Allow",
        "iam:ListUsers", "*"))).policy().arn();
    IamClient trent = userClient("perm-trent");
    rootIam.createUser(b -> b.userName("perm-trent-target"));
    rootIam.putUserPolicy(b -> b.userName("perm-trent").policyName("attach-but-not-admin").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"iam:Attach*Policy\",\"Resource\":\"*\",\"Condition\":{\"ArnEquals\":"
            + "{\"iam:PolicyARN\":\"" + adminArn + "\"}}}]}"));

    awsError(IamException.class, "AccessDenied", 403,
        () -> trent.attachUserPolicy(b -> b.userName("perm-trent").policyArn(adminArn)));
    awsError(IamException.class, "AccessDenied", 403,
        () -> trent.attachUserPolicy(b -> b.userName("perm-trent-target").policyArn(adminArn)));
    trent.attachUserPolicy(b -> b.userName("perm-trent-target").policyArn(readArn));
    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("perm-trent-target")).attachedPolicies())
        .extracting(p -> p.policyArn()).containsExactly(readArn);
    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("perm-trent")).attachedPolicies()).isEmpty();
  }

  @Test
  void theRootUserIsNotGovernedByPoliciesOfItsOwnAccount() {
    assertThat(rootIam.listUsers().users()).isNotNull();
    assertThat(rootIam.listPolicies().policies()).isNotNull();
  }
}
