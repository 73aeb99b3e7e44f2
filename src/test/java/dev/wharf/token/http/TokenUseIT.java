package dev.wharf.token.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * What a token means at the repository endpoint, used with java.net.http as a package client
 * would: it acts as its principal under the policies as they are at each request; deleting the
 * principal, a "revoke older sessions" policy, Wharf's own revocation and key retirement end it;
 * tampered, truncated, expired and misplaced tokens all get the same 401; and every use is audited
 * without the token itself. The server's clock moves only when a test moves it.
 */
class TokenUseIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String INVALID = "{\"error\":\"" + dev.wharf.token.InvalidTokenException.MESSAGE + "\"}";
  private static final String READER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"],"
      + "\"Resource\":\"*\"}]}";
  private static final String DENY_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingClock clock = TestingClock.startingNow();
  static TestingServer wharf;
  static IamClient rootIam;
  static CodeartifactClient rootCodeartifact;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), clock, Map.of());
    rootIam = wharf.iam(wharf.rootCredentials());
    rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    for (String domain : List.of("acme", "other")) {
      rootCodeartifact.createDomain(b -> b.domain(domain));
      rootCodeartifact.createRepository(b -> b.domain(domain).repository("app"));
    }
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static AwsBasicCredentials newUser(String name) {
    rootIam.createUser(b -> b.userName(name));
    rootIam.putUserPolicy(b -> b.userName(name).policyName("reader").policyDocument(READER));
    AccessKey key = rootIam.createAccessKey(b -> b.userName(name)).accessKey();
    return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  private static String userArn(String name) {
    return "arn:aws:iam::" + account + ":user/" + name;
  }

  private static String token(AwsCredentials caller, String domain, Long durationSeconds) {
    return wharf.codeartifact(caller).getAuthorizationToken(b -> b.domain(domain).domainOwner(account)
        .durationSeconds(durationSeconds)).authorizationToken();
  }

  private static String token(AwsCredentials caller) {
    return token(caller, "acme", null);
  }

  private static URI endpoint(String domain, String repository) {
    return URI.create(rootCodeartifact.getRepositoryEndpoint(b -> b.domain(domain).repository(repository).format("npm"))
        .repositoryEndpoint());
  }

  private static HttpResponse<String> get(URI uri, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GET of acme/app with {@code Authorization: Bearer <token>}. */
  private static HttpResponse<String> read(String token) {
    return get(endpoint("acme", "app"), "Bearer " + token);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  private static void assertAllowed(HttpResponse<String> response, String principalArn) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).path("principal").asText()).isEqualTo(principalArn);
    assertThat(json(response).path("read").asText()).isEqualTo("allowed");
  }

  private static void assertInvalid(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    assertThat(response.body()).isEqualTo(INVALID);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");
  }

  private static TestingSigner.Response wharfAction(String form) {
    TestingSigner.Response response = wharf.signer().form("Version=2026-11-25&" + form).signed(wharf.rootCredentials(), "wharf");
    assertThat(response.status()).as(form + " -> " + response.body()).isEqualTo(200);
    return response;
  }

  private static String tokenId(String token) {
    return json(read(token)).path("tokenId").asText();
  }

  // ---------------------------------------------------------------- policies as they are now

  @Test
  void aUsersTokenFollowsTheUsersPoliciesAtEachRequest() {
    AwsBasicCredentials user = newUser("use-deny");
    String token = token(user);
    assertAllowed(read(token), userArn("use-deny"));

    rootIam.putUserPolicy(b -> b.userName("use-deny").policyName("deny").policyDocument(DENY_READ));
    HttpResponse<String> denied = read(token);
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
    assertThat(json(denied).path("error").asText()).contains(userArn("use-deny")).contains("codeartifact:ReadFromRepository");

    rootIam.deleteUserPolicy(b -> b.userName("use-deny").policyName("deny"));
    assertAllowed(read(token), userArn("use-deny"));
  }

  @Test
  void aDenyConditionedOnResourceTagsAppliesToTheTaggedRepositoryAndDomainOnly() {
    rootCodeartifact.createDomain(b -> b.domain("tagged"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("vault"));
    AwsBasicCredentials user = newUser("use-tags");
    rootIam.putUserPolicy(b -> b.userName("use-tags").policyName("describe").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:Describe*\","
            + "\"Resource\":\"*\"}]}"));
    rootIam.putUserPolicy(b -> b.userName("use-tags").policyName("protected").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"codeartifact:*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/protected\":\"true\"}}}]}"));
    String token = token(user);
    URI vault = endpoint("acme", "vault");
    assertAllowed(get(vault, "Bearer " + token), userArn("use-tags"));
    CodeartifactClient codeartifact = wharf.codeartifact(user);
    String vaultArn = codeartifact.describeRepository(b -> b.domain("acme").domainOwner(account).repository("vault"))
        .repository().arn();
    Tag protectedTag = Tag.builder().key("protected").value("true").build();

    rootCodeartifact.tagResource(b -> b.resourceArn(vaultArn).tags(protectedTag));
    HttpResponse<String> denied = get(vault, "Bearer " + token);
    assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> codeartifact.describeRepository(b -> b.domain("acme").domainOwner(account).repository("vault")));
    assertAllowed(get(endpoint("acme", "app"), "Bearer " + token), userArn("use-tags"));
    codeartifact.describeRepository(b -> b.domain("acme").domainOwner(account).repository("app"));

    String domainArn = rootCodeartifact.describeDomain(b -> b.domain("tagged")).domain().arn();
    token(user, "tagged", null);
    rootCodeartifact.tagResource(b -> b.resourceArn(domainArn).tags(protectedTag));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> token(user, "tagged", null));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403,
        () -> codeartifact.describeDomain(b -> b.domain("tagged").domainOwner(account)));

    rootCodeartifact.untagResource(b -> b.resourceArn(vaultArn).tagKeys("protected"));
    assertAllowed(get(vault, "Bearer " + token), userArn("use-tags"));
  }

  @Test
  void aTokenWhosePrincipalMayNotReadGets403AndAMissingRepository404() {
    rootIam.createUser(b -> b.userName("use-no-read"));
    rootIam.putUserPolicy(b -> b.userName("use-no-read").policyName("p").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"codeartifact:GetAuthorizationToken\","
            + "\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}"));
    AccessKey key = rootIam.createAccessKey(b -> b.userName("use-no-read")).accessKey();
    String cannotRead = token(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    assertThat(read(cannotRead).statusCode()).isEqualTo(403);

    String reader = token(newUser("use-missing-repo"));
    URI missing = URI.create(endpoint("acme", "app").toString().replace("/app/", "/no-such-repo/"));
    HttpResponse<String> response = get(missing, "Bearer " + reader);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
  }

  @Test
  void deletingTheUserEndsItsTokens() {
    AwsBasicCredentials user = newUser("use-deleted");
    String token = token(user);
    assertAllowed(read(token), userArn("use-deleted"));

    rootIam.deleteAccessKey(b -> b.userName("use-deleted").accessKeyId(user.accessKeyId()));
    rootIam.deleteUserPolicy(b -> b.userName("use-deleted").policyName("reader"));
    rootIam.deleteUser(b -> b.userName("use-deleted"));
    assertInvalid(read(token));

    rootIam.createUser(b -> b.userName("use-deleted"));
    rootIam.putUserPolicy(b -> b.userName("use-deleted").policyName("reader").policyDocument(READER));
    assertInvalid(read(token));
  }

  @Test
  void deletingOnlyTheAccessKeyThatWasUsedKeepsTheTokenWorking() {
    AwsBasicCredentials user = newUser("use-key-deleted");
    String token = token(user);

    rootIam.deleteAccessKey(b -> b.userName("use-key-deleted").accessKeyId(user.accessKeyId()));

    assertAllowed(read(token), userArn("use-key-deleted"));
  }

  @Test
  void aRevokeOlderSessionsPolicyCutsOffTokensOfOlderRoleSessionsWhileANewSessionsTokenWorks() {
    rootIam.createRole(b -> b.roleName("use-revoked-role").assumeRolePolicyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + userArn("use-assumer")
            + "\"},\"Action\":\"sts:AssumeRole\"}]}"));
    rootIam.putRolePolicy(b -> b.roleName("use-revoked-role").policyName("reader").policyDocument(READER));
    AwsBasicCredentials assumer = newUser("use-assumer");
    String roleArn = "arn:aws:iam::" + account + ":role/use-revoked-role";
    String sessionArn = "arn:aws:sts::" + account + ":assumed-role/use-revoked-role/session";
    String older = token(TestingServer.session(wharf.sts(assumer).assumeRole(b -> b.roleArn(roleArn).roleSessionName("session"))
        .credentials()));
    assertAllowed(read(older), sessionArn);

    clock.advance(Duration.ofSeconds(10));
    String revokedBefore = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    rootIam.putRolePolicy(b -> b.roleName("use-revoked-role").policyName("AWSRevokeOlderSessions").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
            + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + revokedBefore + "\"}}}]}"));
    clock.advance(Duration.ofSeconds(1));

    assertThat(read(older).statusCode()).isEqualTo(403);
    String newer = token(TestingServer.session(wharf.sts(assumer).assumeRole(b -> b.roleArn(roleArn).roleSessionName("session"))
        .credentials()));
    assertAllowed(read(newer), sessionArn);
  }

  private static software.amazon.awssdk.services.sts.model.Credentials assumeReaderRole(String roleName, int durationSeconds) {
    AwsBasicCredentials assumer = newUser(roleName + "-assumer");
    rootIam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + userArn(roleName + "-assumer")
            + "\"},\"Action\":\"sts:AssumeRole\"}]}"));
    rootIam.putRolePolicy(b -> b.roleName(roleName).policyName("reader").policyDocument(READER));
    return wharf.sts(assumer).assumeRole(b -> b.roleArn("arn:aws:iam::" + account + ":role/" + roleName)
        .roleSessionName("session").durationSeconds(durationSeconds)).credentials();
  }

  @Test
  void aTokenAskedForWithDurationZeroStopsExactlyWhenTheRoleSessionEnds() {
    var session = assumeReaderRole("use-zero-role", 900);
    String token = token(TestingServer.session(session), "acme", 0L);
    String sessionArn = "arn:aws:sts::" + account + ":assumed-role/use-zero-role/session";

    clock.advance(Duration.between(clock.instant(), session.expiration()).minusSeconds(1));
    assertAllowed(read(token), sessionArn);
    clock.advance(Duration.ofSeconds(1));
    assertInvalid(read(token));
  }

  @Test
  void aDefaultTokenOfARoleSessionOutlivesTheSessionButNotTheRole() {
    var session = assumeReaderRole("use-deleted-role", 900);
    String token = token(TestingServer.session(session));
    String sessionArn = "arn:aws:sts::" + account + ":assumed-role/use-deleted-role/session";

    clock.advance(Duration.ofSeconds(901));
    assertAllowed(read(token), sessionArn);

    rootIam.deleteRolePolicy(b -> b.roleName("use-deleted-role").policyName("reader"));
    rootIam.deleteRole(b -> b.roleName("use-deleted-role"));
    assertInvalid(read(token));
  }

  // ---------------------------------------------------------------- root, revocation and keys

  @Test
  void aRootTokenIgnoresADenyAimedAtAnotherPrincipalAndStopsWhenRevoked() {
    AwsBasicCredentials user = newUser("use-denied-by-repo");
    String userToken = token(user);
    String rootToken = token(wharf.rootCredentials());
    rootCodeartifact.putRepositoryPermissionsPolicy(b -> b.domain("acme").repository("app").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + userArn("use-denied-by-repo")
            + "\"},\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}"));
    try {
      assertThat(read(userToken).statusCode()).isEqualTo(403);
      assertAllowed(read(rootToken), "arn:aws:iam::" + account + ":root");

      String id = tokenId(rootToken);
      TestingSigner.Response revoked = wharfAction("Action=RevokeAuthorizationToken&TokenId=" + id);
      assertThat(revoked.xmlText("TokenId")).hasValue(id);
      assertInvalid(read(rootToken));
      TestingSigner.Response again = wharf.signer().form("Version=2026-11-25&Action=RevokeAuthorizationToken&TokenId=" + id)
          .signed(wharf.rootCredentials(), "wharf");
      assertThat(again.status()).as(again.body()).isEqualTo(409);
      assertThat(wharfAction("Action=ListAuthorizationTokens").members("TokenId"))
          .as("a revoked token is no longer listed").extracting(t -> t.get("TokenId")).doesNotContain(id);
      assertAllowed(read(token(wharf.rootCredentials())), "arn:aws:iam::" + account + ":root");
    } finally {
      rootCodeartifact.deleteRepositoryPermissionsPolicy(b -> b.domain("acme").repository("app"));
    }
  }

  @Test
  void rotatingTheKeyKeepsOldTokensAndRetiringTheOldKeyEndsThem() {
    AwsBasicCredentials user = newUser("use-rotation");
    String old = token(user);
    String oldKey = old.substring(0, old.indexOf('.'));

    String newKey = wharfAction("Action=RotateTokenKey").xmlText("KeyId").orElseThrow();
    assertThat(newKey).isNotEqualTo(oldKey);
    assertAllowed(read(old), userArn("use-rotation"));
    String fresh = token(user);
    assertThat(fresh).startsWith(newKey + ".");

    wharfAction("Action=RetireTokenKey&KeyId=" + oldKey);
    assertInvalid(read(old));
    assertAllowed(read(fresh), userArn("use-rotation"));
    assertAllowed(read(token(user)), userArn("use-rotation"));
  }

  @Test
  void listingTokensShowsIdsPrincipalsAndDomainsButNeverATokenItself() {
    AwsBasicCredentials user = newUser("use-listed");
    String token = token(user);
    String id = tokenId(token);

    TestingSigner.Response listed = wharfAction("Action=ListAuthorizationTokens");

    List<Map<String, String>> tokens = listed.members("TokenId", "Principal", "Domain", "DomainOwner", "LastUsedAt");
    assertThat(tokens).anySatisfy(t -> {
      assertThat(t.get("TokenId")).isEqualTo(id);
      assertThat(t.get("LastUsedAt")).as("last used").isNotBlank();
      assertThat(t.get("Principal")).isEqualTo(userArn("use-listed"));
      assertThat(t.get("Domain")).isEqualTo("acme");
      assertThat(t.get("DomainOwner")).isEqualTo(account);
    });
    assertThat(listed.body()).doesNotContain(token).doesNotContain(token.substring(token.indexOf('.') + 1, token.indexOf('.') + 40));
  }

  // ---------------------------------------------------------------- invalid tokens

  @Test
  void tamperedTruncatedAndExpiredTokensAllGetTheSame401() {
    AwsBasicCredentials user = newUser("use-invalid");
    String token = token(user, "acme", 900L);
    int middle = token.length() / 2;
    char flipped = token.charAt(middle) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, middle) + flipped + token.substring(middle + 1);
    int nearEnd = token.length() - 2;
    String nearEndFlipped = token.substring(0, nearEnd) + (token.charAt(nearEnd) == 'A' ? 'B' : 'A') + token.substring(nearEnd + 1);

    assertInvalid(read(tampered));
    assertInvalid(read(nearEndFlipped));
    assertInvalid(read(token.substring(0, token.length() - 10)));
    assertInvalid(read(token.substring(0, token.indexOf('.'))));
    assertInvalid(read("not-a-token"));
    assertInvalid(read("x".repeat(3000)));

    clock.advance(Duration.ofSeconds(899));
    assertAllowed(read(token), userArn("use-invalid"));
    clock.advance(Duration.ofSeconds(1));
    assertInvalid(read(token));
  }

  @Test
  void aTokenForOneDomainIsInvalidOnAnotherDomainsRepository() {
    AwsBasicCredentials user = newUser("use-other-domain");
    String forAcme = token(user, "acme", null);
    String forOther = token(user, "other", null);

    assertInvalid(get(endpoint("other", "app"), "Bearer " + forAcme));
    assertAllowed(get(endpoint("other", "app"), "Bearer " + forOther), userArn("use-other-domain"));
  }

  @Test
  void basicAwsWithTheTokenWorksLikeBearerAndAnyOtherUserNameIs401() {
    AwsBasicCredentials user = newUser("use-basic");
    String token = token(user);

    assertAllowed(get(endpoint("acme", "app"), basic("aws", token)), userArn("use-basic"));
    for (String authorization : List.of(basic("alice", token), basic("AWS", token), basic("aws", ""), "Token " + token)) {
      HttpResponse<String> refused = get(endpoint("acme", "app"), authorization);
      assertThat(refused.statusCode()).as(authorization).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");
    }
    HttpResponse<String> none = get(endpoint("acme", "app"), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");
  }

  // ---------------------------------------------------------------- audit

  @Test
  void deniedAndAllowedTokenUsesAreAuditedWithTheTokenIdButNeverTheToken() {
    AwsBasicCredentials user = newUser("use-audited");
    String token = token(user);
    String id = tokenId(token);
    rootIam.putUserPolicy(b -> b.userName("use-audited").policyName("deny").policyDocument(DENY_READ));
    assertThat(read(token).statusCode()).isEqualTo(403);
    rootIam.deleteUserPolicy(b -> b.userName("use-audited").policyName("deny"));
    assertAllowed(read(token), userArn("use-audited"));

    String form = "Action=LookupAuditEvents&EventAction=codeartifact%3AReadFromRepository&PrincipalArn="
        + java.net.URLEncoder.encode(userArn("use-audited"), StandardCharsets.UTF_8);
    Instant deadline = Instant.now().plusSeconds(10);
    List<Map<String, String>> events;
    TestingSigner.Response response;
    do {
      response = wharfAction(form);
      events = response.members("Outcome", "Principal", "Action", "TokenId", "Resource");
    } while (events.stream().map(e -> e.get("Outcome")).distinct().count() < 2 && Instant.now().isBefore(deadline));

    assertThat(events).extracting(e -> e.get("Outcome")).contains("denied", "allowed");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.get("Principal")).isEqualTo(userArn("use-audited"));
      assertThat(e.get("Action")).isEqualTo("codeartifact:ReadFromRepository");
      assertThat(e.get("TokenId")).isEqualTo(id);
      assertThat(e.get("Resource")).isEqualTo("arn:aws:codeartifact:us-east-1:" + account + ":repository/acme/app");
    });
    assertThat(response.body()).doesNotContain(token).doesNotContain(token.substring(token.indexOf('.') + 1));
  }
}
