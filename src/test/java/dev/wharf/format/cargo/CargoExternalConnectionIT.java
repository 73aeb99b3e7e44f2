package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingCrates;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingPublicRegistry;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * The external connection {@code public:crates-io}, mapped by the operator to a sparse index: here
 * a second Wharf plays crates.io (with the crates.io crates Debian unpacks), reached with a token in
 * the URL. The real cargo builds a project from the first Wharf alone; the crates it needs are read
 * through, checked against the index's checksums and kept. A crate whose bytes do not match its
 * checksum is refused and nothing is kept.
 */
class CargoExternalConnectionIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path scratch;
  static TestingPublicRegistry registry;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String endpoint;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand(CargoClientIT.cargoCommand(), "--version");
    if (TestingCrates.debianCrates().size() < 20) {
      TestingClients.missing("Debian's crates (apt-get install librust-serde-json-dev librust-regex-dev"
          + " librust-anyhow-dev)");
    }
    registry = TestingPublicRegistry.start(scratch.resolve("registry"), "cargo", "crates-io");
    for (Path dir : TestingCrates.debianCrates()) {
      assertThat(TestingCrates.publish(registry.endpoint(), registry.token(),
          TestingCrates.fromDirectory(dir).publishBody()).statusCode()).isEqualTo(200);
    }
    wharf = TestingPublicRegistry.mirror(scratch.resolve("wharf"), "public:crates-io", registry.endpointWithToken(),
        "crates");
    api = wharf.codeartifact(wharf.rootCredentials());
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    endpoint = api.getRepositoryEndpoint(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO))
        .repositoryEndpoint();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void cargoBuildsFromCratesReadThroughTheConnectionAndTheyAreKept() throws IOException {
    Path home = TestingFiles.directory(scratch, "cargo-home");
    Files.writeString(home.resolve("config.toml"), """
        [registries.wharf]
        index = "sparse+%s"

        [source.crates-io]
        replace-with = "wharf"
        """.formatted(endpoint));
    Path app = TestingFiles.directory(scratch, "app");
    Files.writeString(app.resolve("Cargo.toml"), """
        [package]
        name = "through"
        version = "0.1.0"
        edition = "2021"

        [dependencies]
        serde_json = "1"
        """);
    Files.createDirectories(app.resolve("src"));
    Files.writeString(app.resolve("src/main.rs"), "fn main() { println!(\"{}\", serde_json::json!([1, 2])); }\n");
    Map<String, String> environment = CargoClientIT.cargoEnvironment(home, TestingFiles.directory(scratch, "home"));
    environment.put("CARGO_REGISTRIES_WHARF_TOKEN", token);
    environment.put("CARGO_REGISTRY_GLOBAL_CREDENTIAL_PROVIDERS", "cargo:token");
    TestingProcesses.Result run = TestingProcesses.run(app, environment, Duration.ofMinutes(5),
        List.of(CargoClientIT.cargoCommand(), "run", "--quiet"));
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("[1,2]");

    var kept = api.listPackageVersions(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)
        .packageValue("serde_json")).versions();
    assertThat(kept).extracting(v -> v.version()).containsExactly("1.0.87");
    assertThat(kept.getFirst().origin().originType().toString()).isEqualTo("EXTERNAL");
    assertThat(api.listPackages(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)).packages())
        .extracting(p -> p.packageValue()).contains("serde", "itoa", "ryu", "serde_json");
  }

  @Test
  void aCrateThatDoesNotMatchItsChecksumIsRefusedAndNotKept() throws IOException, InterruptedException {
    TestingCrates.Crate real = TestingCrates.fromDirectory(TestingCrates.debianCrates().getFirst());
    HttpServer lying = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String line = "{\"name\":\"liar\",\"vers\":\"1.0.0\",\"deps\":[],\"cksum\":\"" + "0".repeat(64)
        + "\",\"features\":{},\"yanked\":false}\n";
    lying.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      byte[] body = path.endsWith("/li/ar/liar") ? line.getBytes(StandardCharsets.UTF_8)
          : path.endsWith("/download") ? real.file() : null;
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    lying.start();
    try (TestingServer proxy = TestingPublicRegistry.mirror(scratch.resolve("proxy"), "public:crates-io",
        "http://127.0.0.1:" + lying.getAddress().getPort() + "/index/", "mirror")) {
      CodeartifactClient proxyApi = proxy.codeartifact(proxy.rootCredentials());
      String proxyToken = proxyApi.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
      String base = proxyApi.getRepositoryEndpoint(b -> b.domain("acme").repository("mirror")
          .format(PackageFormat.CARGO)).repositoryEndpoint();
      HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(URI.create(base + "li/ar/liar"))
          .header("Authorization", proxyToken).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("\"cksum\":\"" + "0".repeat(64));
      HttpResponse<String> download = HTTP.send(HttpRequest.newBuilder(URI.create(base
          + "api/v1/crates/liar/1.0.0/download")).header("Authorization", proxyToken).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(download.statusCode()).as(download.body()).isEqualTo(502);
      assertThat(proxyApi.listPackages(b -> b.domain("acme").repository("mirror").format(PackageFormat.CARGO))
          .packages()).isEmpty();
    } finally {
      lying.stop(0);
    }
  }
}
