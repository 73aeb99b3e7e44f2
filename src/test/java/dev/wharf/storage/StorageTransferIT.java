package dev.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.config.WharfConfig;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.server.WharfServer;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingS3;
import dev.wharf.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code wharf admin migrate-storage}, {@code backup} and {@code restore}, run through the launcher
 * like an operator would. A single node (SQLite + files) is filled through the SDK and the npm
 * registry; it is then backed up and restored into a fresh SQLite installation, migrated into
 * PostgreSQL + an S3 bucket (moto), and that one backed up and restored into another schema and
 * bucket. After each step a server is started on the copy with the source's master key, and the
 * token issued by the source, the root access key, the npm tarball and the generic asset all still
 * work, with identical bytes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageTransferIT {
  @TempDir static Path scratch;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final StaticCredentialsProvider S3_CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create(TestingS3.ACCESS_KEY_ID, TestingS3.SECRET_ACCESS_KEY));

  static Path source;
  static String accountId;
  static AwsBasicCredentials root;
  static String token;
  static byte[] tarball;
  static byte[] tool;
  static String masterKey;
  static Map<String, Long> sourceCounts;
  static TestingLauncher wharf;
  static S3Client s3;
  static final List<String> buckets = new java.util.ArrayList<>();
  static String postgresUrl;
  static String bucket;

  @BeforeAll
  static void fillASingleNode() throws Exception {
    source = scratch.resolve("source");
    try (TestingServer server = TestingServer.start(source)) {
      accountId = server.managementAccountId();
      root = server.rootCredentials();
      try (CodeartifactClient api = server.codeartifact(root); var iam = server.iam(root)) {
        // tags and a boundary (schema 16) travel with their user
        iam.createUser(b -> b.userName("ci").tags(software.amazon.awssdk.services.iam.model.Tag.builder()
            .key("team").value("build").build()).permissionsBoundary("arn:aws:iam::aws:policy/AWSCodeArtifactReadOnlyAccess"));
        iam.createAccessKey(b -> b.userName("ci"));
        // Groups, memberships, group policies and policy versions (V15) travel too.
        iam.createGroup(b -> b.groupName("builders"));
        iam.addUserToGroup(b -> b.groupName("builders").userName("ci"));
        iam.putGroupPolicy(b -> b.groupName("builders").policyName("read").policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:List*\","
                + "\"Resource\":\"*\"}]}"));
        String policyArn = iam.createPolicy(b -> b.policyName("versioned").policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:Get*\","
                + "\"Resource\":\"*\"}]}")).policy().arn();
        iam.createPolicyVersion(b -> b.policyArn(policyArn).setAsDefault(true).policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:Describe*\","
                + "\"Resource\":\"*\"}]}"));
        iam.attachGroupPolicy(b -> b.groupName("builders").policyArn(policyArn));
        api.createDomain(b -> b.domain("acme"));
        api.createRepository(b -> b.domain("acme").repository("app"));
        // Package groups with their allowed-repository lists (V22) travel too.
        api.createPackageGroup(b -> b.domain("acme").packageGroup("/npm/*").contactInfo("web@example.com"));
        api.updatePackageGroupOriginConfiguration(b -> b.domain("acme").packageGroup("/npm/*")
            .restrictionsWithStrings(Map.of("PUBLISH", "ALLOW_SPECIFIC_REPOSITORIES"))
            .addAllowedRepositories(r -> r.repositoryName("app").originRestrictionType("PUBLISH")));
        token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
        tarball = NpmTestingPackages.tarball(NpmTestingPackages.packageJson("left-pad", "1.0.0"));
        String body = NpmTestingPackages.publishBody("left-pad", "1.0.0", "", NpmTestingPackages.sha512(tarball),
            NpmTestingPackages.sha1(tarball), Base64.getEncoder().encodeToString(tarball));
        HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/acme-"
                + accountId + "/npm/app/left-pad")).PUT(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        tool = new byte[3 * 1024 * 1024 + 11];
        new Random(5).nextBytes(tool);
        String toolSha256 = sha256(tool);
        api.publishPackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
            .namespace("tools").packageValue("cli").packageVersion("2.0").assetName("cli.bin").assetSHA256(toolSha256)
            .unfinished(false), RequestBody.fromBytes(tool));
      }
    }
    masterKey = Files.readString(source.resolve("master.key")).trim();
    sourceCounts = counts("jdbc:sqlite:" + source.resolve("wharf.db"));
    assertThat(sourceCounts).containsEntry("package_versions", 2L).containsEntry("package_assets", 2L);
    assertThat(sourceCounts.get("authorization_tokens")).isEqualTo(1L);
    assertThat(sourceCounts).containsEntry("package_groups", 2L).containsEntry("package_group_allowed_repositories", 1L);
    assertThat(sourceCounts).containsEntry("iam_groups", 1L).containsEntry("iam_group_members", 1L)
        .containsEntry("managed_policy_versions", 4L); // v1 and v2 of the test's policy, v1 of each AWS managed one
    wharf = TestingLauncher.create(scratch.resolve("home")).with(Map.of(
        "AWS_ACCESS_KEY_ID", TestingS3.ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", TestingS3.SECRET_ACCESS_KEY,
        "AWS_REGION", TestingS3.REGION));
  }

  @AfterAll
  static void dropBuckets() {
    if (s3 != null) {
      buckets.forEach(name -> TestingS3.deleteBucket(s3, name));
      s3.close();
    }
  }

  @Test
  @Order(1)
  void aSqliteBackupRestoresIntoAFreshDirectoryAndServesTheSameThings() throws Exception {
    Path backup = scratch.resolve("backup-sqlite");
    TestingProcesses.Result made = wharf.run("admin", "backup", "--data", source.toString(), "--to", backup.toString());
    assertThat(made.exitCode()).as(made.describe()).isZero();
    assertThat(made.stdout()).contains("row counts match").contains("SHA-256 all match");
    JsonNode manifest = JSON.readTree(backup.resolve("manifest.json").toFile());
    assertThat(manifest.path("schemaVersion").asInt()).isEqualTo(dev.wharf.store.Database.LATEST_SCHEMA_VERSION);
    assertThat(manifest.path("tables").path("package_versions").asLong()).isEqualTo(2);
    assertThat(manifest.path("blobs")).hasSize(2);
    assertThat(Files.readString(backup.resolve("tables/access_keys.jsonl"))).doesNotContain(root.secretAccessKey());
    assertThat(Files.readAllLines(backup.resolve("tables/package_versions.jsonl"))).hasSize(2);

    Path unfinished = Files.createDirectories(scratch.resolve("unfinished-backup"));
    TestingProcesses.Result notABackup = wharf.with("WHARF_MASTER_KEY", masterKey)
        .run("admin", "restore", "--data", scratch.resolve("nowhere").toString(), "--from", unfinished.toString());
    assertThat(notABackup.exitCode()).as(notABackup.describe()).isEqualTo(1);
    assertThat(notABackup.stderr()).contains("has no manifest.json").doesNotContain("Exception");
    TestingProcesses.Result notEmpty = wharf.run("admin", "backup", "--data", source.toString(), "--to", backup.toString());
    assertThat(notEmpty.exitCode()).isEqualTo(1);
    assertThat(notEmpty.stderr()).contains("is not empty");

    Path target = scratch.resolve("restored-sqlite");
    TestingProcesses.Result wrongKey = wharf.with("WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]))
        .run("admin", "restore", "--data", target.toString(), "--from", backup.toString());
    assertThat(wrongKey.exitCode()).as(wrongKey.describe()).isEqualTo(1);
    assertThat(wrongKey.stderr()).contains("master key").doesNotContain("Exception");
    assertThat(counts("jdbc:sqlite:" + target.resolve("wharf.db")).values()).allMatch(n -> n == 0);

    TestingProcesses.Result restored = wharf.with("WHARF_MASTER_KEY", masterKey)
        .run("admin", "restore", "--data", target.toString(), "--from", backup.toString());
    assertThat(restored.exitCode()).as(restored.describe()).isZero();
    assertThat(restored.stdout()).contains("row counts match").contains("SHA-256 all match");
    assertThat(counts("jdbc:sqlite:" + target.resolve("wharf.db"))).isEqualTo(sourceCounts);

    TestingProcesses.Result again = wharf.with("WHARF_MASTER_KEY", masterKey)
        .run("admin", "restore", "--data", target.toString(), "--from", backup.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("not empty");

    servesTheSameThings(Map.of("WHARF_MASTER_KEY", masterKey), target);
  }

  @Test
  @Order(2)
  void migrateStorageCopiesTheSingleNodeIntoPostgresqlAndS3() throws Exception {
    s3 = TestingS3.client();
    bucket = TestingS3.createBucket(s3);
    buckets.add(bucket);
    postgresUrl = TestingDatabases.freshPostgresUrl();
    String[] arguments = {"admin", "migrate-storage", "--data", source.toString(), "--to-database-url", postgresUrl,
        "--to-blob-store", "s3://" + bucket + "/wharf", "--to-s3-endpoint", TestingS3.endpoint().toString(),
        "--to-s3-path-style", "--to-data", scratch.resolve("node").toString()};

    TestingProcesses.Result wrongKey = wharf.with("WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]))
        .run(arguments);
    assertThat(wrongKey.exitCode()).as(wrongKey.describe()).isEqualTo(1);
    assertThat(wrongKey.stderr()).contains("master key (WHARF_MASTER_KEY) is not the one the source database");

    TestingProcesses.Result migrated = wharf.run(arguments); // the key from source/master.key
    assertThat(migrated.exitCode()).as(migrated.describe()).isZero();
    assertThat(migrated.stdout()).contains("row counts match").contains("2 blobs re-read at the target, SHA-256 all match")
        .contains("blobs: 2 copied").contains("WHARF_MASTER_KEY");
    assertThat(counts(postgresUrl)).isEqualTo(sourceCounts);
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("wharf/")).contents()).hasSize(2);

    TestingProcesses.Result again = wharf.run(arguments);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("the target database is not empty");
    TestingProcesses.Result resumed = wharf.run(append(arguments, "--allow-non-empty-target"));
    assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
    assertThat(resumed.stdout()).contains("blobs: 0 copied (0 bytes), 2 already at the target");
    assertThat(counts(postgresUrl)).isEqualTo(sourceCounts);

    servesTheSameThings(s3Environment(postgresUrl, bucket), scratch.resolve("node"));
  }

  @Test
  @Order(3)
  void aPostgresqlAndS3BackupRestoresIntoAnotherSchemaAndBucket() throws Exception {
    Path backup = scratch.resolve("backup-pg");
    Map<String, String> installation = s3Environment(postgresUrl, bucket);
    Map<String, Long> before = counts(postgresUrl); // serving it added audit events
    TestingProcesses.Result made = wharf.with(installation)
        .run("admin", "backup", "--data", scratch.resolve("node").toString(), "--to", backup.toString());
    assertThat(made.exitCode()).as(made.describe()).isZero();
    assertThat(JSON.readTree(backup.resolve("manifest.json").toFile()).path("blobs")).hasSize(2);

    String otherUrl = TestingDatabases.freshPostgresUrl();
    String otherBucket = TestingS3.createBucket(s3);
    buckets.add(otherBucket);
    Map<String, String> other = s3Environment(otherUrl, otherBucket);
    TestingProcesses.Result restored = wharf.with(other)
        .run("admin", "restore", "--data", scratch.resolve("other-node").toString(), "--from", backup.toString());
    assertThat(restored.exitCode()).as(restored.describe()).isZero();
    assertThat(restored.stdout()).contains("row counts match").contains("SHA-256 all match");
    assertThat(counts(otherUrl)).isEqualTo(before);
    servesTheSameThings(other, scratch.resolve("other-node"));
  }

  static Map<String, String> s3Environment(String databaseUrl, String bucketName) {
    Map<String, String> environment = new HashMap<>();
    environment.put("WHARF_DATABASE_URL", databaseUrl);
    environment.put("WHARF_MASTER_KEY", masterKey);
    environment.put("WHARF_BLOB_STORE", "s3://" + bucketName + "/wharf");
    environment.put("WHARF_S3_ENDPOINT", TestingS3.endpoint().toString());
    environment.put("WHARF_S3_PATH_STYLE", "true");
    return environment;
  }

  /** Starts a server on the copy and checks the source's token, key, npm tarball and generic asset. */
  static void servesTheSameThings(Map<String, String> environment, Path data) throws Exception {
    WharfConfig config = WharfConfig.builder().environment(environment).flag("port", 0).flag("data", data)
        .flag("bind", "127.0.0.1").build();
    try (WharfServer server = WharfServer.start(config, Clock.systemUTC(), S3_CREDENTIALS)) {
      assertThat(server.firstStart()).isEmpty();
      String endpoint = "http://127.0.0.1:" + server.port();
      HttpResponse<String> packument = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/acme-" + accountId
          + "/npm/app/left-pad")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(packument.statusCode()).as(packument.body()).isEqualTo(200);
      String tarballUrl = JSON.readTree(packument.body()).path("versions").path("1.0.0").path("dist").path("tarball").asText();
      HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(tarballUrl))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(tarball);
      npmInstallsTheSameTarball(endpoint + "/acme-" + accountId + "/npm/app/");
      HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/acme-" + accountId
          + "/npm/app/left-pad")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(noToken.statusCode()).isEqualTo(401);

      try (CodeartifactClient api = CodeartifactClient.builder().endpointOverride(URI.create(endpoint))
          .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(root))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        byte[] asset = api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("app")
            .format(PackageFormat.GENERIC).namespace("tools").packageValue("cli").packageVersion("2.0")
            .asset("cli.bin")).asByteArray();
        assertThat(asset).isEqualTo(tool);
        assertThat(api.listPackages(b -> b.domain("acme").repository("app")).packages()).hasSize(2);
        // Every column travels, the version's domain entry point (V12) too.
        var origin = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
            .packageValue("left-pad").packageVersion("1.0.0")).packageVersion().origin();
        assertThat(origin.domainEntryPoint().repositoryName()).isEqualTo("app");
        assertThat(origin.originTypeAsString()).isEqualTo("INTERNAL");
        var group = api.describePackageGroup(b -> b.domain("acme").packageGroup("/npm/*")).packageGroup();
        assertThat(group.contactInfo()).isEqualTo("web@example.com");
        assertThat(group.originConfiguration().restrictions().get(
            software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionType.PUBLISH).mode())
            .hasToString("ALLOW_SPECIFIC_REPOSITORIES");
        assertThat(api.listAllowedRepositoriesForGroup(b -> b.domain("acme").packageGroup("/npm/*")
            .originRestrictionType("PUBLISH")).allowedRepositories()).containsExactly("app");
      }
      try (var iam = software.amazon.awssdk.services.iam.IamClient.builder().endpointOverride(URI.create(endpoint))
          .region(Region.AWS_GLOBAL).credentialsProvider(StaticCredentialsProvider.create(root))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        assertThat(iam.getGroup(b -> b.groupName("builders")).users()).extracting(u -> u.userName()).containsExactly("ci");
        var attached = iam.listAttachedGroupPolicies(b -> b.groupName("builders")).attachedPolicies();
        assertThat(attached).hasSize(1);
        assertThat(iam.getPolicy(b -> b.policyArn(attached.get(0).policyArn())).policy().defaultVersionId()).isEqualTo("v2");
        var ci = iam.getUser(b -> b.userName("ci")).user();
        assertThat(ci.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=build");
        assertThat(ci.permissionsBoundary().permissionsBoundaryArn())
            .isEqualTo("arn:aws:iam::aws:policy/AWSCodeArtifactReadOnlyAccess");
      }
    }
  }

  /** The real npm client, with its own HOME, config and cache, installs left-pad with the source's token. */
  static void npmInstallsTheSameTarball(String registry) throws Exception {
    TestingClients.requireCommand("npm", "--version");
    Path home = Files.createTempDirectory(scratch, "npm-home-");
    Path project = Files.createDirectories(home.resolve("project"));
    Files.writeString(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true}");
    TestingNpm.npmrc(home, registry, token);
    TestingNpm.npm().runOk(home, project, "install", "left-pad@1.0.0");
    assertThat(Files.readString(project.resolve("node_modules/left-pad/package.json"))).contains("\"version\":\"1.0.0\"");
    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    assertThat(lock.path("packages").path("node_modules/left-pad").path("integrity").asText())
        .isEqualTo(NpmTestingPackages.sha512(tarball));
  }

  static Map<String, Long> counts(String jdbcUrl) throws Exception {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      for (Tables.Table table : Tables.list(connection)) {
        counts.put(table.name(), Tables.count(connection, table));
      }
    }
    return new java.util.TreeMap<>(counts);
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  static String[] append(String[] arguments, String extra) {
    String[] longer = java.util.Arrays.copyOf(arguments, arguments.length + 1);
    longer[arguments.length] = extra;
    return longer;
  }
}
