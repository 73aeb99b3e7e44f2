package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics of a running server after real traffic: the aws CLI getting a token (allowed, and refused to a
 * user without policies), publishing and downloading a generic package, package requests with the token and
 * with a tampered one; then the counters moved with the right tags, the endpoint wants its bearer token, no
 * label holds a secret or a name, and --metrics-port moves it off the main port.
 */
class MetricsIT {
  private static final String METRICS_TOKEN = "metrics-" + HexFormat.of().formatHex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
  private static final String PACKAGE = "metrics-secret-package";
  private static final String NAMESPACE = "metrics-namespace";
  private static final int ASSET_BYTES = 200_000;

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli root;
  static String account;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(), Map.of("WHARF_METRICS_TOKEN", METRICS_TOKEN));
    account = wharf.managementAccountId();
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
  }

  @Test
  void realTrafficMovesTheCountersWithTheirTagsAndNoLabelHoldsASecret() throws Exception {
    // a token, issued to root (policy: allow)
    String token = root.json("codeartifact", "get-authorization-token", "--domain", "acme")
        .path("authorizationToken").asText();
    assertThat(token).isNotEmpty();

    // a user without any policy is refused one (policy: implicit deny; the API answers 403)
    root.json("iam", "create-user", "--user-name", "nobody");
    JsonNode key = root.json("iam", "create-access-key", "--user-name", "nobody").path("AccessKey");
    String nobodySecret = key.path("SecretAccessKey").asText();
    TestingAwsCli nobody = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(key.path("AccessKeyId").asText(), nobodySecret);
    TestingAwsCli.Result refused = nobody.run("codeartifact", "get-authorization-token", "--domain", "acme");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).contains("AccessDeniedException");

    // a generic package published and downloaded with the CLI: bytes stored and served
    byte[] content = new byte[ASSET_BYTES];
    new Random(18).nextBytes(content);
    Path asset = Files.write(scratch.resolve("asset.bin"), content);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    root.json("codeartifact", "publish-package-version", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", NAMESPACE, "--package", PACKAGE, "--package-version", "1.0.0",
        "--asset-content", asset.toString(), "--asset-name", "asset.bin", "--asset-sha256", sha256);
    Path downloaded = scratch.resolve("downloaded.bin");
    TestingAwsCli.Result download = root.run("codeartifact", "get-package-version-asset", "--domain", "acme",
        "--repository", "files", "--format", "generic", "--namespace", NAMESPACE, "--package", PACKAGE,
        "--package-version", "1.0.0", "--asset", "asset.bin", downloaded.toString());
    assertThat(download.exitCode()).as(download.describe()).isZero();
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);

    // package requests: npm's ping with the token (200), with a tampered token (401), a path no route takes (404)
    String npm = "/acme-" + account + "/npm/files/";
    assertThat(get(npm + "-/ping", "Bearer " + token).statusCode()).isEqualTo(200);
    String tampered = token.substring(0, token.length() - 8) + (token.endsWith("AAAAAAAA") ? "BBBBBBBB" : "AAAAAAAA");
    assertThat(get(npm + "-/ping", "Bearer " + tampered).statusCode()).isEqualTo(401);
    assertThat(get(npm + "-/no/such/" + PACKAGE + "/route/here", "Bearer " + token).statusCode()).isEqualTo(404);

    Map<String, Double> metrics = scrapeUntil(m ->
        value(m, "wharf_requests_seconds_count", "protocol", "package", "format", "npm", "operation", "ping", "status", "401") >= 1
            && value(m, "wharf_requests_seconds_count", "protocol", "aws-rest", "operation", "GetPackageVersionAsset",
                "status", "200") >= 1);

    assertThat(value(metrics, "wharf_tokens_issued_total")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_tokens_verified_total")).isGreaterThanOrEqualTo(2);
    assertThat(value(metrics, "wharf_tokens_refused_total", "reason", "tampered")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_policy_decisions_total", "outcome", "allow")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_policy_decisions_total", "outcome", "implicit_deny")).isGreaterThanOrEqualTo(1);

    assertThat(value(metrics, "wharf_requests_seconds_count", "protocol", "aws-rest", "format", "none",
        "operation", "GetAuthorizationToken", "status", "200")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_requests_seconds_count", "protocol", "aws-rest",
        "operation", "GetAuthorizationToken", "status", "403")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_requests_seconds_count", "protocol", "aws-query", "operation", "CreateUser",
        "status", "200")).isEqualTo(1);
    assertThat(value(metrics, "wharf_requests_seconds_count", "protocol", "package", "format", "npm",
        "operation", "ping", "status", "200")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_requests_seconds_count", "protocol", "package", "format", "npm",
        "operation", "unknown", "status", "404")).isGreaterThanOrEqualTo(1);
    assertThat(value(metrics, "wharf_requests_seconds_bucket", "protocol", "package", "format", "npm",
        "operation", "ping", "status", "200", "le", "60.0")).isGreaterThanOrEqualTo(1);

    assertThat(value(metrics, "wharf_served_bytes_total", "protocol", "aws-rest", "format", "none"))
        .isGreaterThanOrEqualTo(ASSET_BYTES);
    assertThat(value(metrics, "wharf_stored_bytes_total")).isGreaterThanOrEqualTo(ASSET_BYTES);

    // the pool, the caches, the JVM and the process
    assertThat(value(metrics, "hikaricp_connections_max", "pool", "wharf-db")).isPositive();
    assertThat(value(metrics, "cache_gets_total", "cache", "tokens.verified", "result", "hit")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"))
        .anyMatch(name -> name.startsWith("jvm_threads_live_threads"))
        .anyMatch(name -> name.startsWith("jvm_classes_loaded_classes"))
        .anyMatch(name -> name.startsWith("process_cpu_usage"))
        .anyMatch(name -> name.startsWith("process_files_open_files"))
        .anyMatch(name -> name.startsWith("process_uptime_seconds"))
        .anyMatch(name -> name.startsWith("wharf_blob_collector_runs_seconds_count"));

    // no label holds a secret, a token, a name or a path
    String body = scrape(METRICS_TOKEN).body();
    for (String secret : List.of(token, tampered, METRICS_TOKEN, wharf.rootCredentials().secretAccessKey(),
        wharf.rootCredentials().accessKeyId(), nobodySecret, PACKAGE, NAMESPACE, account, "acme", "/files")) {
      assertThat(body).as("the scrape holds " + secret).doesNotContain(secret);
    }
    Matcher label = Pattern.compile("[a-z_]+=\"([^\"]*)\"").matcher(body);
    while (label.find()) {
      assertThat(label.group(1)).as("a label value").doesNotContain("/").doesNotContain(account).hasSizeLessThan(80);
    }
  }

  @Test
  void theEndpointWantsItsBearerToken() throws Exception {
    HttpResponse<String> without = scrape(null);
    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(without.body()).doesNotContain("wharf_");
    assertThat(scrape(METRICS_TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(scrape(METRICS_TOKEN.substring(1)).statusCode()).isEqualTo(401);
    HttpResponse<String> with = scrape(METRICS_TOKEN);
    assertThat(with.statusCode()).isEqualTo(200);
    assertThat(with.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(with.body()).contains("# TYPE wharf_requests_seconds histogram");
    // refusals are counted too, under the metrics protocol
    assertThat(value(parse(scrape(METRICS_TOKEN).body()), "wharf_requests_seconds_count", "protocol", "metrics",
        "status", "401")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aMetricsPortServesOnlyMetricsAndTheMainPortNoLonger() throws Exception {
    try (TestingServer separate = TestingServer.start(scratch.resolve("separate"), Clock.systemUTC(),
        Map.of("WHARF_METRICS_PORT", "0"))) {
      int main = separate.server().port();
      int metricsPort = separate.server().metricsPort();
      assertThat(metricsPort).isNotEqualTo(main).isPositive();
      HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("wharf_tokens_issued_total");
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + main + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + main + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(wharf.endpoint().resolve(path)).header("Authorization", authorization).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> scrape(String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(wharf.endpoint().resolve("/metrics"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Scrapes until {@code ready} holds (an answer is recorded once it is sent, so just after the client saw it). */
  private static Map<String, Double> scrapeUntil(Predicate<Map<String, Double>> ready) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (true) {
      HttpResponse<String> response = scrape(METRICS_TOKEN);
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Double> metrics = parse(response.body());
      if (ready.test(metrics) || Instant.now().isAfter(deadline)) {
        return metrics;
      }
      Thread.sleep(50);
    }
  }

  /** Each sample line, {@code name{labels}} to its value. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** The sum of the samples of {@code name} whose labels include each given name/value pair. */
  static double value(Map<String, Double> metrics, String name, String... labels) {
    double sum = 0;
    for (Map.Entry<String, Double> sample : metrics.entrySet()) {
      String key = sample.getKey();
      if (!(key.equals(name) || key.startsWith(name + "{"))) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < labels.length; i += 2) {
        matches &= key.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (matches) {
        sum += sample.getValue();
      }
    }
    return sum;
  }
}
