package dev.wharf.identity.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetFederationTokenResponse;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Temporary credentials beyond a plain AssumeRole, through the AWS SDK for Java v2: session policies
 * (inline and managed) that bound a role session and every CodeArtifact token it asks for, session
 * tags and transitive tags in conditions, source identity, GetSessionToken and GetFederationToken, and
 * STS's validation of each.
 */
class StsSessionsSdkIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String READER = policy("Allow", "[\"codeartifact:GetAuthorizationToken\","
      + "\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\",\"codeartifact:ListRepositories\","
      + "\"iam:ListUsers\"]", null);
  private static final String TOKEN_ONLY = policy("Allow", "[\"codeartifact:GetAuthorizationToken\","
      + "\"sts:GetServiceBearerToken\"]", null);

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
    CodeartifactClient root = wharf.codeartifact(wharf.rootCredentials());
    root.createDomain(b -> b.domain("acme"));
    root.createRepository(b -> b.domain("acme").repository("app"));
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static String policy(String effect, String actions, String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":" + actions
        + ",\"Resource\":\"*\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}]}";
  }

  /** A role trusted by a new user (who may assume it), with the reader policy; the trust may allow more actions. */
  private static AwsBasicCredentials roleAndAssumer(String role, String trustedActions) {
    AwsBasicCredentials assumer = TestingIam.user(rootIam, role + "-assumer", "p",
        policy("Allow", "[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]", null));
    rootIam.createRole(b -> b.roleName(role).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{"
        + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":user/" + role + "-assumer\"},"
        + "\"Action\":" + trustedActions + "}]}"));
    rootIam.putRolePolicy(b -> b.roleName(role).policyName("reader").policyDocument(READER));
    return assumer;
  }

  private static String roleArn(String role) {
    return "arn:aws:iam::" + account + ":role/" + role;
  }

  private static AssumeRoleResponse assume(AwsCredentials caller, String role, Consumer<AssumeRoleRequest.Builder> more) {
    return wharf.sts(caller).assumeRole(b -> {
      b.roleArn(roleArn(role)).roleSessionName("s1");
      more.accept(b);
    });
  }

  private static int readStatus(AwsCredentials caller) {
    String token = wharf.codeartifact(caller).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
    URI endpoint = URI.create(wharf.codeartifact(wharf.rootCredentials()).getRepositoryEndpoint(
        b -> b.domain("acme").repository("app").format("npm")).repositoryEndpoint());
    try {
      return HTTP.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token).GET().build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  // ---------------------------------------------------------------- session policies

  @Test
  void aSessionPolicyBoundsTheRoleSessionAndEveryTokenItAsksFor() {
    AwsBasicCredentials assumer = roleAndAssumer("sp-inline", "\"sts:AssumeRole\"");
    AwsSessionCredentials full = TestingServer.session(assume(assumer, "sp-inline", b -> { }).credentials());
    AssumeRoleResponse limitedResponse = assume(assumer, "sp-inline", b -> b.policy(TOKEN_ONLY));
    AwsSessionCredentials limited = TestingServer.session(limitedResponse.credentials());

    assertThat(limitedResponse.packedPolicySize()).isBetween(1, 100);
    assertThat(readStatus(full)).isEqualTo(200);
    // The session policy allows asking for a token, but the token can read no more than the session could.
    assertThat(readStatus(limited)).isEqualTo(403);
    awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(limited).listUsers());
    assertThat(wharf.iam(full).listUsers().users()).isNotEmpty();
  }

  @Test
  void aSessionPolicyGrantsNothingTheRoleDoesNotHaveAndItsDenyWins() {
    AwsBasicCredentials assumer = roleAndAssumer("sp-widen", "\"sts:AssumeRole\"");
    AwsSessionCredentials widened = TestingServer.session(assume(assumer, "sp-widen",
        b -> b.policy(policy("Allow", "\"*\"", null))).credentials());
    assertThat(readStatus(widened)).isEqualTo(200);
    awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(widened).listRoles());

    AwsSessionCredentials denied = TestingServer.session(assume(assumer, "sp-widen", b -> b.policy(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"iam:ListUsers\",\"Resource\":\"*\"}]}")).credentials());
    assertThat(readStatus(denied)).isEqualTo(200);
    awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(denied).listUsers());
  }

  @Test
  void aManagedSessionPolicyBoundsTheSessionAtItsCurrentDocumentAndAMissingOneIsRefused() {
    AwsBasicCredentials assumer = roleAndAssumer("sp-managed", "\"sts:AssumeRole\"");
    String arn = rootIam.createPolicy(b -> b.policyName("sp-token-only").policyDocument(TOKEN_ONLY)).policy().arn();
    AwsSessionCredentials limited = TestingServer.session(assume(assumer, "sp-managed",
        b -> b.policyArns(p -> p.arn(arn))).credentials());
    assertThat(readStatus(limited)).isEqualTo(403);
    awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(limited).listUsers());

    awsError(StsException.class, "ValidationError", 400, () -> assume(assumer, "sp-managed",
        b -> b.policyArns(p -> p.arn("arn:aws:iam::" + account + ":policy/sp-missing"))));
  }

  @Test
  void malformedOrOversizedSessionPoliciesAreRefusedWithStsErrors() {
    AwsBasicCredentials assumer = roleAndAssumer("sp-bad", "\"sts:AssumeRole\"");
    awsError(StsException.class, "MalformedPolicyDocument", 400,
        () -> assume(assumer, "sp-bad", b -> b.policy("{\"Statement\":[{\"Effect\":\"Maybe\"}]}")));
    awsError(StsException.class, "MalformedPolicyDocument", 400, () -> assume(assumer, "sp-bad", b -> b.policy("not json")));
    String huge = policy("Allow", "[\"codeartifact:" + "A".repeat(2100) + "\"]", null);
    awsError(StsException.class, "ValidationError", 400, () -> assume(assumer, "sp-bad", b -> b.policy(huge)));
  }

  // ---------------------------------------------------------------- session tags and source identity

  @Test
  void sessionTagsDecidePrincipalTagConditionsAndNeedTagSessionInTheTrustPolicy() {
    AwsBasicCredentials assumer = roleAndAssumer("st-team", "[\"sts:AssumeRole\",\"sts:TagSession\"]");
    rootIam.putRolePolicy(b -> b.roleName("st-team").policyName("deny-other-teams").policyDocument(policy("Deny",
        "\"codeartifact:ReadFromRepository\"", "{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}")));

    AwsSessionCredentials blue = TestingServer.session(assume(assumer, "st-team",
        b -> b.tags(tag("team", "blue"))).credentials());
    AwsSessionCredentials red = TestingServer.session(assume(assumer, "st-team",
        b -> b.tags(tag("team", "red"))).credentials());
    assertThat(readStatus(blue)).isEqualTo(200);
    assertThat(readStatus(red)).isEqualTo(403);

    AwsBasicCredentials untrusted = roleAndAssumer("st-no-tagging", "\"sts:AssumeRole\"");
    StsException refused = awsError(StsException.class, "AccessDenied", 403,
        () -> assume(untrusted, "st-no-tagging", b -> b.tags(tag("team", "blue"))));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("sts:TagSession");
  }

  @Test
  void transitiveTagsAndTheSourceIdentityFollowARoleChainAndCannotBeChanged() {
    AwsBasicCredentials assumer = roleAndAssumer("st-first",
        "[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]");
    rootIam.putRolePolicy(b -> b.roleName("st-first").policyName("chain").policyDocument(policy("Allow",
        "[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]", null)));
    rootIam.createRole(b -> b.roleName("st-second").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + roleArn("st-first") + "\"},\"Action\":[\"sts:AssumeRole\","
        + "\"sts:TagSession\",\"sts:SetSourceIdentity\"]}]}"));
    rootIam.putRolePolicy(b -> b.roleName("st-second").policyName("reader").policyDocument(policy("Allow",
        "[\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"]",
        "{\"StringEquals\":{\"aws:PrincipalTag/project\":\"wharf\",\"aws:SourceIdentity\":\"alice\"}}")));

    AssumeRoleResponse first = assume(assumer, "st-first", b -> b.tags(tag("project", "wharf"), tag("stage", "dev"))
        .transitiveTagKeys("project").sourceIdentity("alice"));
    assertThat(first.sourceIdentity()).isEqualTo("alice");
    AwsSessionCredentials firstSession = TestingServer.session(first.credentials());

    AssumeRoleResponse second = assume(firstSession, "st-second", b -> { });
    assertThat(second.sourceIdentity()).isEqualTo("alice");
    assertThat(readStatus(TestingServer.session(second.credentials()))).isEqualTo(200);

    StsException overridden = awsError(StsException.class, "InvalidParameterValue", 400,
        () -> assume(firstSession, "st-second", b -> b.tags(tag("Project", "other"))));
    assertThat(overridden.awsErrorDetails().errorMessage()).contains("transitive");
    awsError(StsException.class, "AccessDenied", 403, () -> assume(firstSession, "st-second", b -> b.sourceIdentity("bob")));
  }

  @Test
  void aSourceIdentityNeedsSetSourceIdentityInTheTrustPolicy() {
    AwsBasicCredentials assumer = roleAndAssumer("st-no-source", "\"sts:AssumeRole\"");
    StsException refused = awsError(StsException.class, "AccessDenied", 403,
        () -> assume(assumer, "st-no-source", b -> b.sourceIdentity("alice")));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("sts:SetSourceIdentity");
  }

  @Test
  void badSessionTagsAreRefusedWithStsErrors() {
    AwsBasicCredentials assumer = roleAndAssumer("st-bad", "[\"sts:AssumeRole\",\"sts:TagSession\"]");
    Tag[] tooMany = new Tag[51];
    for (int i = 0; i < tooMany.length; i++) {
      tooMany[i] = tag("k" + i, "v");
    }
    awsError(StsException.class, "ValidationError", 400, () -> assume(assumer, "st-bad", b -> b.tags(tooMany)));
    awsError(StsException.class, "InvalidParameterValue", 400,
        () -> assume(assumer, "st-bad", b -> b.tags(tag("aws:team", "x"))));
    awsError(StsException.class, "InvalidParameterValue", 400,
        () -> assume(assumer, "st-bad", b -> b.tags(tag("team", "a"), tag("TEAM", "b"))));
    awsError(StsException.class, "InvalidParameterValue", 400,
        () -> assume(assumer, "st-bad", b -> b.tags(tag("team", "a")).transitiveTagKeys("stage")));
    awsError(StsException.class, "ValidationError", 400,
        () -> assume(assumer, "st-bad", b -> b.tags(tag("team", "semi;colon"))));
    awsError(StsException.class, "ValidationError", 400, () -> assume(assumer, "st-bad", b -> b.sourceIdentity("x")));
    Tag[] large = new Tag[50];
    for (int i = 0; i < large.length; i++) {
      large[i] = tag(random(96), random(192)); // base64 of random bytes: 128 and 256 characters that do not compress
    }
    awsError(StsException.class, "PackedPolicyTooLarge", 400, () -> assume(assumer, "st-bad", b -> b.tags(large)));
  }

  private static String random(int bytes) {
    byte[] noise = new byte[bytes];
    new java.security.SecureRandom().nextBytes(noise);
    return java.util.Base64.getEncoder().encodeToString(noise);
  }

  // ---------------------------------------------------------------- GetSessionToken and GetFederationToken

  @Test
  void getSessionTokenActsAsTheUserButMayNotCallIamOrAskAgain() {
    AwsBasicCredentials user = TestingIam.user(rootIam, "gst-user", "p", READER);
    var response = wharf.sts(user).getSessionToken(b -> b.durationSeconds(900));
    assertThat(response.credentials().expiration()).isEqualTo(clock.instant().plusSeconds(900));
    AwsSessionCredentials session = TestingServer.session(response.credentials());

    assertThat(wharf.sts(session).getCallerIdentity().arn()).isEqualTo("arn:aws:iam::" + account + ":user/gst-user");
    assertThat(readStatus(session)).isEqualTo(200);
    IamException iam = awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(session).listUsers());
    assertThat(iam.awsErrorDetails().errorMessage()).contains("GetSessionToken");
    awsError(StsException.class, "AccessDenied", 403, () -> wharf.sts(session).getSessionToken());
    awsError(StsException.class, "ValidationError", 400, () -> wharf.sts(user).getSessionToken(b -> b.durationSeconds(899)));
    awsError(StsException.class, "ValidationError", 400,
        () -> wharf.sts(user).getSessionToken(b -> b.durationSeconds(129601)));

    clock.advance(Duration.ofSeconds(900));
    awsError(StsException.class, "ExpiredToken", 403, () -> wharf.sts(session).getCallerIdentity());
  }

  @Test
  void aFederatedUserHasTheIntersectionOfTheUsersPoliciesAndItsSessionPolicy() {
    AwsBasicCredentials user = TestingIam.user(rootIam, "gft-user", "p", READER.replace("\"iam:ListUsers\"",
        "\"iam:ListUsers\",\"sts:GetFederationToken\""));
    GetFederationTokenResponse withPolicy = wharf.sts(user).getFederationToken(b -> b.name("bob").policy(policy("Allow",
        "[\"codeartifact:*\",\"sts:GetServiceBearerToken\"]", null)));
    assertThat(withPolicy.federatedUser().arn()).isEqualTo("arn:aws:sts::" + account + ":federated-user/bob");
    assertThat(withPolicy.federatedUser().federatedUserId()).isEqualTo(account + ":bob");
    assertThat(withPolicy.packedPolicySize()).isBetween(1, 100);
    AwsSessionCredentials bob = TestingServer.session(withPolicy.credentials());
    assertThat(wharf.sts(bob).getCallerIdentity().arn()).isEqualTo(withPolicy.federatedUser().arn());
    assertThat(readStatus(bob)).isEqualTo(200);
    // codeartifact:* in the session policy does not widen the user's own policies.
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> wharf.codeartifact(bob).createDomain(b -> b.domain("not-allowed")));

    AwsSessionCredentials nobody = TestingServer.session(wharf.sts(user).getFederationToken(b -> b.name("carol"))
        .credentials());
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> wharf.codeartifact(nobody).getAuthorizationToken(b -> b.domain("acme").domainOwner(account)));
    awsError(IamException.class, "AccessDenied", 403, () -> wharf.iam(bob).listUsers());
    awsError(StsException.class, "AccessDenied", 403, () -> wharf.sts(bob).getFederationToken(b -> b.name("again")));
  }

  @Test
  void getFederationTokenNeedsItsOwnPermissionAndAValidName() {
    AwsBasicCredentials user = TestingIam.user(rootIam, "gft-denied", "p", READER);
    StsException refused = awsError(StsException.class, "AccessDenied", 403,
        () -> wharf.sts(user).getFederationToken(b -> b.name("bob")));
    assertThat(refused.awsErrorDetails().errorMessage()).contains("sts:GetFederationToken")
        .contains("federated-user/bob");
    AwsBasicCredentials allowed = TestingIam.user(rootIam, "gft-allowed", "p",
        policy("Allow", "\"sts:GetFederationToken\"", null));
    awsError(StsException.class, "ValidationError", 400, () -> wharf.sts(allowed).getFederationToken(b -> b.name("x")));
    awsError(StsException.class, "ValidationError", 400,
        () -> wharf.sts(allowed).getFederationToken(b -> b.name("has space")));
    awsError(StsException.class, "MalformedPolicyDocument", 400,
        () -> wharf.sts(allowed).getFederationToken(b -> b.name("bob").policy("{}")));
    awsError(StsException.class, "AccessDenied", 403,
        () -> wharf.sts(wharf.rootCredentials()).getFederationToken(b -> b.name("bob")));
  }
}
