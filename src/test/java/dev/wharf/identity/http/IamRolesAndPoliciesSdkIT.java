package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.Role;

/** IAM roles, role policies and managed policies through the AWS SDK for Java v2, against a real server. */
class IamRolesAndPoliciesSdkIT {
  private static final String ALLOW_LIST_USERS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}]}";

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

  private static String trustAccount() {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  private static String decode(String document) {
    return URLDecoder.decode(document, StandardCharsets.UTF_8);
  }

  @Test
  void aCreatedRoleKeepsItsTrustPolicyAndDefaultsToOneHourSessions() {
    Role created = rootIam.createRole(b -> b.roleName("roles-builder").path("/ci/").description("builds things")
        .assumeRolePolicyDocument(trustAccount())).role();
    assertThat(created.arn()).isEqualTo("arn:aws:iam::" + account + ":role/ci/roles-builder");
    assertThat(created.roleId()).startsWith("AROA");

    Role read = rootIam.getRole(b -> b.roleName("roles-builder")).role();

    assertThat(read.maxSessionDuration()).isEqualTo(3600);
    assertThat(read.description()).isEqualTo("builds things");
    assertThat(decode(read.assumeRolePolicyDocument())).isEqualTo(trustAccount());
    assertThat(rootIam.listRoles(b -> b.pathPrefix("/ci/")).roles()).extracting(Role::roleName).containsExactly("roles-builder");
  }

  @Test
  void theMaximumSessionDurationMustBeBetweenOneAndTwelveHours() {
    rootIam.createRole(b -> b.roleName("roles-min").assumeRolePolicyDocument(trustAccount()).maxSessionDuration(3600));
    rootIam.createRole(b -> b.roleName("roles-max").assumeRolePolicyDocument(trustAccount()).maxSessionDuration(43200));
    assertThat(rootIam.getRole(b -> b.roleName("roles-max")).role().maxSessionDuration()).isEqualTo(43200);

    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createRole(
        b -> b.roleName("roles-short").assumeRolePolicyDocument(trustAccount()).maxSessionDuration(3599)));
    awsError(IamException.class, "ValidationError", 400, () -> rootIam.createRole(
        b -> b.roleName("roles-long").assumeRolePolicyDocument(trustAccount()).maxSessionDuration(43201)));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getRole(b -> b.roleName("roles-short")));
  }

  @Test
  void roleNamesAreUniqueRegardlessOfCaseAndUnknownRolesAreNoSuchEntity() {
    rootIam.createRole(b -> b.roleName("Roles-Dup").assumeRolePolicyDocument(trustAccount()));
    awsError(IamException.class, "EntityAlreadyExists", 409,
        () -> rootIam.createRole(b -> b.roleName("roles-dup").assumeRolePolicyDocument(trustAccount())));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getRole(b -> b.roleName("roles-none")));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.deleteRole(b -> b.roleName("roles-none")));
  }

  @Test
  void aTrustPolicyWithoutPrincipalIsMalformed() {
    IamException refused = awsError(IamException.class, "MalformedPolicyDocument", 400, () -> rootIam.createRole(
        b -> b.roleName("roles-bad-trust").assumeRolePolicyDocument(ALLOW_LIST_USERS.replace("iam:ListUsers", "sts:AssumeRole"))));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("Principal");
  }

  @Test
  void aTrustPolicyWithNotPrincipalIsMalformed() {
    IamException refused = awsError(IamException.class, "MalformedPolicyDocument", 400, () -> rootIam.createRole(
        b -> b.roleName("roles-not-principal").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{"
            + "\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},"
            + "\"Action\":\"sts:AssumeRole\"}]}")));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("NotPrincipal");
  }

  @Test
  void aRoleIsNotDeletedWhileItHasAnInlinePolicy() {
    rootIam.createRole(b -> b.roleName("roles-inline").assumeRolePolicyDocument(trustAccount()));
    rootIam.putRolePolicy(b -> b.roleName("roles-inline").policyName("list").policyDocument(ALLOW_LIST_USERS));
    assertThat(decode(rootIam.getRolePolicy(b -> b.roleName("roles-inline").policyName("list")).policyDocument()))
        .isEqualTo(ALLOW_LIST_USERS);
    assertThat(rootIam.listRolePolicies(b -> b.roleName("roles-inline")).policyNames()).containsExactly("list");

    awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deleteRole(b -> b.roleName("roles-inline")));
    rootIam.deleteRolePolicy(b -> b.roleName("roles-inline").policyName("list"));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.deleteRolePolicy(b -> b.roleName("roles-inline").policyName("list")));

    rootIam.deleteRole(b -> b.roleName("roles-inline"));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getRole(b -> b.roleName("roles-inline")));
  }

  @Test
  void aManagedPolicyIsCreatedReadListedAttachedDetachedAndDeleted() {
    rootIam.createUser(b -> b.userName("roles-user"));
    rootIam.createRole(b -> b.roleName("roles-attached").assumeRolePolicyDocument(trustAccount()));

    Policy created = rootIam.createPolicy(b -> b.policyName("roles-readers").path("/team/").description("read users")
        .policyDocument(ALLOW_LIST_USERS)).policy();
    String arn = created.arn();
    assertThat(arn).isEqualTo("arn:aws:iam::" + account + ":policy/team/roles-readers");
    assertThat(created.defaultVersionId()).isEqualTo("v1");
    assertThat(created.attachmentCount()).isZero();

    assertThat(rootIam.getPolicy(b -> b.policyArn(arn)).policy().policyName()).isEqualTo("roles-readers");
    assertThat(decode(rootIam.getPolicyVersion(b -> b.policyArn(arn).versionId("v1")).policyVersion().document()))
        .isEqualTo(ALLOW_LIST_USERS);
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getPolicyVersion(b -> b.policyArn(arn).versionId("v2")));
    assertThat(rootIam.listPolicies(b -> b.scope(PolicyScopeType.LOCAL)).policies()).extracting(Policy::arn).contains(arn)
        .allMatch(a -> a.startsWith("arn:aws:iam::" + account + ":"));

    rootIam.attachUserPolicy(b -> b.userName("roles-user").policyArn(arn));
    rootIam.attachRolePolicy(b -> b.roleName("roles-attached").policyArn(arn));

    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("roles-user")).attachedPolicies())
        .extracting(AttachedPolicy::policyArn, AttachedPolicy::policyName).containsExactly(
            org.assertj.core.groups.Tuple.tuple(arn, "roles-readers"));
    assertThat(rootIam.listAttachedRolePolicies(b -> b.roleName("roles-attached")).attachedPolicies())
        .extracting(AttachedPolicy::policyArn).containsExactly(arn);
    assertThat(rootIam.getPolicy(b -> b.policyArn(arn)).policy().attachmentCount()).isEqualTo(2);
    awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deletePolicy(b -> b.policyArn(arn)));
    awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deleteRole(b -> b.roleName("roles-attached")));

    rootIam.detachUserPolicy(b -> b.userName("roles-user").policyArn(arn));
    awsError(IamException.class, "DeleteConflict", 409, () -> rootIam.deletePolicy(b -> b.policyArn(arn)));
    rootIam.detachRolePolicy(b -> b.roleName("roles-attached").policyArn(arn));
    awsError(IamException.class, "NoSuchEntity", 404,
        () -> rootIam.detachRolePolicy(b -> b.roleName("roles-attached").policyArn(arn)));

    assertThat(rootIam.listAttachedUserPolicies(b -> b.userName("roles-user")).attachedPolicies()).isEmpty();
    rootIam.deletePolicy(b -> b.policyArn(arn));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.getPolicy(b -> b.policyArn(arn)));
    rootIam.deleteRole(b -> b.roleName("roles-attached"));
  }

  @Test
  void managedPolicyNamesAreUniqueAndAttachingAnUnknownPolicyIsNoSuchEntity() {
    rootIam.createPolicy(b -> b.policyName("roles-once").policyDocument(ALLOW_LIST_USERS));
    awsError(IamException.class, "EntityAlreadyExists", 409,
        () -> rootIam.createPolicy(b -> b.policyName("roles-once").policyDocument(ALLOW_LIST_USERS)));
    rootIam.createUser(b -> b.userName("roles-attacher"));
    awsError(IamException.class, "NoSuchEntity", 404, () -> rootIam.attachUserPolicy(
        b -> b.userName("roles-attacher").policyArn("arn:aws:iam::" + account + ":policy/roles-missing")));
    awsError(IamException.class, "MalformedPolicyDocument", 400,
        () -> rootIam.createPolicy(b -> b.policyName("roles-bad").policyDocument("{\"Statement\":")));
  }

  @Test
  void policiesArePagedAndTheSdkPaginatorReadsEveryPage() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      rootIam.createPolicy(b -> b.policyName("roles-paged-" + n).path("/paged/").policyDocument(ALLOW_LIST_USERS));
    }
    var first = rootIam.listPolicies(b -> b.scope(PolicyScopeType.LOCAL).pathPrefix("/paged/").maxItems(2));
    assertThat(first.policies()).hasSize(2);
    assertThat(first.isTruncated()).isTrue();

    assertThat(rootIam.listPoliciesPaginator(b -> b.scope(PolicyScopeType.LOCAL).pathPrefix("/paged/").maxItems(2))
        .policies().stream().map(Policy::policyName).toList())
        .containsExactlyInAnyOrder("roles-paged-0", "roles-paged-1", "roles-paged-2", "roles-paged-3", "roles-paged-4");
  }
}
