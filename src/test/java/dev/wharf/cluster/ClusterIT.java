package dev.wharf.cluster;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.identity.Principal;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingConsole;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingOidcIssuer;
import dev.wharf.testing.TestingServer;
import dev.wharf.token.IssuedToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.ConflictException;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Three Wharf nodes on one PostgreSQL schema, sharing one blob directory and one master key, as a
 * cluster behind a load balancer would: any node serves any request, and a change made through one
 * node takes effect on the others within one second (cross-node invalidation, {@link PostgresChangeBus}).
 * The delays observed are logged; the only bound checked is the one the docs promise (1 s, plus a
 * margin for this shared 2-core machine).
 */
class ClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
  /** What docs/cluster.md promises, plus a margin for a loaded test machine. */
  private static final Duration BOUND = Duration.ofMillis(1_500);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final TestingNpm npm = TestingNpm.npm();
  private static final String DEVELOPER = """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codeartifact:*","sts:GetServiceBearerToken"],
      "Resource":"*"}]}""";

  @TempDir
  static Path scratch;
  static String databaseUrl;
  static Path shared;
  static List<TestingServer> nodes = new ArrayList<>();
  static TestingServer a;
  static TestingServer b;
  static String account;

  @BeforeAll
  static void startThreeNodesAtTheSameMoment() throws Exception {
    databaseUrl = TestingDatabases.freshPostgresUrl();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> environment = Map.of("WHARF_DATABASE_URL", databaseUrl,
        "WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    shared = scratch.resolve("shared-data");
    CyclicBarrier together = new CyclicBarrier(3);
    try (ExecutorService starters = Executors.newFixedThreadPool(3)) {
      List<Future<TestingServer>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        started.add(starters.submit(() -> {
          together.await();
          return TestingServer.startNode(shared, environment);
        }));
      }
      for (Future<TestingServer> node : started) {
        nodes.add(node.get());
      }
    }
    a = nodes.get(0);
    b = nodes.get(1);
    account = a.sts(a.rootCredentials()).getCallerIdentity(r -> {}).account();
    a.codeartifact(a.rootCredentials()).createDomain(r -> r.domain("acme"));
    a.codeartifact(a.rootCredentials()).createRepository(r -> r.domain("acme").repository("app"));
  }

  @AfterAll
  static void stop() {
    nodes.forEach(TestingServer::close);
  }

  // ---------------------------------------------------------------- start-up

  @Test
  void threeNodesStartingTogetherMigrateOnceAndCreateOneManagementAccount() throws SQLException {
    try (Connection connection = DriverManager.getConnection(databaseUrl);
        ResultSet history = connection.createStatement().executeQuery(
            "SELECT count(*), count(DISTINCT version), max(CAST(version AS INTEGER)) FROM wharf_schema_history"
                + " WHERE version IS NOT NULL AND success")) {
      history.next();
      assertThat(history.getInt(1)).as("each migration applied once").isEqualTo(history.getInt(2));
      assertThat(history.getInt(3)).isEqualTo(Database.LATEST_SCHEMA_VERSION);
    }
    assertThat(nodes.stream().filter(node -> node.server().firstStart().isPresent()).count())
        .as("exactly one node did the first start").isEqualTo(1);
    assertThat(a.server().identity().store().listAccounts()).singleElement()
        .satisfies(only -> assertThat(only.accountId()).isEqualTo(account));
  }

  @Test
  void aNodeWithAnotherMasterKeyRefusesToStart() {
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    Map<String, String> environment = Map.of("WHARF_DATABASE_URL", databaseUrl,
        "WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(other));
    assertThatThrownBy(() -> TestingServer.startNode(scratch.resolve("other-key"), environment))
        .hasMessageContaining("is not the one this database was created with");
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void aTokenIssuedByOneNodeWorksOnEveryNode() {
    String token = a.codeartifact(a.rootCredentials())
        .getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    for (TestingServer node : nodes) {
      assertThat(npmGet(node, token, "no-such-package")).as("authorized on " + node.endpoint()).isEqualTo(404);
      assertThat(npmGet(node, token + "x", "no-such-package")).isEqualTo(401);
    }
  }

  @Test
  void aTokenRevokedOnOneNodeIsRefusedByTheOthersWithinOneSecond() {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      IssuedToken issued = a.server().tokens().issue(new Principal.Root(account), account, "acme",
          Instant.now().plus(Duration.ofHours(1)));
      TestingServer other = nodes.get(1 + i % 2);
      assertThat(npmGet(other, issued.token(), "no-such-package")).isEqualTo(404);
      assertThat(a.server().tokens().revoke(issued.tokenId())).isTrue();
      delays.add(within(BOUND, () -> npmGet(other, issued.token(), "no-such-package") == 401).toMillis());
    }
    LOG.info("revocation on node A refused by another node after (ms): {}", delays);
  }

  @Test
  void aTokenIssuedOnOneNodeCanBeRevokedThroughAnother() {
    IssuedToken issued = a.server().tokens().issue(new Principal.Root(account), account, "acme",
        Instant.now().plus(Duration.ofHours(1)));
    // A records issued tokens in batches (within about 100 ms), then any node can list and revoke them
    Duration recorded = within(BOUND, () -> b.server().tokens().find(issued.tokenId()).isPresent());
    assertThat(b.server().tokens().revoke(issued.tokenId())).isTrue();
    Duration refused = within(BOUND, () -> npmGet(a, issued.token(), "no-such-package") == 401);
    LOG.info("token issued on A listed by B after {} ms; revoked through B, refused by A after {} ms",
        recorded.toMillis(), refused.toMillis());
  }

  @Test
  void retiringAndRotatingTokenKeysOnOneNodeTakesEffectOnTheOthersWithinOneSecond() {
    CodeartifactClient api = a.codeartifact(a.rootCredentials());
    String token = api.getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    assertThat(npmGet(b, token, "no-such-package")).isEqualTo(404);

    String oldKey = a.server().tokens().currentKeyId();
    String newKey = a.server().tokens().rotateKey();
    // a token sealed with the new key on A is accepted by B
    String sealedWithNew = api.getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    assertThat(sealedWithNew).startsWith(newKey + ".");
    Duration rotated = within(BOUND, () -> npmGet(b, sealedWithNew, "no-such-package") == 404);

    assertThat(a.server().tokens().retireKey(oldKey)).isTrue();
    Duration retired = within(BOUND, () -> npmGet(b, token, "no-such-package") == 401);
    assertThat(npmGet(b, sealedWithNew, "no-such-package")).isEqualTo(404);
    LOG.info("key rotation seen by node B after {} ms, retirement after {} ms", rotated.toMillis(), retired.toMillis());
  }

  // ---------------------------------------------------------------- policies and keys

  @Test
  void identityAndDomainPolicyChangesOnOneNodeApplyOnTheOthersWithinOneSecond() {
    var iam = a.iam(a.rootCredentials());
    iam.createUser(r -> r.userName("policy-dev"));
    iam.putUserPolicy(r -> r.userName("policy-dev").policyName("dev").policyDocument(DEVELOPER));
    var created = iam.createAccessKey(r -> r.userName("policy-dev")).accessKey();
    AwsBasicCredentials developer = AwsBasicCredentials.create(created.accessKeyId(), created.secretAccessKey());
    String token = b.codeartifact(developer)
        .getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    assertThat(npmGet(b, token, "no-such-package")).isEqualTo(404);

    // IAM: an explicit Deny put through A
    iam.putUserPolicy(r -> r.userName("policy-dev").policyName("deny").policyDocument("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"codeartifact:ReadFromRepository",
        "Resource":"*"}]}"""));
    Duration denied = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    iam.deleteUserPolicy(r -> r.userName("policy-dev").policyName("deny"));
    Duration allowed = within(BOUND, () -> npmGet(b, token, "no-such-package") == 404);

    // the domain's resource policy, put through A
    var domainOwner = a.codeartifact(a.rootCredentials());
    domainOwner.putDomainPermissionsPolicy(r -> r.domain("acme").policyDocument("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::%s:user/policy-dev"},
        "Action":"codeartifact:ReadFromRepository","Resource":"*"}]}""".formatted(account)));
    Duration domainDenied = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    domainOwner.deleteDomainPermissionsPolicy(r -> r.domain("acme"));
    Duration domainAllowed = within(BOUND, () -> npmGet(b, token, "no-such-package") == 404);
    LOG.info("identity Deny seen by node B after {} ms, lifted after {} ms; domain Deny after {} ms, lifted after {} ms",
        denied.toMillis(), allowed.toMillis(), domainDenied.toMillis(), domainAllowed.toMillis());
  }

  @Test
  void groupMembershipGroupPoliciesAndDefaultVersionsChangedOnOneNodeApplyOnTheOthersWithinOneSecond() {
    var iam = a.iam(a.rootCredentials());
    iam.createUser(r -> r.userName("group-dev"));
    var created = iam.createAccessKey(r -> r.userName("group-dev")).accessKey();
    AwsBasicCredentials developer = AwsBasicCredentials.create(created.accessKeyId(), created.secretAccessKey());
    String policyArn = iam.createPolicy(r -> r.policyName("cluster-developer").policyDocument(DEVELOPER)).policy().arn();
    iam.createGroup(r -> r.groupName("cluster-devs"));
    iam.attachGroupPolicy(r -> r.groupName("cluster-devs").policyArn(policyArn));
    iam.addUserToGroup(r -> r.groupName("cluster-devs").userName("group-dev"));
    var onB = b.codeartifact(developer);
    within(BOUND, () -> tokenFrom(onB) != null);
    String token = tokenFrom(onB);
    assertThat(npmGet(b, token, "no-such-package")).isEqualTo(404);

    // a Deny through the group, put through A
    iam.putGroupPolicy(r -> r.groupName("cluster-devs").policyName("deny").policyDocument("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"codeartifact:ReadFromRepository",
        "Resource":"*"}]}"""));
    Duration denied = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    iam.deleteGroupPolicy(r -> r.groupName("cluster-devs").policyName("deny"));
    within(BOUND, () -> npmGet(b, token, "no-such-package") == 404);

    // a new default version of the group's policy that no longer allows reads
    iam.createPolicyVersion(r -> r.policyArn(policyArn).setAsDefault(true).policyDocument("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codeartifact:ListDomains","Resource":"*"}]}"""));
    Duration newDefault = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    iam.setDefaultPolicyVersion(r -> r.policyArn(policyArn).versionId("v1"));
    within(BOUND, () -> npmGet(b, token, "no-such-package") == 404);

    // leaving the group takes its Allow away
    iam.removeUserFromGroup(r -> r.groupName("cluster-devs").userName("group-dev"));
    Duration removed = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    LOG.info("group Deny seen by node B after {} ms, new default version after {} ms, removal after {} ms",
        denied.toMillis(), newDefault.toMillis(), removed.toMillis());
  }

  /** A token from the node, or null while it does not see the caller's Allow yet. */
  private static String tokenFrom(software.amazon.awssdk.services.codeartifact.CodeartifactClient node) {
    try {
      return node.getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    } catch (software.amazon.awssdk.services.codeartifact.model.AccessDeniedException e) {
      return null;
    }
  }

  @Test
  void aPermissionsBoundaryOrTagChangedOnOneNodeAppliesOnTheOthersWithinOneSecond() {
    var iam = a.iam(a.rootCredentials());
    iam.createUser(r -> r.userName("boundary-dev"));
    iam.putUserPolicy(r -> r.userName("boundary-dev").policyName("dev").policyDocument(DEVELOPER));
    var created = iam.createAccessKey(r -> r.userName("boundary-dev")).accessKey();
    AwsBasicCredentials developer = AwsBasicCredentials.create(created.accessKeyId(), created.secretAccessKey());
    String token = b.codeartifact(developer)
        .getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    assertThat(npmGet(b, token, "no-such-package")).isEqualTo(404);

    String iamOnly = iam.createPolicy(r -> r.policyName("cluster-iam-only").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"}]}"))
        .policy().arn();
    iam.putUserPermissionsBoundary(r -> r.userName("boundary-dev").permissionsBoundary(iamOnly));
    Duration bounded = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    iam.deleteUserPermissionsBoundary(r -> r.userName("boundary-dev"));
    Duration unbounded = within(BOUND, () -> npmGet(b, token, "no-such-package") == 404);

    // a Deny conditioned on a principal tag: the tag put through A decides on B
    iam.putUserPolicy(r -> r.userName("boundary-dev").policyName("frozen").policyDocument(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"codeartifact:*\","
            + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/frozen\":\"true\"}}}]}"));
    assertThat(npmGet(b, token, "no-such-package")).isEqualTo(404);
    iam.tagUser(r -> r.userName("boundary-dev").tags(software.amazon.awssdk.services.iam.model.Tag.builder()
        .key("frozen").value("true").build()));
    Duration tagged = within(BOUND, () -> npmGet(b, token, "no-such-package") == 403);
    LOG.info("boundary seen by node B after {} ms, removal after {} ms; principal tag after {} ms",
        bounded.toMillis(), unbounded.toMillis(), tagged.toMillis());
  }

  @Test
  void aConsoleSessionWorksOnEveryNodeAndEndsOnEveryNodeWithinOneSecondWhenItsUserIsDeleted() throws Exception {
    var iam = a.iam(a.rootCredentials());
    iam.createUser(r -> r.userName("console-dev"));
    iam.putUserPolicy(r -> r.userName("console-dev").policyName("dev").policyDocument(DEVELOPER));
    iam.createLoginProfile(r -> r.userName("console-dev").password("Cluster-console-1"));
    TestingConsole onB = new TestingConsole(b.endpoint(), account);
    assertThat(onB.signInWithPassword("console-dev", "Cluster-console-1").statusCode()).isEqualTo(303);
    TestingConsole onA = new TestingConsole(a.endpoint(), account);
    onA.cookies.putAll(onB.cookies); // the load balancer sends the same browser to another node
    assertThat(onA.get("/console/domains").statusCode()).isEqualTo(200);
    assertThat(onB.get("/console/domains").statusCode()).isEqualTo(200);

    iam.deleteLoginProfile(r -> r.userName("console-dev"));
    iam.deleteUserPolicy(r -> r.userName("console-dev").policyName("dev"));
    iam.deleteUser(r -> r.userName("console-dev"));
    Duration ended = within(BOUND, () -> {
      try {
        return onB.get("/console/domains").statusCode() == 303;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    LOG.info("console session of a user deleted on node A ended on node B after {} ms", ended.toMillis());
  }

  @Test
  void anAccessKeyDeactivatedOrDeletedOnOneNodeStopsWorkingOnTheOthersWithinOneSecond() {
    var iam = a.iam(a.rootCredentials());
    iam.createUser(r -> r.userName("key-dev"));
    iam.putUserPolicy(r -> r.userName("key-dev").policyName("dev").policyDocument(DEVELOPER));
    var created = iam.createAccessKey(r -> r.userName("key-dev")).accessKey();
    AwsBasicCredentials developer = AwsBasicCredentials.create(created.accessKeyId(), created.secretAccessKey());
    CodeartifactClient onB = b.codeartifact(developer);
    assertThat(onB.listDomains(r -> {}).domains()).isNotEmpty();

    iam.updateAccessKey(r -> r.userName("key-dev").accessKeyId(created.accessKeyId()).status(StatusType.INACTIVE));
    Duration deactivated = within(BOUND, () -> refused(onB));
    iam.updateAccessKey(r -> r.userName("key-dev").accessKeyId(created.accessKeyId()).status(StatusType.ACTIVE));
    Duration reactivated = within(BOUND, () -> !refused(onB));
    iam.deleteAccessKey(r -> r.userName("key-dev").accessKeyId(created.accessKeyId()));
    Duration deleted = within(BOUND, () -> refused(onB));
    LOG.info("access key deactivation seen by node B after {} ms, reactivation after {} ms, deletion after {} ms",
        deactivated.toMillis(), reactivated.toMillis(), deleted.toMillis());
  }

  @Test
  void anOidcProviderRegisteredOrDeletedOnOneNodeGovernsWebIdentitiesOnTheOthersWithinOneSecond() {
    try (TestingOidcIssuer issuer = TestingOidcIssuer.start(scratch);
        StsClient anonymousOnB = StsClient.builder().endpointOverride(b.endpoint()).region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
      var iam = a.iam(a.rootCredentials());
      String providerArn = "arn:aws:iam::" + account + ":oidc-provider/" + issuer.issuer().substring("https://".length());
      String roleArn = iam.createRole(r -> r.roleName("cluster-ci").assumeRolePolicyDocument("""
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},
          "Action":"sts:AssumeRoleWithWebIdentity"}]}""".formatted(providerArn))).role().arn();
      String token = issuer.rsaToken(issuer.claims("repo:org/app:ref:refs/heads/main", "sts.amazonaws.com").build());
      BooleanSupplier assumed = () -> {
        try {
          anonymousOnB.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("job").webIdentityToken(token));
          return true;
        } catch (software.amazon.awssdk.services.sts.model.StsException e) {
          return false;
        }
      };
      assertThat(assumed.getAsBoolean()).as("no provider yet; B remembers that").isFalse();

      iam.createOpenIDConnectProvider(r -> r.url(issuer.issuer()).clientIDList("sts.amazonaws.com")
          .thumbprintList(issuer.thumbprint()));
      Duration registered = within(BOUND, assumed::getAsBoolean);
      iam.deleteOpenIDConnectProvider(r -> r.openIDConnectProviderArn(providerArn));
      Duration deleted = within(BOUND, () -> !assumed.getAsBoolean());
      LOG.info("OIDC provider registration seen by node B after {} ms, deletion after {} ms", registered.toMillis(),
          deleted.toMillis());
    }
  }

  private static boolean refused(CodeartifactClient client) {
    try {
      client.listDomains(r -> {});
      return false;
    } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
      return e.statusCode() == 403;
    }
  }

  // ---------------------------------------------------------------- packages

  @Test
  void concurrentPublishesOfTheSameVersionThroughTwoNodesLetExactlyOneWin() throws Exception {
    CodeartifactClient onA = a.codeartifact(a.rootCredentials());
    CodeartifactClient onB = b.codeartifact(a.rootCredentials());
    for (int round = 0; round < 10; round++) {
      String version = "1.0." + round;
      CyclicBarrier together = new CyclicBarrier(2);
      List<Future<String>> outcomes = new ArrayList<>();
      try (ExecutorService publishers = Executors.newFixedThreadPool(2)) {
        for (CodeartifactClient client : List.of(onA, onB)) {
          byte[] content = (client == onA ? "from A " : "from B ").concat(version).getBytes(StandardCharsets.UTF_8);
          String digest = sha256(content);
          outcomes.add(publishers.submit(() -> {
            together.await();
            try {
              client.publishPackageVersion(r -> r.domain("acme").repository("app").format(PackageFormat.GENERIC)
                  .namespace("race").packageValue("contested").packageVersion(version).assetName("file.txt")
                  .assetSHA256(digest), RequestBody.fromBytes(content));
              return "won";
            } catch (ConflictException lost) {
              return "conflict";
            }
          }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
          results.add(outcome.get());
        }
        assertThat(results).as("round " + round).containsExactlyInAnyOrder("won", "conflict");
      }
      var assets = onB.listPackageVersionAssets(r -> r.domain("acme").repository("app").format(PackageFormat.GENERIC)
          .namespace("race").packageValue("contested").packageVersion(version)).assets();
      assertThat(assets).singleElement().satisfies(asset -> assertThat(asset.name()).isEqualTo("file.txt"));
    }
  }

  @Test
  void aPackagePublishedThroughOneNodeInstallsThroughAnotherWithNpmAndItsStatusChangesApplyEverywhere()
      throws IOException {
    TestingClients.requireCommand("npm", "--version");
    String token = a.codeartifact(a.rootCredentials())
        .getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    Path publisher = npmHome("publisher", a, token);
    Path source = write(scratch.resolve("src/package.json"),
        "{\"name\":\"cluster-hello\",\"version\":\"1.0.0\",\"main\":\"index.js\",\"license\":\"MIT\"}\n").getParent();
    write(source.resolve("index.js"), "module.exports = 'hello from node A';\n");
    npm.runOk(publisher, source, "publish");

    // installed through B at once, with the token A issued
    Path installer = npmHome("installer", b, token);
    Path project = write(scratch.resolve("project/package.json"),
        "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,\"dependencies\":{\"cluster-hello\":\"1.0.0\"}}\n")
        .getParent();
    npm.runOk(installer, project, "install");
    var node = TestingProcesses.run(project, TestingProcesses.cleanEnvironment(null), Duration.ofMinutes(1),
        List.of("node", "-e", "console.log(require('cluster-hello'))"));
    assertThat(node.stdout()).as(node.describe()).contains("hello from node A");
    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    assertThat(lock.path("packages").path("node_modules/cluster-hello").path("resolved").asText())
        .startsWith(b.endpoint().toString());

    // B has the packument cached now; unlisting through A takes it out of B's packument within a second
    assertThat(packument(b, token, "cluster-hello").path("versions").has("1.0.0")).isTrue();
    a.codeartifact(a.rootCredentials()).updatePackageVersionsStatus(r -> r.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("cluster-hello").versions("1.0.0")
        .targetStatus(PackageVersionStatus.UNLISTED));
    Duration unlisted = within(BOUND, () -> npmGet(b, token, "cluster-hello") == 404
        || !packument(b, token, "cluster-hello").path("versions").has("1.0.0"));
    LOG.info("unlisting through node A seen by node B after {} ms", unlisted.toMillis());
  }

  @Test
  void anOriginConfigurationPutThroughOneNodeGovernsUpstreamReadsOnTheOthersWithinOneSecond() {
    var api = a.codeartifact(a.rootCredentials());
    api.createRepository(r -> r.domain("acme").repository("origin-base"));
    api.createRepository(r -> r.domain("acme").repository("origin-team").upstreams(u -> u.repositoryName("origin-base")));
    String token = api.getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    byte[] tarball = NpmTestingPackages.tarball(NpmTestingPackages.packageJson("confusable", "1.0.0"));
    HttpResponse<String> published = npmSend(a, token, "PUT", "origin-base", "confusable",
        NpmTestingPackages.publishBody("confusable", "1.0.0", "", NpmTestingPackages.sha512(tarball),
            NpmTestingPackages.sha1(tarball), Base64.getEncoder().encodeToString(tarball)));
    assertThat(published.statusCode()).as(published.body()).isBetween(200, 201);

    // B reads through team (it now holds team's origin configuration for the package, and base's document)
    assertThat(npmSend(b, token, "GET", "origin-team", "confusable", null).statusCode()).isEqualTo(200);

    // upstream: BLOCK put through A stops B taking the package from base; ALLOW again lets it through
    api.putPackageOriginConfiguration(r -> r.domain("acme").repository("origin-team").format(PackageFormat.NPM)
        .packageValue("confusable").restrictions(o -> o.publish("ALLOW").upstream("BLOCK")));
    Duration blocked = within(BOUND, () -> npmSend(b, token, "GET", "origin-team", "confusable", null).statusCode() == 404);
    api.putPackageOriginConfiguration(r -> r.domain("acme").repository("origin-team").format(PackageFormat.NPM)
        .packageValue("confusable").restrictions(o -> o.publish("ALLOW").upstream("ALLOW")));
    Duration allowed = within(BOUND, () -> npmSend(b, token, "GET", "origin-team", "confusable", null).statusCode() == 200);
    LOG.info("upstream BLOCK put through node A seen by node B after {} ms, ALLOW after {} ms", blocked.toMillis(),
        allowed.toMillis());
  }

  @Test
  void aPackageGroupsRestrictionsChangedThroughOneNodeDecideReadsAndPublishesOnTheOthersWithinOneSecond() {
    var api = a.codeartifact(a.rootCredentials());
    api.createRepository(r -> r.domain("acme").repository("group-base"));
    api.createRepository(r -> r.domain("acme").repository("group-team").upstreams(u -> u.repositoryName("group-base")));
    String token = api.getAuthorizationToken(r -> r.domain("acme").domainOwner(account)).authorizationToken();
    HttpResponse<String> published = npmSend(a, token, "PUT", "group-base", "grouped", publishBody("grouped", "1.0.0"));
    assertThat(published.statusCode()).as(published.body()).isBetween(200, 201);
    api.createPackageGroup(r -> r.domain("acme").packageGroup("/npm//grouped$"));

    // B has resolved the domain's groups (cached) when it reads through team
    assertThat(npmSend(b, token, "GET", "group-team", "grouped", null).statusCode()).isEqualTo(200);

    // INTERNAL_UPSTREAM BLOCK set through A keeps B from taking the package from base
    api.updatePackageGroupOriginConfiguration(r -> r.domain("acme").packageGroup("/npm//grouped$")
        .restrictionsWithStrings(Map.of("INTERNAL_UPSTREAM", "BLOCK")));
    Duration blocked = within(BOUND, () -> npmSend(b, token, "GET", "group-team", "grouped", null).statusCode() == 404);
    // allowed for team only, through A: B reads through team again
    api.updatePackageGroupOriginConfiguration(r -> r.domain("acme").packageGroup("/npm//grouped$")
        .restrictionsWithStrings(Map.of("INTERNAL_UPSTREAM", "ALLOW_SPECIFIC_REPOSITORIES"))
        .addAllowedRepositories(repository -> repository.originRestrictionType("INTERNAL_UPSTREAM")
            .repositoryName("group-team")));
    Duration allowed = within(BOUND, () -> npmSend(b, token, "GET", "group-team", "grouped", null).statusCode() == 200);
    // PUBLISH BLOCK on a broader group the package inherits from, through A: B refuses the next version (403)
    api.createPackageGroup(r -> r.domain("acme").packageGroup("/npm//group~"));
    api.updatePackageGroupOriginConfiguration(r -> r.domain("acme").packageGroup("/npm//group~")
        .restrictionsWithStrings(Map.of("PUBLISH", "BLOCK")));
    java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
    Duration refused = within(BOUND, () -> {
      String version = "1.1." + attempt.incrementAndGet(); // a new version each time: a late refusal is not a 409
      return npmSend(b, token, "PUT", "group-base", "grouped", publishBody("grouped", version)).statusCode() == 403;
    });
    LOG.info("package group INTERNAL_UPSTREAM BLOCK set through node A seen by node B after {} ms, allowed after {} ms,"
        + " PUBLISH BLOCK after {} ms", blocked.toMillis(), allowed.toMillis(), refused.toMillis());
  }

  private static String publishBody(String name, String version) {
    byte[] tarball = NpmTestingPackages.tarball(NpmTestingPackages.packageJson(name, version));
    return NpmTestingPackages.publishBody(name, version, "", NpmTestingPackages.sha512(tarball),
        NpmTestingPackages.sha1(tarball), Base64.getEncoder().encodeToString(tarball));
  }

  // ---------------------------------------------------------------- helpers

  /** Polls until the condition holds and returns how long it took; fails past {@code bound}. */
  private static Duration within(Duration bound, BooleanSupplier condition) {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(elapsed).as("the change took effect within %s", bound).isLessThanOrEqualTo(bound);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static String npmUrl(TestingServer node, String path) {
    return node.endpoint() + "/acme-" + account + "/npm/app/" + path;
  }

  private static HttpResponse<String> npmResponse(TestingServer node, String token, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(npmUrl(node, path)))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> npmSend(TestingServer node, String token, String method, String repository,
      String path, String body) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(node.endpoint() + "/acme-" + account + "/npm/" + repository + "/"
          + path)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int npmGet(TestingServer node, String token, String path) {
    return npmResponse(node, token, path).statusCode();
  }

  private static JsonNode packument(TestingServer node, String token, String name) {
    try {
      return JSON.readTree(npmResponse(node, token, name).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /** An npm home whose own userconfig points at {@code node} with {@code token}; nothing else is read. */
  private static Path npmHome(String name, TestingServer node, String token) {
    return TestingNpm.npmrc(scratch.resolve("home-" + name + "-" + UUID.randomUUID()), npmUrl(node, ""), token);
  }
}
