package dev.wharf.identity.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingOidcIssuer;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;

/**
 * Keyless CI, end to end: an OIDC provider registered with the real aws CLI, a role that trusts it
 * for one repository's main branch, and a job that holds nothing but an OIDC token file. The real
 * aws CLI (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ENDPOINT_URL) assumes the role by itself,
 * logs npm in, and npm publishes and installs; the SDK's web-identity provider works the same way.
 */
class WebIdentityCliIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final String MAIN = "repo:org/app:ref:refs/heads/main";
  private static final String PUBLISHER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:*\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingOidcIssuer issuer;
  static TestingAwsCli root;
  static String account;
  static String providerArn;
  static String roleArn;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    issuer = TestingOidcIssuer.start(scratch);
    account = wharf.managementAccountId();
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    providerArn = root.json("iam", "create-open-id-connect-provider", "--url", issuer.issuer(), "--client-id-list",
        AUDIENCE, "--thumbprint-list", issuer.thumbprint()).path("OpenIDConnectProviderArn").asText();
    CodeartifactClient codeartifact = wharf.codeartifact(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("app"));
    roleArn = root.json("iam", "create-role", "--role-name", "ci", "--assume-role-policy-document",
        trustPolicy("\"StringEquals\":{\"" + host() + ":aud\":\"" + AUDIENCE + "\"},\"StringLike\":{\"" + host()
            + ":sub\":\"repo:org/app:ref:refs/heads/main\"}")).path("Role").path("Arn").asText();
    root.json("iam", "put-role-policy", "--role-name", "ci", "--policy-name", "publish", "--policy-document", PUBLISHER);
  }

  @AfterAll
  static void stop() {
    if (issuer != null) {
      issuer.close();
    }
    if (wharf != null) {
      wharf.close();
    }
  }

  /** The issuer as IAM names it in ARNs and condition keys: host:port, without https://. */
  private static String host() {
    return issuer.issuer().substring("https://".length());
  }

  private static String trustPolicy(String conditions) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
        + providerArn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{" + conditions + "}}]}";
  }

  /** The CLI of a CI job: no key at all, an OIDC token file (ending in a newline, as CI systems write it). */
  private static TestingAwsCli job(String token) {
    Path tokenFile = TestingFiles.write(scratch.resolve("token-" + UUID.randomUUID()), token + "\n");
    return TestingAwsCli.at(wharf.endpoint(), scratch).withEnvironment(Map.of("AWS_ROLE_ARN", roleArn,
        "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(), "AWS_ROLE_SESSION_NAME", "job-42",
        "AWS_ENDPOINT_URL", wharf.endpoint().toString()));
  }

  private static String mainBranchToken() {
    return issuer.rsaToken(issuer.claims(MAIN, AUDIENCE).build());
  }

  private static TestingAwsCli.Result assumeDirectly(String token) {
    return TestingAwsCli.at(wharf.endpoint(), scratch).run("sts", "assume-role-with-web-identity", "--role-arn", roleArn,
        "--role-session-name", "job", "--web-identity-token", token);
  }

  @Test
  void theProviderIsManagedWithTheRealCli() {
    JsonNode provider = root.json("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", providerArn);
    assertThat(providerArn).isEqualTo("arn:aws:iam::" + account + ":oidc-provider/" + host());
    assertThat(provider.path("Url").asText()).isEqualTo(host());
    assertThat(provider.path("ClientIDList").toString()).isEqualTo("[\"" + AUDIENCE + "\"]");
    assertThat(provider.path("ThumbprintList").toString()).isEqualTo("[\"" + issuer.thumbprint() + "\"]");
    assertThat(root.json("iam", "list-open-id-connect-providers").path("OpenIDConnectProviderList").toString())
        .contains(providerArn);

    String other = root.json("iam", "create-open-id-connect-provider", "--url", "https://gitlab.example.com",
        "--client-id-list", "a", "--thumbprint-list", "0123456789abcdef0123456789abcdef01234567")
        .path("OpenIDConnectProviderArn").asText();
    assertThat(other).isEqualTo("arn:aws:iam::" + account + ":oidc-provider/gitlab.example.com");
    root.json("iam", "add-client-id-to-open-id-connect-provider", "--open-id-connect-provider-arn", other,
        "--client-id", "b");
    root.json("iam", "remove-client-id-from-open-id-connect-provider", "--open-id-connect-provider-arn", other,
        "--client-id", "a");
    root.json("iam", "update-open-id-connect-provider-thumbprint", "--open-id-connect-provider-arn", other,
        "--thumbprint-list", "fedcba9876543210fedcba9876543210fedcba98");
    JsonNode changed = root.json("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", other);
    assertThat(changed.path("ClientIDList").toString()).isEqualTo("[\"b\"]");
    assertThat(changed.path("ThumbprintList").toString()).isEqualTo("[\"fedcba9876543210fedcba9876543210fedcba98\"]");

    TestingAwsCli.Result again = root.run("iam", "create-open-id-connect-provider", "--url",
        "https://gitlab.example.com/", "--client-id-list", "a");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr()).contains("EntityAlreadyExists");
    TestingAwsCli.Result badUrl = root.run("iam", "create-open-id-connect-provider", "--url", "http://plain.example",
        "--client-id-list", "a");
    assertThat(badUrl.stderr()).contains("InvalidInput");

    root.json("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", other);
    TestingAwsCli.Result gone = root.run("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", other);
    assertThat(gone.stderr()).contains("NoSuchEntity");
  }

  @Test
  void aJobWithOnlyAnOidcTokenLogsNpmInAndPublishesAndInstalls() {
    TestingClients.requireCommand("npm", "--version");
    TestingAwsCli job = job(mainBranchToken());

    JsonNode caller = job.json("sts", "get-caller-identity");
    assertThat(caller.path("Arn").asText()).isEqualTo("arn:aws:sts::" + account + ":assumed-role/ci/job-42");

    TestingAwsCli.Result login = job.run("codeartifact", "login", "--tool", "npm", "--domain", "acme",
        "--domain-owner", account, "--repository", "app");
    assertThat(login.exitCode()).as(login.describe()).isZero();
    TestingNpm npm = TestingNpm.npm();
    Path source = scratch.resolve("src-" + UUID.randomUUID());
    TestingFiles.write(source.resolve("package.json"), "{\"name\":\"keyless\",\"version\":\"1.0.0\",\"main\":\"index.js\","
        + "\"license\":\"MIT\"}\n");
    TestingFiles.write(source.resolve("index.js"), "module.exports = 'published without a stored key';\n");
    npm.runOk(job.home(), source, "publish");
    Path project = TestingNpm.project(scratch.resolve("project-" + UUID.randomUUID()), "keyless", "1.0.0");
    npm.runOk(job.home(), project, "install");
    assertThat(TestingNpm.require(project, "keyless")).isEqualTo("published without a stored key");
  }

  @Test
  void theAnswerCarriesTheSubjectProviderAndAudience() {
    TestingAwsCli.Result result = assumeDirectly(issuer.ecToken(issuer.claims(MAIN, AUDIENCE).build()));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    JsonNode answer = result.json();
    assertThat(answer.path("SubjectFromWebIdentityToken").asText()).isEqualTo(MAIN);
    assertThat(answer.path("Audience").asText()).isEqualTo(AUDIENCE);
    assertThat(answer.path("Provider").asText()).isEqualTo(issuer.issuer());
    assertThat(answer.path("AssumedRoleUser").path("Arn").asText())
        .isEqualTo("arn:aws:sts::" + account + ":assumed-role/ci/job");
    assertThat(answer.path("Credentials").path("SessionToken").asText()).isNotEmpty();
  }

  @Test
  void anotherBranchIsRefusedByTheTrustPolicy() {
    TestingAwsCli.Result result = assumeDirectly(issuer.rsaToken(
        issuer.claims("repo:org/app:ref:refs/heads/feature", AUDIENCE).build()));
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("AccessDenied").contains("Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }

  @Test
  void anotherRepositoryIsRefusedAlthoughItsBranchIsMain() {
    TestingAwsCli.Result result = assumeDirectly(issuer.rsaToken(
        issuer.claims("repo:org/other:ref:refs/heads/main", AUDIENCE).build()));
    assertThat(result.stderr()).contains("AccessDenied");
  }

  @Test
  void badTokensGetStsErrorsThroughTheRealCli() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    TestingAwsCli.Result expired = assumeDirectly(issuer.rsaToken(issuer.claims(MAIN, AUDIENCE)
        .issueTime(Date.from(past)).notBeforeTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(60))).build()));
    assertThat(expired.stderr()).contains("ExpiredTokenException");

    String forged = TestingOidcIssuer.sign(issuer.claims(MAIN, AUDIENCE).build(), JWSAlgorithm.RS256,
        new RSAKeyGenerator(2048).keyID(TestingOidcIssuer.RSA_KEY_ID).generate(), h -> { });
    assertThat(assumeDirectly(forged).stderr()).contains("InvalidIdentityToken");

    JWTClaimsSet wrongAudience = issuer.claims(MAIN, "not-registered").build();
    assertThat(assumeDirectly(issuer.rsaToken(wrongAudience)).stderr()).contains("InvalidIdentityToken")
        .contains("audience");
  }

  @Test
  void theSdksWebIdentityProviderGetsWorkingCredentials() {
    try (StsClient sts = StsClient.builder().endpointOverride(wharf.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        StsAssumeRoleWithWebIdentityCredentialsProvider credentials = StsAssumeRoleWithWebIdentityCredentialsProvider
            .builder().stsClient(sts).refreshRequest(r -> r.roleArn(roleArn).roleSessionName("sdk-job")
                .webIdentityToken(mainBranchToken())).build();
        CodeartifactClient codeartifact = CodeartifactClient.builder().endpointOverride(wharf.endpoint())
            .region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
      assertThat(codeartifact.listDomains(b -> { }).domains()).extracting(d -> d.name()).contains("acme");
    }
  }

  @Test
  void aTokenForTheSessionEndsWhenADenyIsAddedToTheRole() throws Exception {
    TestingAwsCli job = job(mainBranchToken());
    String token = job.json("codeartifact", "get-authorization-token", "--domain", "acme", "--domain-owner", account,
        "--duration-seconds", "0").path("authorizationToken").asText();
    String packages = wharf.endpoint() + "/acme-" + account + "/npm/app/";
    assertThat(get(packages, token)).isEqualTo(200);
    root.json("iam", "put-role-policy", "--role-name", "ci", "--policy-name", "cut-off", "--policy-document",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"codeartifact:ReadFromRepository\","
            + "\"Resource\":\"*\"}]}");
    try {
      assertThat(get(packages, token)).isIn(401, 403);
    } finally {
      root.json("iam", "delete-role-policy", "--role-name", "ci", "--policy-name", "cut-off");
    }
  }

  @Test
  void aSessionPolicyPassedWithTheRealCliBoundsTheWebIdentitySessionAndItsTokens() throws Exception {
    String tokenOnly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";
    TestingAwsCli.Result assumed = TestingAwsCli.at(wharf.endpoint(), scratch).run("sts",
        "assume-role-with-web-identity", "--role-arn", roleArn, "--role-session-name", "limited", "--web-identity-token",
        mainBranchToken(), "--policy", tokenOnly);
    assertThat(assumed.exitCode()).as(assumed.describe()).isZero();
    JsonNode credentials = assumed.json().path("Credentials");
    assertThat(assumed.json().path("PackedPolicySize").asInt()).isBetween(1, 100);
    TestingAwsCli limited = TestingAwsCli.at(wharf.endpoint(), scratch).withSession(
        credentials.path("AccessKeyId").asText(), credentials.path("SecretAccessKey").asText(),
        credentials.path("SessionToken").asText());
    String token = limited.json("codeartifact", "get-authorization-token", "--domain", "acme", "--domain-owner", account)
        .path("authorizationToken").asText();
    // The role may read; the session policy does not let this session, nor its token, do it.
    assertThat(get(wharf.endpoint() + "/acme-" + account + "/npm/app/", token)).isEqualTo(403);
    TestingAwsCli.Result listed = limited.run("codeartifact", "list-repositories");
    assertThat(listed.exitCode()).isNotZero();
    assertThat(listed.stderr()).contains("AccessDenied");
  }

  private static int get(String url, String token) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
