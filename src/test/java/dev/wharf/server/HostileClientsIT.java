package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * Clients that attack the HTTP layer rather than a format: request smuggling with conflicting
 * framing headers, deeply nested JSON, a compressed body bomb and thousands of idle connections. Each
 * is refused cleanly (a 4xx, never a 500) and the server goes on serving others.
 */
class HostileClientsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path scratch;
  private static TestingServer server;
  private static String token;
  /** The npm endpoint of acme/app, as get-repository-endpoint answers it. */
  private static URI npmEndpoint;

  @BeforeAll
  static void start() {
    server = TestingServer.start(scratch.resolve("data"));
    try (CodeartifactClient api = server.codeartifact(server.rootCredentials())) {
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("app"));
      token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
      npmEndpoint = URI.create(api.getRepositoryEndpoint(b -> b.domain("acme").repository("app")
          .format(software.amazon.awssdk.services.codeartifact.model.PackageFormat.NPM)).repositoryEndpoint());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_request_with_both_content_length_and_transfer_encoding_is_refused_and_what_it_hides_is_not_served()
      throws Exception {
    String smuggled = "GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n";
    String body = "0\r\n\r\n" + smuggled;
    String answer = exchange("PUT " + npmEndpoint.getPath() + "left-pad HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).as("the smuggled request got no answer of its own").doesNotContain("\"status\":\"ready\"")
        .containsOnlyOnce("HTTP/1.1 ");
    assertThat(healthy()).isTrue();
  }

  @Test
  void two_different_content_lengths_are_refused() throws Exception {
    String answer = exchange("PUT " + npmEndpoint.getPath() + "left-pad HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}");
    assertThat(answer).startsWith("HTTP/1.1 400").containsOnlyOnce("HTTP/1.1 ");
  }

  @Test
  void deeply_nested_json_is_a_client_error_for_the_api_and_for_a_package_client() throws Exception {
    String nested = "[".repeat(100_000) + "]".repeat(100_000);
    var api = server.signer().request("POST", "/v1/domain", "domain=deep")
        .body("application/json", ("{\"tags\":" + nested + "}").getBytes(StandardCharsets.UTF_8))
        .signed(server.rootCredentials(), "codeartifact");
    assertThat(api.status()).as(api.body()).isBetween(400, 499);
    assertThat(api.body()).doesNotContain("Exception:").doesNotContain("at dev.wharf");

    HttpResponse<String> npm = HTTP.send(HttpRequest.newBuilder(npmEndpoint.resolve("deep"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"deep\",\"versions\":" + nested + "}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(npm.statusCode()).as(npm.body()).isBetween(400, 499);
    assertThat(npm.body()).contains("\"error\"").doesNotContain("at dev.wharf");
    assertThat(healthy()).isTrue();
  }

  @Test
  void a_compressed_body_bomb_is_not_inflated() throws Exception {
    // 256 MiB of zeros in about 256 KB: Wharf takes request bodies as sent (no Content-Encoding is decoded)
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        gzip.write(zeros);
      }
    }
    HttpResponse<String> npm = HTTP.send(HttpRequest.newBuilder(npmEndpoint.resolve("bomb"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(bomb.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(npm.statusCode()).as(npm.body()).isBetween(400, 499);
    try (CodeartifactClient api = server.codeartifact(server.rootCredentials())) {
      assertThat(api.listPackages(b -> b.domain("acme").repository("app")).packages()).isEmpty();
    }
  }

  @Test
  void thousands_of_idle_connections_do_not_keep_others_from_being_served() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 5_000; i++) {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 5_000);
        idle.add(socket);
      }
      assertThat(healthy()).isTrue();
      try (CodeartifactClient api = server.codeartifact(server.rootCredentials())) {
        assertThat(api.listRepositories(b -> { }).repositories()).hasSize(1);
      }
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  /** Sends raw bytes on a new connection and returns everything answered until the server closes or goes quiet. */
  private static String exchange(String raw) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
      socket.setSoTimeout(3_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException quiet) {
        // the server kept the connection open and said nothing more
      } catch (IOException reset) {
        // closed by the server
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static boolean healthy() throws Exception {
    URI ready = server.endpoint().resolve("/health/ready");
    return HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }
}
