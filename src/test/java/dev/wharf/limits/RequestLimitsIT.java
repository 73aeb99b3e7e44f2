package dev.wharf.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.ThrottlingException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * A real server driven over its request limits by the real aws CLI, boto3, the AWS SDK for Java and raw HTTP on
 * the package routes: the throttling answer of each protocol (status, error shape, Retry-After), the CLI's
 * retries, and clients under their limits unaffected. Each test starts a server with limits small enough that a
 * handful of requests exceed them, on rates slow enough (per minute) that no refill happens during the test.
 */
class RequestLimitsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The CLI exits 255 (v1) or 254 (v2) when the service answered with an error. */
  private static final List<Integer> SERVICE_ERROR_EXIT = List.of(254, 255);

  @TempDir Path scratch;
  private TestingServer wharf;

  @AfterEach
  void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  /** Starts a server with these limits over the default preset, a domain acme and a repository libs. */
  private CodeartifactClient start(String limits) {
    return start(Map.of("WHARF_LIMIT", limits));
  }

  private CodeartifactClient start(Map<String, String> environment) {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(), environment);
    CodeartifactClient api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("libs"));
    return api;
  }

  private String token(CodeartifactClient api) {
    return api.getAuthorizationToken(b -> b.domain("acme").domainOwner(wharf.managementAccountId())).authorizationToken();
  }

  private String repository(String format) {
    return wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/" + format + "/libs/";
  }

  private TestingAwsCli cli(int maxAttempts) {
    return TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey())
        .withEnvironment(Map.of("AWS_MAX_ATTEMPTS", Integer.toString(maxAttempts)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(String url, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return send(request);
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private static String basic(String token) {
    return "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> unsignedQuery() {
    return send(HttpRequest.newBuilder(wharf.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")));
  }

  private HttpResponse<String> unsignedRestJson() {
    return send(HttpRequest.newBuilder(wharf.endpoint().resolve("/v1/domains"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  private static void assertRetryAfter(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Retry-After")).as(response.body()).hasValueSatisfying(
        value -> assertThat(Long.parseLong(value)).isBetween(1L, 60L));
  }

  private static void assertServiceError(TestingAwsCli.Result result, String code, int retries) {
    assertThat(result.exitCode()).as(result.describe()).isIn(SERVICE_ERROR_EXIT);
    assertThat(result.stderr()).as(result.describe()).contains("(" + code + ")")
        .contains("(reached max retries: " + retries + ")").contains("Rate exceeded");
    assertThat(result.stdout()).as(result.describe()).isBlank();
  }

  @Test
  void requestsWithoutAValidCredentialOverTheAddressLimitGetEachProtocolsThrottlingAnswerAndTokensStillWork() throws Exception {
    CodeartifactClient api = start("anonymous=1/min,burst=3");
    String token = token(api); // signed: not an anonymous request

    // within the limit, each is answered as it always was
    assertThat(get(repository("npm"), null).statusCode()).isEqualTo(401);
    assertThat(get(repository("npm"), bearer("not-a-token")).statusCode()).isEqualTo(401);
    assertThat(unsignedQuery().statusCode()).isEqualTo(403);

    // over it: npm's JSON error, pip's plain text, both 429 with Retry-After
    HttpResponse<String> npm = get(repository("npm"), null);
    assertThat(npm.statusCode()).isEqualTo(429);
    assertRetryAfter(npm);
    assertThat(npm.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(JSON.readTree(npm.body()).path("error").asText()).contains("Rate exceeded");
    HttpResponse<String> pip = get(repository("pypi") + "simple/", basic("forged"));
    assertThat(pip.statusCode()).isEqualTo(429);
    assertRetryAfter(pip);
    assertThat(pip.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(pip.body()).startsWith("Rate exceeded");

    // IAM and STS: 400 Throttling in the query protocol's XML; CodeArtifact: 429 ThrottlingException
    HttpResponse<String> query = unsignedQuery();
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(query.body()).contains("<Code>Throttling</Code>").contains("<Type>Sender</Type>")
        .contains("<Message>Rate exceeded");
    assertRetryAfter(query);
    HttpResponse<String> restJson = unsignedRestJson();
    assertThat(restJson.statusCode()).isEqualTo(429);
    assertThat(restJson.headers().firstValue("x-amzn-ErrorType")).contains("ThrottlingException");
    assertThat(JSON.readTree(restJson.body()).path("message").asText()).startsWith("Rate exceeded");
    assertRetryAfter(restJson);
    assertThat(restJson.headers().firstValue("x-amz-retry-after")).isPresent();

    // the aws CLI with a key the server does not know: retried, then reported as the throttling it is
    TestingAwsCli stranger = TestingAwsCli.at(wharf.endpoint(), scratch).withKey("AKIAEXAMPLEEXAMPLE00", "secret")
        .withEnvironment(Map.of("AWS_MAX_ATTEMPTS", "2"));
    assertServiceError(stranger.run("sts", "get-caller-identity"), "Throttling", 1);

    // clients with valid credentials from the same address are untouched
    HttpResponse<String> withToken = get(repository("npm"), bearer(token));
    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
    assertThat(get(repository("pypi") + "simple/", basic(token)).statusCode()).isEqualTo(200);
    assertThat(cli(1).json("codeartifact", "list-domains").path("domains")).hasSize(1);
  }

  @Test
  void anOperationOverItsLimitIsRetriedByTheAwsCliThenReportedAsThrottling() throws Exception {
    CodeartifactClient api = start("operation:GetAuthorizationToken=1/min,burst=2;operation:GetCallerIdentity=1/min,burst=1");
    String account = wharf.managementAccountId();
    TestingAwsCli aws = cli(3);
    for (int i = 0; i < 2; i++) {
      aws.json("codeartifact", "get-authorization-token", "--domain", "acme", "--domain-owner", account);
    }
    assertServiceError(aws.run("codeartifact", "get-authorization-token", "--domain", "acme", "--domain-owner", account),
        "ThrottlingException", 2);
    assertThatThrownBy(() -> token(api)).isInstanceOfSatisfying(ThrottlingException.class, throttled -> {
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(throttled.retryAfterSeconds()).isBetween(1, 60);
      assertThat(throttled.getMessage()).contains("GetAuthorizationToken");
    });
    // other operations have no limit
    assertThat(aws.json("codeartifact", "list-domains").path("domains")).hasSize(1);

    // IAM and STS operations: the query protocol's Throttling
    assertThat(aws.json("sts", "get-caller-identity").path("Account").asText()).isEqualTo(account);
    assertServiceError(aws.run("sts", "get-caller-identity"), "Throttling", 2);
    assertThatThrownBy(() -> wharf.sts(wharf.rootCredentials()).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, throttled -> {
          assertThat(throttled.statusCode()).isEqualTo(400);
          assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        });
    assertThat(aws.json("iam", "list-users").path("Users")).isEmpty();
  }

  @Test
  void botocoreRetriesAThrottledCallUntilTheBucketHasRoomAndSucceeds() throws Exception {
    start("operation:ListDomains=12/min,burst=1"); // one call, then one more every 5 s
    Map<String, String> environment = new HashMap<>(cli(10).environment());
    environment.put("AWS_RETRY_MODE", "standard");
    environment.put("WHARF_ENDPOINT", wharf.endpoint().toString());
    String script = String.join("\n",
        "import boto3, json, os",
        "api = boto3.client('codeartifact', endpoint_url=os.environ['WHARF_ENDPOINT'])",
        "first = api.list_domains()",
        "second = api.list_domains()  # at once: over the limit, retried until it fits",
        "print(json.dumps({'domains': len(second['domains']),",
        "                  'firstRetries': first['ResponseMetadata']['RetryAttempts'],",
        "                  'secondRetries': second['ResponseMetadata']['RetryAttempts']}))");
    TestingProcesses.Result boto = TestingProcesses.run(cli(10).home(), environment, Duration.ofSeconds(120),
        List.of("python3", "-c", script));
    if (boto.exitCode() != 0 && boto.stderr().contains("No module named 'boto3'")) {
      TestingClients.missing("boto3 (python3 -c 'import boto3')");
    }
    assertThat(boto.exitCode()).as(boto.describe()).isZero();
    JsonNode out = JSON.readTree(boto.stdout());
    assertThat(out.path("domains").asInt()).isEqualTo(1);
    assertThat(out.path("firstRetries").asInt()).isZero();
    assertThat(out.path("secondRetries").asInt()).as(boto.describe()).isPositive();
  }

  @Test
  void theCodeArtifactPresetStartsWithAwsQuotasAndLeavesOrdinaryUseAlone() throws Exception {
    CodeartifactClient api = start(Map.of("WHARF_LIMITS", "codeartifact"));
    assertThat(wharf.server().limits().settings().operations()).containsKeys("GetAuthorizationToken",
        "PublishPackageVersion", "ListPackages");
    String token = token(api);
    for (int i = 0; i < 20; i++) {
      assertThat(get(repository("npm"), bearer(token)).statusCode()).isEqualTo(200);
    }
    assertThat(cli(1).json("codeartifact", "list-repositories").path("repositories")).hasSize(1);
  }

  @Test
  void aTokenOverItsLimitGets429WithRetryAfterWhileAnotherTokenIsServed() throws Exception {
    CodeartifactClient api = start("token=1/min,burst=3");
    String busy = token(api);
    String other = token(api);
    for (int i = 0; i < 3; i++) {
      assertThat(get(repository("npm"), bearer(busy)).statusCode()).isEqualTo(200);
    }
    HttpResponse<String> npm = get(repository("npm") + "some-package", bearer(busy));
    assertThat(npm.statusCode()).isEqualTo(429);
    assertRetryAfter(npm);
    assertThat(JSON.readTree(npm.body()).path("error").asText()).contains("authorization token");
    HttpResponse<String> maven = get(repository("maven") + "com/example/lib/1.0/lib-1.0.pom", basic(busy));
    assertThat(maven.statusCode()).isEqualTo(429);
    assertThat(maven.body()).contains("Rate exceeded");

    assertThat(get(repository("npm"), bearer(other)).statusCode()).isEqualTo(200);
  }

  @Test
  void anUploadBeyondTheConcurrentBoundIsRefusedAtOnceAndReadsGoOn() throws Exception {
    CodeartifactClient api = start("uploads=1");
    String token = token(api);
    String account = wharf.managementAccountId();
    String held = "/acme-" + account + "/maven/libs/com/example/held/1.0/held-1.0.jar";
    try (Socket upload = new Socket("127.0.0.1", wharf.endpoint().getPort())) {
      // an upload that has sent its headers and a little of its body: it holds the one place
      OutputStream out = upload.getOutputStream();
      out.write(("PUT " + held + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + basic(token)
          + "\r\nContent-Type: application/java-archive\r\nContent-Length: 100000\r\n\r\n0123456789")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the held upload takes the place before any other upload is sent (else the first of those could win it)
      Instant holding = Instant.now().plusSeconds(30);
      while (wharf.server().limits().uploadsRunning() < 1) {
        assertThat(Instant.now()).as("the held upload never took its place").isBefore(holding);
        Thread.sleep(10);
      }

      HttpResponse<String> refused = poll(() -> putJar(token), response -> response.statusCode() == 429);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.body()).contains("Too many uploads");
      assertThatThrownBy(() -> api.publishPackageVersion(b -> b.domain("acme").repository("libs")
          .format(PackageFormat.GENERIC).namespace("ns").packageValue("tool").packageVersion("1.0")
          .assetName("tool.bin").assetSHA256(sha256("tool")), RequestBody.fromBytes("tool".getBytes(StandardCharsets.UTF_8))))
          .isInstanceOfSatisfying(ThrottlingException.class, throttled -> assertThat(throttled.statusCode()).isEqualTo(429));

      // reads are not uploads
      assertThat(get(repository("npm"), bearer(token)).statusCode()).isEqualTo(200);
      assertThat(get(repository("maven") + "com/example/none/1.0/none-1.0.pom", basic(token)).statusCode()).isEqualTo(404);
    }
    // the held upload ended (its client went away): its place is free again
    HttpResponse<String> accepted = poll(() -> putJar(token), response -> response.statusCode() < 300);
    assertThat(accepted.statusCode()).isBetween(200, 299);
  }

  private int uploads;

  /** A PUT of a new jar (a new artifact each time, since a released file cannot be replaced). */
  private HttpResponse<String> putJar(String token) {
    String artifact = "other" + ++uploads;
    return send(HttpRequest.newBuilder(URI.create(repository("maven") + "com/example/" + artifact + "/1.0/" + artifact
            + "-1.0.jar"))
        .header("Authorization", basic(token))
        .PUT(HttpRequest.BodyPublishers.ofString("jar bytes")));
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Repeats {@code request} until its answer satisfies {@code until}, for at most 20 s. */
  private static HttpResponse<String> poll(java.util.function.Supplier<HttpResponse<String>> request,
      Predicate<HttpResponse<String>> until) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    HttpResponse<String> last;
    do {
      last = request.get();
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(20);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("never got the expected answer; last: " + last.statusCode() + " " + last.body());
  }
}
