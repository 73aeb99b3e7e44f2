package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingS3;
import dev.wharf.testing.TestingServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A server whose blobs live in an S3 bucket (moto_server), driven by the real aws CLI: a generic
 * package larger than two multipart parts is published and downloaded intact, its blob is the
 * object PREFIX/SHA256 with nothing else in the bucket, and readiness follows the bucket.
 */
class S3BlobStoreIT {
  @TempDir static Path scratch;
  static S3Client s3;
  static String bucket;
  static TestingServer wharf;
  static TestingAwsCli root;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static TestingServer startWithBucket(Path data, String blobStore) {
    return TestingServer.start(data, Clock.systemUTC(), Map.of(
            "WHARF_BLOB_STORE", blobStore,
            "WHARF_S3_ENDPOINT", TestingS3.endpoint().toString(),
            "WHARF_S3_PATH_STYLE", "true"),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(TestingS3.ACCESS_KEY_ID, TestingS3.SECRET_ACCESS_KEY)));
  }

  @BeforeAll
  static void start() {
    s3 = TestingS3.client();
    bucket = TestingS3.createBucket(s3);
    wharf = startWithBucket(scratch.resolve("data"), "s3://" + bucket + "/wharf/blobs");
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    root.json("codeartifact", "create-domain", "--domain", "acme");
    root.json("codeartifact", "create-repository", "--domain", "acme", "--repository", "files");
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (s3 != null) {
      TestingS3.deleteBucket(s3, bucket);
      s3.close();
    }
  }

  @Test
  void a_twenty_megabyte_generic_asset_goes_through_the_bucket_intact() throws Exception {
    byte[] bytes = new byte[20 * 1024 * 1024 + 17];
    new Random(3).nextBytes(bytes);
    Path content = Files.write(scratch.resolve("tool.bin"), bytes);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

    var published = root.run("codeartifact", "publish-package-version", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "tool", "--package-version", "1.0",
        "--asset-content", content.toString(), "--asset-name", "tool.bin", "--asset-sha256", sha256);
    assertThat(published.exitCode()).as(published.describe()).isZero();

    Path out = scratch.resolve("downloaded.bin");
    var downloaded = root.run("codeartifact", "get-package-version-asset", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "tool", "--package-version", "1.0",
        "--asset", "tool.bin", out.toString());
    assertThat(downloaded.exitCode()).as(downloaded.describe()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(bytes);

    List<String> keys = s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    assertThat(keys).containsExactly("wharf/blobs/" + sha256);
    assertThat(s3.headObject(b -> b.bucket(bucket).key("wharf/blobs/" + sha256)).contentLength()).isEqualTo(bytes.length);
    assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    try (var spool = Files.list(scratch.resolve("data").resolve("tmp").resolve("s3-spool"))) {
      assertThat(spool).as("spool files left").isEmpty();
    }
  }

  @Test
  void readiness_reports_the_bucket_while_liveness_and_the_old_health_do_not_depend_on_it() throws Exception {
    assertThat(get(wharf, "/health/ready").statusCode()).isEqualTo(200);
    assertThat(get(wharf, "/health/ready").body()).isEqualTo("{\"status\":\"ready\",\"database\":\"ok\",\"blobStore\":\"ok\"}");

    String other = TestingS3.createBucket(s3);
    try (TestingServer second = startWithBucket(scratch.resolve("second"), "s3://" + other)) {
      TestingS3.deleteBucket(s3, other);

      HttpResponse<String> ready = get(second, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("{\"status\":\"unavailable\",\"database\":\"ok\",\"blobStore\":\"unreachable\"}");
      assertThat(get(second, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> legacy = get(second, "/health");
      assertThat(legacy.statusCode()).isEqualTo(200);
      assertThat(legacy.body()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void a_publish_while_the_bucket_is_gone_gets_503_retry_later_and_keeps_nothing() throws Exception {
    String other = TestingS3.createBucket(s3);
    try (TestingServer second = startWithBucket(scratch.resolve("third"), "s3://" + other)) {
      var api = second.codeartifact(second.rootCredentials());
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("files"));
      TestingS3.deleteBucket(s3, other);

      byte[] bytes = "a tool".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      var failure = org.assertj.core.api.Assertions.catchThrowableOfType(
          software.amazon.awssdk.services.codeartifact.model.CodeartifactException.class,
          () -> api.publishPackageVersion(b -> b.domain("acme").repository("files").format("generic").namespace("ns")
              .packageValue("tool").packageVersion("1.0").assetName("tool.bin").assetSHA256(sha256),
              software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes)));
      assertThat(failure.statusCode()).isEqualTo(503);
      assertThat(failure.awsErrorDetails().errorCode()).isEqualTo("InternalServerException");
      assertThat(failure.awsErrorDetails().errorMessage()).contains("blob storage cannot be reached");
      assertThat(api.listPackages(b -> b.domain("acme").repository("files")).packages()).isEmpty();
    }
  }

  @Test
  void a_server_whose_bucket_does_not_exist_refuses_to_start_naming_it_before_creating_anything() {
    Path data = scratch.resolve("absent");
    String absent = "s3://wharf-absent-" + Long.toHexString(System.nanoTime()) + "/blobs";

    assertThatThrownBy(() -> startWithBucket(data, absent))
        .cause().isInstanceOf(IllegalStateException.class).hasMessageStartingWith("blob store " + absent + ": ");
    assertThat(data.resolve("credentials")).doesNotExist();
  }

  private static HttpResponse<String> get(TestingServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
