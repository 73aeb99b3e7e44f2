package dev.wharf.identity.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS through the AWS SDK for Java v2 against a real server. */
class StsSdkIT {
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

  private static AwsBasicCredentials newUser(String name, String policy) {
    return TestingIam.user(rootIam, name, "p", policy);
  }


  private static String trustAccount() {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  @Test
  void theRootUserIsTheAccountRoot() {
    GetCallerIdentityResponse identity = wharf.sts(wharf.rootCredentials()).getCallerIdentity();
    assertThat(identity.account()).isEqualTo(account).matches("[0-9]{12}");
    assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + account + ":root");
    assertThat(identity.userId()).isEqualTo(account);
  }

  @Test
  void aUserSeesItsOwnArnEvenWithoutAnyPolicy() {
    AwsBasicCredentials alice = newUser("sts-alice", null);
    GetCallerIdentityResponse identity = wharf.sts(alice).getCallerIdentity();
    assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + account + ":user/sts-alice");
    assertThat(identity.userId()).startsWith("AIDA");
  }

  @Test
  void aUserAllowedByPolicyAndTrustAssumesARoleForTheRequestedDuration() {
    AwsBasicCredentials bob = newUser("sts-bob",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    rootIam.createRole(b -> b.roleName("sts-deployer").assumeRolePolicyDocument(trustAccount()).maxSessionDuration(7200));

    Instant before = Instant.now();
    AssumeRoleResponse assumed = wharf.sts(bob).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/sts-deployer")
        .roleSessionName("build-42").durationSeconds(7200));

    assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");
    assertThat(assumed.credentials().expiration()).isBetween(before.plus(Duration.ofSeconds(7199)),
        Instant.now().plus(Duration.ofSeconds(7201)));
    assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/sts-deployer/build-42");
    StsClient session = wharf.sts(TestingServer.session(assumed.credentials()));
    assertThat(session.getCallerIdentity().arn()).isEqualTo(assumed.assumedRoleUser().arn());
  }

  @Test
  void aUserWithoutPermissionCannotAssumeARoleThatOnlyTrustsTheAccount() {
    AwsBasicCredentials carol = newUser("sts-carol", null);
    rootIam.createRole(b -> b.roleName("sts-guarded").assumeRolePolicyDocument(trustAccount()));
    assertThatThrownBy(() -> wharf.sts(carol).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/sts-guarded")
        .roleSessionName("s1")))
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
          assertThat(e.statusCode()).isEqualTo(403);
        });
  }

  @Test
  void aDurationBeyondTheRolesMaximumIsRefused() {
    AwsBasicCredentials dave = newUser("sts-dave",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    rootIam.createRole(b -> b.roleName("sts-short").assumeRolePolicyDocument(trustAccount()));
    assertThatThrownBy(() -> wharf.sts(dave).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/sts-short")
        .roleSessionName("s1").durationSeconds(3601)))
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    assertThatThrownBy(() -> wharf.sts(dave).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/sts-short")
        .roleSessionName("s1").durationSeconds(899)))
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }

  @Test
  void anUnknownAccessKeyIsAnInvalidClientTokenId() {
    assertThatThrownBy(() -> wharf.sts(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "x".repeat(40))).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
          assertThat(e.statusCode()).isEqualTo(403);
        });
  }

  @Test
  void aWrongSecretIsASignatureMismatch() {
    AwsBasicCredentials wrong = AwsBasicCredentials.create(wharf.rootCredentials().accessKeyId(), "y".repeat(40));
    assertThatThrownBy(() -> wharf.sts(wrong).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
  }
}
