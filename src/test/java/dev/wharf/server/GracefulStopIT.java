package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSlowUpload;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * {@code ./wharf server} stopped with SIGTERM while uploads are in flight, as a container platform
 * stops it: readiness answers 503 at once while it serves on for --shutdown-delay, an upload that finishes within --shutdown-grace is
 * answered and committed, one that does not is cut off and leaves nothing visible, and the process
 * exits 0. The server logs JSON lines, one access line per request naming the id its answer carried.
 */
class GracefulStopIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path scratch;

  @Test
  void an_upload_in_flight_at_sigterm_finishes_and_is_kept_while_readiness_says_stopping() throws Exception {
    Path data = scratch.resolve("data");
    byte[] content = new byte[16 * 1024 * 1024];
    new Random(3).nextBytes(content);
    int port = freePort();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    TestingLauncher launcher = TestingLauncher.create(scratch.resolve("home"));
    HttpResponse<String> answer;
    String requestId;
    try (TestingLauncher.Running server = launcher.start("server", "--data", data.toString(), "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--shutdown-grace", "60", "--shutdown-delay", "2", "--log-format", "json", "--access-log", "true")) {
      server.awaitLine(line -> line.contains("Wharf ready"), Duration.ofSeconds(90));
      AwsCredentials root = rootCredentials(data);
      createRepository(endpoint, root);
      assertThat(status(endpoint, "/health/ready")).isEqualTo(200);
      // about 4 MB/s: the upload takes about four seconds
      TestingSlowUpload slow = new TestingSlowUpload(content, 64 * 1024, 16);
      CompletableFuture<HttpResponse<String>> upload = slow.publish(endpoint, root, "acme", "app", "big", "big.bin");
      awaitSent(slow, content.length / 8, server);

      server.process().toHandle().destroy(); // SIGTERM
      server.awaitLine(line -> line.contains("Stopping: not ready"), Duration.ofSeconds(10));
      // during the delay: not ready, yet alive and serving
      assertThat(status(endpoint, "/health/ready")).isEqualTo(503);
      assertThat(status(endpoint, "/health/live")).isEqualTo(200);
      server.awaitLine(line -> line.contains("Stopping: requests in flight get up to 60 s"), Duration.ofSeconds(10));
      assertThat(upload).as("cut off before the end of the upload").isNotDone();

      answer = upload.get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(server.awaitExit(Duration.ofSeconds(60))).as(server.output()).isIn(0, 143); // 143: SIGTERM's

      List<JsonNode> lines = jsonLines(server.output());
      requestId = answer.headers().firstValue("x-request-id").orElseThrow();
      assertThat(answer.headers().firstValue("x-amzn-RequestId")).contains(requestId);
      assertThat(lines).as("the access line of the upload").anySatisfy(line -> {
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.wharf.access");
        assertThat(line.path("formattedMessage").asText()).contains("POST /v1/package/version/publish 200")
            .contains(requestId).doesNotContain("?");
      });
      assertThat(lines).anySatisfy(line -> assertThat(line.path("formattedMessage").asText()).isEqualTo("Stopped"));
    }

    try (TestingServer restarted = TestingServer.startNode(data, Map.of());
        CodeartifactClient api = restarted.codeartifact(restarted.rootCredentials())) {
      assertThat(api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
          .namespace("ns").packageValue("big").packageVersion("1.0").asset("big.bin")).asByteArray()).isEqualTo(content);
      // the audit trail names the request by the id its answer carried
      String account;
      try (var sts = restarted.sts(restarted.rootCredentials())) {
        account = sts.getCallerIdentity().account();
      }
      assertThat(restarted.server().audit().lookup(account, Instant.EPOCH, null,
          "codeartifact:PublishPackageVersion", 10))
          .anySatisfy(event -> assertThat(event.requestId()).isEqualTo(requestId));
    }
  }

  @Test
  void an_upload_still_running_when_the_grace_ends_is_cut_off_and_nothing_of_it_is_visible() throws Exception {
    Path data = scratch.resolve("data");
    byte[] content = new byte[16 * 1024 * 1024];
    new Random(4).nextBytes(content);
    int port = freePort();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    TestingLauncher launcher = TestingLauncher.create(scratch.resolve("home"));
    try (TestingLauncher.Running server = launcher.start("server", "--data", data.toString(), "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--shutdown-grace", "2")) {
      server.awaitLine(line -> line.contains("Wharf ready"), Duration.ofSeconds(90));
      AwsCredentials root = rootCredentials(data);
      createRepository(endpoint, root);
      // about 0.5 MB/s: half a minute, far beyond the grace
      TestingSlowUpload slow = new TestingSlowUpload(content, 16 * 1024, 32);
      CompletableFuture<HttpResponse<String>> upload = slow.publish(endpoint, root, "acme", "app", "big", "big.bin");
      awaitSent(slow, 256 * 1024, server);

      server.process().toHandle().destroy(); // SIGTERM
      assertThat(server.awaitExit(Duration.ofSeconds(30))).as(server.output()).isIn(0, 143);
      assertThat(server.output()).contains("were cut off");
      assertThat(slow.sent()).isLessThan(content.length);
      assertThat(upload).failsWithin(Duration.ofSeconds(30));
    }

    try (TestingServer restarted = TestingServer.startNode(data, Map.of());
        CodeartifactClient api = restarted.codeartifact(restarted.rootCredentials())) {
      assertThatThrownBy(() -> api.describePackageVersion(b -> b.domain("acme").repository("app")
          .format(PackageFormat.GENERIC).namespace("ns").packageValue("big").packageVersion("1.0")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(api.listPackages(b -> b.domain("acme").repository("app")).packages()).isEmpty();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static AwsCredentials rootCredentials(Path data) {
    return TestingServer.credentialsFile(data.resolve("credentials"));
  }

  private static void createRepository(URI endpoint, AwsCredentials root) {
    try (CodeartifactClient api = TestingServer.codeartifact(endpoint, root)) {
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("app"));
    }
  }

  private static void awaitSent(TestingSlowUpload upload, long bytes, TestingLauncher.Running server) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (upload.sent() < bytes) {
      assertThat(Instant.now()).as("upload did not start; output:\n" + server.output()).isBefore(deadline);
      Thread.sleep(20);
    }
  }

  private static int status(URI endpoint, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve(path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Every line of the output after the first JSON line, each parsed (one that is not JSON fails the test). */
  private static List<JsonNode> jsonLines(String output) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    boolean started = false;
    for (String line : output.split("\n")) {
      started |= line.startsWith("{");
      if (started && !line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
