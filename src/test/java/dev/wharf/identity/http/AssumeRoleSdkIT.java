package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * STS AssumeRole through the AWS SDK for Java v2: trust and identity policies, durations, role
 * chaining, and the end of sessions (expiry, role deletion, revocation by issue time). The server
 * runs on a clock the tests move; the SDK clients sign at that clock's time.
 */
class AssumeRoleSdkIT {
  private static final String ALLOW_ASSUME =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}";
  private static final String ALLOW_LIST_USERS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}]}";

  @TempDir static Path data;
  static TestingClock clock = TestingClock.startingNow();
  static TestingServer wharf;
  static IamClient rootIam;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data, clock, Map.of());
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


  private static String trust(String principalArn) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principalArn
        + "\"},\"Action\":\"sts:AssumeRole\"}]}";
  }

  private static String roleArn(String roleName) {
    return "arn:aws:iam::" + account + ":role/" + roleName;
  }

  private static String createRole(String roleName, String trustedArn, Integer maxSessionDuration, String rolePolicy) {
    rootIam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(trust(trustedArn)).maxSessionDuration(maxSessionDuration));
    if (rolePolicy != null) {
      rootIam.putRolePolicy(b -> b.roleName(roleName).policyName("p").policyDocument(rolePolicy));
    }
    return roleArn(roleName);
  }

  private static AssumeRoleResponse assume(AwsSessionCredentials caller, String roleArn, Integer durationSeconds) {
    return wharf.sts(caller).assumeRole(b -> b.roleArn(roleArn).roleSessionName("session").durationSeconds(durationSeconds));
  }

  private static AssumeRoleResponse assume(AwsBasicCredentials caller, String roleArn, Integer durationSeconds) {
    return wharf.sts(caller).assumeRole(b -> b.roleArn(roleArn).roleSessionName("session").durationSeconds(durationSeconds));
  }

  @Test
  void theRootUserMayNotAssumeRoles() {
    String role = createRole("ar-for-root", "arn:aws:iam::" + account + ":root", null, null);
    StsException refused = awsError(StsException.class, "AccessDenied", 403,
        () -> wharf.sts(wharf.rootCredentials()).assumeRole(b -> b.roleArn(role).roleSessionName("root")));
    assertThat(refused.awsErrorDetails().errorMessage()).isEqualTo("Roles may not be assumed by root accounts.");
  }

  @Test
  void aTrustPolicyNamingTheUserItselfSufficesWithoutAnyIdentityPolicy() {
    AwsBasicCredentials alice = newUser("ar-alice", null);
    String role = createRole("ar-trusts-alice", "arn:aws:iam::" + account + ":user/ar-alice", null, null);

    AssumeRoleResponse assumed = wharf.sts(alice).assumeRole(b -> b.roleArn(role).roleSessionName("alice-session"));

    assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/ar-trusts-alice/alice-session");
    assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");
    assertThat(assumed.credentials().sessionToken()).isNotBlank();
    assertThat(wharf.sts(TestingServer.session(assumed.credentials())).getCallerIdentity().arn())
        .isEqualTo(assumed.assumedRoleUser().arn());
    AwsBasicCredentials other = newUser("ar-not-alice", ALLOW_ASSUME);
    awsError(StsException.class, "AccessDenied", 403, () -> assume(other, role, null));
  }

  @Test
  void aTrustPolicyNamingTheAccountNeedsTheCallersOwnAllow() {
    String role = createRole("ar-trusts-account", "arn:aws:iam::" + account + ":root", null, null);
    AwsBasicCredentials withoutPolicy = newUser("ar-bob", null);
    AwsBasicCredentials withPolicy = newUser("ar-carol", ALLOW_ASSUME);

    StsException refused = awsError(StsException.class, "AccessDenied", 403, () -> assume(withoutPolicy, role, null));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("ar-bob").contains("sts:AssumeRole").contains(role);
    assertThat(assume(withPolicy, role, null).assumedRoleUser().arn()).contains("ar-trusts-account");
  }

  @Test
  void anExplicitDenyInTheCallersPolicyWinsOverATrustNamingTheCaller() {
    AwsBasicCredentials dave = newUser("ar-dave",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
    String role = createRole("ar-trusts-dave", "arn:aws:iam::" + account + ":user/ar-dave", null, null);
    awsError(StsException.class, "AccessDenied", 403, () -> assume(dave, role, null));
  }

  @Test
  void aMissingRoleIsAccessDeniedAndAMalformedArnIsAValidationError() {
    AwsBasicCredentials erin = newUser("ar-erin", ALLOW_ASSUME);
    awsError(StsException.class, "AccessDenied", 403, () -> assume(erin, roleArn("ar-missing"), null));
    awsError(StsException.class, "ValidationError", 400, () -> assume(erin, "arn:aws:iam::" + account + ":user/ar-erin", null));
    awsError(StsException.class, "ValidationError", 400,
        () -> wharf.sts(erin).assumeRole(b -> b.roleArn(roleArn("ar-missing")).roleSessionName("has space")));
  }

  @Test
  void sessionsLastAnHourByDefaultAndAnyDurationFrom900SecondsToTheRolesMaximum() {
    AwsBasicCredentials frank = newUser("ar-frank", ALLOW_ASSUME);
    String role = createRole("ar-durations", "arn:aws:iam::" + account + ":root", 7200, null);
    Instant now = clock.instant();

    assertThat(assume(frank, role, null).credentials().expiration()).isEqualTo(now.plusSeconds(3600));
    assertThat(assume(frank, role, 900).credentials().expiration()).isEqualTo(now.plusSeconds(900));
    assertThat(assume(frank, role, 7200).credentials().expiration()).isEqualTo(now.plusSeconds(7200));

    awsError(StsException.class, "ValidationError", 400, () -> assume(frank, role, 899));
    StsException aboveMax = awsError(StsException.class, "ValidationError", 400, () -> assume(frank, role, 7201));
    assertThat(aboveMax.awsErrorDetails().errorMessage()).contains("MaxSessionDuration");
    awsError(StsException.class, "ValidationError", 400, () -> assume(frank, role, 43201));
  }

  @Test
  void aRoleSessionAssumingAnotherRoleIsLimitedToOneHour() {
    String first = createRole("ar-chain-first", "arn:aws:iam::" + account + ":root", 43200, ALLOW_ASSUME);
    String second = createRole("ar-chain-second", roleArn("ar-chain-first"), 43200, null);
    AwsBasicCredentials gina = newUser("ar-gina", ALLOW_ASSUME);
    AwsSessionCredentials firstSession = TestingServer.session(assume(gina, first, 43200).credentials());

    assertThat(assume(firstSession, second, 3600).assumedRoleUser().arn()).contains("ar-chain-second");
    StsException refused = awsError(StsException.class, "ValidationError", 400, () -> assume(firstSession, second, 3601));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("chaining");
  }

  @Test
  void sessionCredentialsExpireWithTheSession() {
    AwsBasicCredentials hank = newUser("ar-hank", ALLOW_ASSUME);
    String role = createRole("ar-expiring", "arn:aws:iam::" + account + ":root", null, ALLOW_LIST_USERS);
    AwsSessionCredentials session = TestingServer.session(assume(hank, role, 900).credentials());
    IamClient iam = wharf.iam(session);
    StsClient sts = wharf.sts(session);
    TestingSigner.Request raw = wharf.signer().form("Action=GetCallerIdentity&Version=2011-06-15");

    clock.advance(Duration.ofSeconds(899));
    assertThat(iam.listUsers().users()).isNotEmpty();
    assertThat(raw.signed(session, "sts").status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(1));
    awsError(IamException.class, "ExpiredToken", 403, iam::listUsers);
    awsError(StsException.class, "ExpiredToken", 403, sts::getCallerIdentity);
    TestingSigner.Response expired = raw.signed(session, "sts");
    assertThat(expired.status()).isEqualTo(403);
    assertThat(expired.error().code()).isEqualTo("ExpiredToken");
    assertThat(expired.error().message()).isEqualTo("The security token included in the request is expired");
  }

  @Test
  void deletingTheRoleEndsItsSessions() {
    AwsBasicCredentials ivy = newUser("ar-ivy", ALLOW_ASSUME);
    String role = createRole("ar-deleted", "arn:aws:iam::" + account + ":root", null, null);
    StsClient session = wharf.sts(TestingServer.session(assume(ivy, role, null).credentials()));
    session.getCallerIdentity();

    rootIam.deleteRole(b -> b.roleName("ar-deleted"));
    awsError(StsException.class, "InvalidClientTokenId", 403, session::getCallerIdentity);

    createRole("ar-deleted", "arn:aws:iam::" + account + ":root", null, null);
    awsError(StsException.class, "InvalidClientTokenId", 403, session::getCallerIdentity);
  }

  @Test
  void aDenyOnTokenIssueTimeRevokesOlderSessionsWhileNewOnesWork() {
    AwsBasicCredentials jack = newUser("ar-jack", ALLOW_ASSUME);
    String role = createRole("ar-revoked", "arn:aws:iam::" + account + ":root", null, ALLOW_LIST_USERS);
    AwsSessionCredentials older = TestingServer.session(assume(jack, role, null).credentials());
    IamClient olderIam = wharf.iam(older);
    olderIam.listUsers();

    clock.advance(Duration.ofSeconds(10));
    String revokedBefore = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    rootIam.putRolePolicy(b -> b.roleName("ar-revoked").policyName("AWSRevokeOlderSessions").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + revokedBefore + "\"}}}]}"));
    clock.advance(Duration.ofSeconds(1));

    awsError(IamException.class, "AccessDenied", 403, olderIam::listUsers);
    assertThat(wharf.sts(older).getCallerIdentity().arn()).contains("ar-revoked");
    IamClient newerIam = wharf.iam(TestingServer.session(assume(jack, role, null).credentials()));
    assertThat(newerIam.listUsers().users()).isNotEmpty();
  }

  @Test
  void unsupportedAssumeRoleParametersAreRefusedRatherThanIgnored() {
    AwsBasicCredentials kate = newUser("ar-kate", ALLOW_ASSUME);
    String role = createRole("ar-scoped", "arn:aws:iam::" + account + ":root", null, null);
    StsException refused = awsError(StsException.class, "ValidationError", 400, () -> wharf.sts(kate).assumeRole(
        AssumeRoleRequest.builder().roleArn(role).roleSessionName("scoped").serialNumber("arn:aws:iam::" + account
            + ":mfa/kate").tokenCode("123456").build()));
    assertThat(refused.awsErrorDetails().errorMessage()).containsAnyOf("SerialNumber", "TokenCode");
  }
}
