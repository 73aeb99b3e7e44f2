package dev.wharf.token.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.GetAuthorizationTokenResponse;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * GetAuthorizationToken through the AWS SDK for Java v2 and the real aws CLI: the durations AWS
 * accepts (0 only for role sessions, 900..43200, 12 hours by default) and the two permissions it
 * needs ({@code codeartifact:GetAuthorizationToken} and {@code sts:GetServiceBearerToken}). The
 * server's clock stands still, so expirations are exact.
 */
class AuthorizationTokenSdkIT {
  static final String BOTH = policy("\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\"", null);

  @TempDir static Path scratch;
  static TestingClock clock = TestingClock.startingNow();
  static TestingServer wharf;
  static IamClient rootIam;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), clock, Map.of());
    rootIam = wharf.iam(wharf.rootCredentials());
    account = wharf.managementAccountId();
    wharf.codeartifact(wharf.rootCredentials()).createDomain(b -> b.domain("tokens"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String policy(String actions, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions + "],\"Resource\":\"*\""
        + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  private static AwsBasicCredentials newUser(String name, String... policies) {
    rootIam.createUser(b -> b.userName(name));
    for (int i = 0; i < policies.length; i++) {
      String document = policies[i];
      String policyName = "p" + i;
      rootIam.putUserPolicy(b -> b.userName(name).policyName(policyName).policyDocument(document));
    }
    AccessKey key = rootIam.createAccessKey(b -> b.userName(name)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  private static Credentials roleSession(String roleName, int durationSeconds) {
    rootIam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account
            + ":root\"},\"Action\":\"sts:AssumeRole\"}]}"));
    rootIam.putRolePolicy(b -> b.roleName(roleName).policyName("tokens").policyDocument(BOTH));
    AwsBasicCredentials assumer = newUser(roleName + "-assumer", policy("\"sts:AssumeRole\"", null));
    return wharf.sts(assumer).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/" + roleName)
        .roleSessionName("session").durationSeconds(durationSeconds)).credentials();
  }

  private static GetAuthorizationTokenResponse token(AwsCredentials caller, Long durationSeconds) {
    return wharf.codeartifact(caller).getAuthorizationToken(b -> b.domain("tokens").domainOwner(account)
        .durationSeconds(durationSeconds));
  }

  // ---------------------------------------------------------------- durations

  @Test
  void aTokenLastsTwelveHoursByDefaultAndAnyDurationFrom900To43200Seconds() {
    AwsBasicCredentials user = newUser("gat-durations", BOTH);
    Instant now = clock.instant();

    assertThat(token(user, null).expiration()).isEqualTo(now.plusSeconds(43200));
    assertThat(token(user, 900L).expiration()).isEqualTo(now.plusSeconds(900));
    assertThat(token(user, 43200L).expiration()).isEqualTo(now.plusSeconds(43200));
    assertThat(token(user, 3600L).expiration()).isEqualTo(now.plusSeconds(3600));
  }

  @Test
  void durationsOutside900To43200AreValidationErrors() {
    AwsBasicCredentials user = newUser("gat-bounds", BOTH);
    for (long seconds : new long[] {899, 43201, 1, -1}) {
      ValidationException refused = awsError(ValidationException.class, "ValidationException", 400, () -> token(user, seconds));
      assertThat(refused.awsErrorDetails().errorMessage()).as("%s", seconds).contains("durationSeconds");
    }
  }

  @Test
  void aDurationOfZeroIsRefusedForLongTermKeys() {
    AwsBasicCredentials user = newUser("gat-zero-user", BOTH);
    awsError(ValidationException.class, "ValidationException", 400, () -> token(user, 0L));
    awsError(ValidationException.class, "ValidationException", 400, () -> token(wharf.rootCredentials(), 0L));
  }

  @Test
  void aDurationOfZeroWithARoleSessionExpiresExactlyWithTheSession() {
    Credentials session = roleSession("gat-zero-role", 3600);
    clock.advance(Duration.ofSeconds(5));

    GetAuthorizationTokenResponse token = token(TestingServer.session(session), 0L);

    assertThat(token.expiration()).isEqualTo(session.expiration());
  }

  @Test
  void aFifteenMinuteRoleSessionAskingForTheDefaultGetsATwelveHourToken() {
    AwsSessionCredentials session = TestingServer.session(roleSession("gat-short-role", 900));
    Instant now = clock.instant();

    assertThat(token(session, null).expiration()).isEqualTo(now.plusSeconds(43200));
  }

  // ---------------------------------------------------------------- permissions

  @Test
  void aUserWithoutGetAuthorizationTokenIsDenied() {
    AwsBasicCredentials user = newUser("gat-no-permission", policy("\"sts:GetServiceBearerToken\"", null));
    AccessDeniedException denied = awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> token(user, null));
    assertThat(denied.awsErrorDetails().errorMessage()).contains("codeartifact:GetAuthorizationToken").contains("gat-no-permission");
  }

  @Test
  void aUserWithGetAuthorizationTokenButWithoutGetServiceBearerTokenIsDenied() {
    AwsBasicCredentials user = newUser("gat-no-bearer", policy("\"codeartifact:GetAuthorizationToken\"", null));
    AccessDeniedException denied = awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> token(user, null));
    assertThat(denied.awsErrorDetails().errorMessage()).contains("sts:GetServiceBearerToken");
  }

  @Test
  void aUserWithBothPermissionsGetsAToken() {
    AwsBasicCredentials user = newUser("gat-both", BOTH);
    String token = token(user, null).authorizationToken();
    assertThat(token).matches("[A-Za-z0-9._-]+").hasSizeLessThanOrEqualTo(2000);
  }

  @Test
  void aBearerTokenAllowConditionedOnTheCodeArtifactServiceNameWorksAndOnAnotherServiceDoesNot() {
    AwsBasicCredentials forCodeArtifact = newUser("gat-conditioned", policy("\"codeartifact:GetAuthorizationToken\"", null),
        policy("\"sts:GetServiceBearerToken\"", "{\"StringEquals\":{\"sts:AWSServiceName\":\"codeartifact.amazonaws.com\"}}"));
    AwsBasicCredentials forOther = newUser("gat-other-service", policy("\"codeartifact:GetAuthorizationToken\"", null),
        policy("\"sts:GetServiceBearerToken\"", "{\"StringEquals\":{\"sts:AWSServiceName\":\"other.amazonaws.com\"}}"));

    assertThat(token(forCodeArtifact, 900L).authorizationToken()).isNotBlank();
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> token(forOther, 900L));
  }

  @Test
  void aMissingDomainIsResourceNotFoundForAnAllowedCaller() {
    AwsBasicCredentials user = newUser("gat-missing-domain", BOTH);
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404,
        () -> wharf.codeartifact(user).getAuthorizationToken(b -> b.domain("no-such-domain")));
  }

  // ---------------------------------------------------------------- the real aws CLI

  @Test
  void theAwsCliPrintsTheTokenAloneWithQueryAndTextOutput() {
    AwsBasicCredentials user = newUser("gat-cli", BOTH);
    TestingAwsCli aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(user.accessKeyId(), user.secretAccessKey());

    TestingAwsCli.Result result = aws.run("codeartifact", "get-authorization-token", "--domain", "tokens", "--domain-owner",
        account, "--query", "authorizationToken", "--output", "text");

    assertThat(result.exitCode()).as(result.describe()).isZero();
    String token = result.stdout().strip();
    assertThat(result.stdout()).isEqualTo(token + "\n");
    assertThat(token).matches("[A-Za-z0-9._-]+").hasSizeLessThanOrEqualTo(2000);
    assertThat(token.substring(0, token.indexOf('.'))).isEqualTo(wharf.server().tokens().currentKeyId());

    TestingAwsCli.Result denied = aws.run("codeartifact", "get-authorization-token", "--domain", "tokens",
        "--duration-seconds", "0");
    assertThat(denied.exitCode()).as(denied.describe()).isEqualTo(255);
    assertThat(denied.stderr()).contains("ValidationException");
  }
}
