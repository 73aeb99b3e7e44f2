package dev.wharf.packages.external;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.ConflictException;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;

/**
 * External connections end to end. The "public registries" are local: a second Wharf instance
 * (npm and PyPI repositories reached with a token in the configured URL) and a small HTTP server
 * started here that misbehaves on purpose (garbage, huge, slow, hash-mismatched). The Wharf under
 * test chains team → shared → external connection; real npm and pip install through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalConnectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final TestingNpm npm = TestingNpm.npm();

  @TempDir static Path scratch;
  static TestingServer registry; // the "public registry"
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;
  /** Whether the PyPI test fetched far-away through the external connection (it skips without twine). */
  static boolean pypiFetched;
  static HttpServer misbehaving;
  static volatile byte[] goodTarball;

  @BeforeAll
  static void start() throws Exception {
    registry = TestingServer.start(scratch.resolve("registry"));
    CodeartifactClient publicApi = registry.codeartifact(registry.rootCredentials());
    publicApi.createDomain(b -> b.domain("world"));
    publicApi.createRepository(b -> b.domain("world").repository("public"));
    String publicToken = publicApi.getAuthorizationToken(b -> b.domain("world")).authorizationToken();
    String userInfo = "aws:" + URLEncoder.encode(publicToken, StandardCharsets.UTF_8);
    String publicBase = registry.endpoint().toString().replace("://", "://" + userInfo + "@") + "/world-"
        + registry.managementAccountId();
    registryToken = publicToken;
    registryAccount = registry.managementAccountId();

    misbehaving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    misbehaving.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    misbehaving.createContext("/", ExternalConnectionIT::misbehave);
    misbehaving.start();
    goodTarball = tarball("steady", "1.0.0");

    wharf = TestingServer.start(scratch.resolve("wharf"), Clock.systemUTC(), Map.of(
        "WHARF_EXTERNAL_CONNECTIONS", "public:npmjs=" + publicBase + "/npm/public,public:pypi=" + publicBase
            + "/pypi/public,public:maven-central=http://127.0.0.1:" + misbehaving.getAddress().getPort() + "/maven",
        "WHARF_EXTERNAL_TIMEOUT", "2",
        "WHARF_EXTERNAL_METADATA_TTL", "0",
        "WHARF_MAX_ASSET_SIZE", "1000000"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("shared"));
    api.associateExternalConnection(b -> b.domain("acme").repository("shared").externalConnection("public:npmjs"));
    api.createRepository(b -> b.domain("acme").repository("shared-py"));
    api.associateExternalConnection(b -> b.domain("acme").repository("shared-py").externalConnection("public:pypi"));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared"),
        u -> u.repositoryName("shared-py")));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
  }

  static String registryToken;
  static String registryAccount;

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (misbehaving != null) {
      misbehaving.stop(0);
    }
  }

  // ---------------------------------------------------------------- the misbehaving upstream

  static String misbehavingBase() {
    return "http://127.0.0.1:" + misbehaving.getAddress().getPort();
  }

  private static void misbehave(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      switch (path) {
        case "/npm/garbage" -> respond(exchange, 200, "<html>this is not a packument".getBytes(StandardCharsets.UTF_8));
        case "/npm/slow" -> {
          try {
            Thread.sleep(15_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
        }
        case "/npm/huge" -> {
          exchange.sendResponseHeaders(200, 0);
          byte[] chunk = new byte[1024 * 1024];
          java.util.Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 80; i++) {
              out.write(chunk);
            }
          } catch (IOException expected) {
            // the client hung up once it had enough
          }
        }
        case "/npm/steady", "/npm/mismatch", "/npm/bigfile" -> {
          String name = path.substring(5);
          byte[] advertised = name.equals("bigfile") ? new byte[2_000_000] : goodTarball;
          respond(exchange, 200, packument(name, "1.0.0", misbehavingBase() + "/tarballs/" + name + ".tgz",
              name.equals("mismatch") ? tarball("mismatch", "6.6.6") : advertised).getBytes(StandardCharsets.UTF_8));
        }
        case "/tarballs/steady.tgz" -> respond(exchange, 200, goodTarball);
        case "/tarballs/mismatch.tgz" -> respond(exchange, 200, tarball("mismatch", "1.0.0"));
        case "/tarballs/bigfile.tgz" -> respond(exchange, 200, new byte[2_000_000]);
        default -> respond(exchange, 404, "{}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    } catch (IOException ignored) {
      // client went away
    }
  }

  static String packument(String name, String version, String tarballUrl, byte[] tarball) {
    return "{\"name\":\"" + name + "\",\"dist-tags\":{\"latest\":\"" + version + "\"},\"versions\":{\"" + version
        + "\":{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\",\"dist\":{\"tarball\":\""
        + tarballUrl + "\",\"integrity\":\"" + NpmTestingPackages.sha512(tarball) + "\",\"shasum\":\""
        + NpmTestingPackages.sha1(tarball) + "\"}}}}";
  }

  /** An npm tarball: package/package.json and package/index.js. */
  static byte[] tarball(String name, String version) {
    return NpmTestingPackages.tarball("{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"main\":\"index.js\"}",
        "module.exports = 'hello from " + name + "@" + version + " upstream';\n");
  }

  // ---------------------------------------------------------------- clients

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }

  static String npmEndpoint(TestingServer server, String domainAndOwner, String repository) {
    return server.endpoint() + "/" + domainAndOwner + "/npm/" + repository + "/";
  }

  static Path npmHome(String registryUrl, String authToken) {
    return TestingNpm.npmrc(directory("home"), registryUrl, authToken);
  }

  static void publishToRegistry(String name, String version) {
    Path dir = directory("src");
    write(dir.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"main\":\"index.js\",\"license\":\"MIT\"}\n");
    write(dir.resolve("index.js"), "module.exports = 'hello from " + name + "@" + version + " on the public registry';\n");
    npm.runOk(npmHome(npmEndpoint(registry, "world-" + registryAccount, "public"), registryToken), dir, "publish");
  }

  static Path teamHome() {
    return npmHome(npmEndpoint(wharf, "acme-" + account, "team"), token);
  }

  static Path project(String name, String range) {
    return TestingNpm.project(directory("project"), name, range);
  }

  static String run(Path project, String module) {
    return TestingNpm.require(project, module);
  }

  // ---------------------------------------------------------------- pip

  /** A wheel of a one-module project, written by a few lines of Python (no network, no build tools). */
  private static final String MAKE_WHEEL = """
      import base64, hashlib, os, sys, zipfile
      name, version, out = sys.argv[1], sys.argv[2], sys.argv[3]
      dist = name.replace('-', '_')
      info = '%s-%s.dist-info' % (dist, version)
      files = {
          dist + '.py': 'GREETING = %r\\n' % ('hello from %s %s' % (name, version)),
          info + '/METADATA': 'Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\nSummary: test\\n' % (name, version),
          info + '/WHEEL': 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
      }
      record = ''
      for path, text in files.items():
          digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
          record += '%s,sha256=%s,%d\\n' % (path, digest, len(text.encode()))
      files[info + '/RECORD'] = record + info + '/RECORD,,\\n'
      with zipfile.ZipFile(os.path.join(out, '%s-%s-py3-none-any.whl' % (dist, version)), 'w') as z:
          for path, text in files.items():
              z.writestr(path, text)
      """;

  static TestingProcesses.Result python(Path directory, String... command) {
    return TestingProcesses.run(directory, TestingPip.environment(directory), TIMEOUT, List.of(command));
  }

  static TestingProcesses.Result pythonOk(Path directory, String... command) {
    TestingProcesses.Result result = python(directory, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /** pip installs the requirement from team into a fresh venv, without a cache; returns far_away.GREETING. */
  static String pipInstallFromTeam(String requirement) {
    Path venvDirectory = directory("venv");
    Path venv = venvDirectory.resolve("env");
    pythonOk(venvDirectory, TestingPip.makeVenv(venv).toArray(String[]::new));
    String python = venv.resolve("bin/python").toString();
    String index = (wharf.endpoint() + "/acme-" + account + "/pypi/team/simple/").replace("://", "://aws:" + token + "@");
    pythonOk(venvDirectory, TestingPip.pip(venv, "install", "--no-cache-dir", "--index-url", index, requirement)
        .toArray(String[]::new));
    return pythonOk(venvDirectory, python, "-c", "import far_away; print(far_away.GREETING)").stdout().strip();
  }

  @Test
  @Order(1)
  void pipInstallsThroughTeamAndTheExternalConnectionAndTheVersionIsKept() throws Exception {
    TestingClients.requireCommand("twine", "--version");
    Path dists = directory("dists");
    pythonOk(dists, "python3", "-c", MAKE_WHEEL, "far-away", "2.0", dists.toString());
    String publicUrl = registry.endpoint() + "/world-" + registryAccount + "/pypi/public/";
    Files.writeString(dists.resolve(".pypirc"), "[distutils]\nindex-servers = public\n\n[public]\nrepository = "
        + publicUrl + "\nusername = aws\npassword = " + registryToken + "\n");
    pythonOk(dists, "twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository", "public",
        "--config-file", dists.resolve(".pypirc").toString(), "far_away-2.0-py3-none-any.whl");

    assertThat(pipInstallFromTeam("far-away")).isEqualTo("hello from far-away 2.0");
    for (String repository : List.of("shared-py", "team")) {
      var versions = api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.PYPI)
          .packageValue("far-away")).versions();
      assertThat(versions).as(repository).singleElement().satisfies(v -> {
        assertThat(v.version()).isEqualTo("2.0");
        assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.EXTERNAL);
        assertThat(v.origin().domainEntryPoint().externalConnectionName()).isEqualTo("public:pypi");
        assertThat(v.origin().domainEntryPoint().repositoryName()).isNull();
      });
      var described = api.describePackageVersion(b -> b.domain("acme").repository(repository)
          .format(PackageFormat.PYPI).packageValue("far-away").packageVersion("2.0")).packageVersion().origin();
      assertThat(described.originType()).as(repository).isEqualTo(PackageVersionOriginType.EXTERNAL);
      assertThat(described.domainEntryPoint().externalConnectionName()).as(repository).isEqualTo("public:pypi");
    }
    pypiFetched = true;
  }

  // ---------------------------------------------------------------- npm

  @Test
  @Order(2) // stops the public registry, then installs again what the tests fetched
  void npmInstallsThroughTeamSharedAndTheExternalConnectionAndKeepsWhatItFetched() throws Exception {
    TestingClients.requireCommand("npm", "--version");
    publishToRegistry("from-public", "1.0.0");
    publishToRegistry("from-public", "1.2.0");

    Path project = project("from-public", "^1.0.0");
    npm.runOk(teamHome(), project, "install");
    assertThat(run(project, "from-public")).isEqualTo("hello from from-public@1.2.0 on the public registry");
    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    assertThat(lock.path("packages").path("node_modules/from-public").path("resolved").asText())
        .isEqualTo(npmEndpoint(wharf, "acme-" + account, "team") + "from-public/-/from-public-1.2.0.tgz");

    // Kept in the connected repository (EXTERNAL) and in team, the repository asked.
    for (String repository : List.of("shared", "team")) {
      var versions = api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.NPM)
          .packageValue("from-public")).versions();
      assertThat(versions).as(repository).singleElement().satisfies(v -> {
        assertThat(v.version()).isEqualTo("1.2.0");
        assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.EXTERNAL);
        assertThat(v.origin().domainEntryPoint().externalConnectionName()).isEqualTo("public:npmjs");
        assertThat(v.origin().domainEntryPoint().repositoryName()).isNull();
      });
      // The aws CLI (botocore's model) reads the same origin from DescribePackageVersion.
      JsonNode described = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(wharf.rootCredentials().accessKeyId(),
          wharf.rootCredentials().secretAccessKey()).json("codeartifact", "describe-package-version", "--domain", "acme",
          "--repository", repository, "--format", "npm", "--package", "from-public", "--package-version", "1.2.0");
      assertThat(described.at("/packageVersion/origin/originType").asText()).as(repository).isEqualTo("EXTERNAL");
      assertThat(described.at("/packageVersion/origin/domainEntryPoint/externalConnectionName").asText())
          .as(repository).isEqualTo("public:npmjs");
      assertThat(described.at("/packageVersion/origin/domainEntryPoint").has("repositoryName")).isFalse();
    }

    // The public registry goes away: what was fetched still installs, with an empty npm cache.
    registry.close();
    registry = null;
    Path again = project("from-public", "1.2.0");
    npm.runOk(teamHome(), again, "install");
    assertThat(run(again, "from-public")).isEqualTo("hello from from-public@1.2.0 on the public registry");

    // And the PyPI project fetched in the first test, into a fresh environment without pip's cache (when that
    // test ran: it skips without twine, and fails for it under WHARF_REQUIRE_CLIENTS=1).
    if (pypiFetched) {
      assertThat(pipInstallFromTeam("far-away==2.0")).isEqualTo("hello from far-away 2.0");
    }
  }

  @Test
  void misbehavingUpstreamsAreRejectedWithA502NamingThemAndNothingIsKept() throws Exception {
    try (TestingServer proxy = TestingServer.start(scratch.resolve("proxy"), Clock.systemUTC(), Map.of(
        "WHARF_EXTERNAL_CONNECTIONS", "public:npmjs=" + misbehavingBase() + "/npm",
        "WHARF_EXTERNAL_TIMEOUT", "2", "WHARF_EXTERNAL_METADATA_TTL", "0", "WHARF_MAX_ASSET_SIZE", "1000000"))) {
      CodeartifactClient proxyApi = proxy.codeartifact(proxy.rootCredentials());
      proxyApi.createDomain(b -> b.domain("acme"));
      proxyApi.createRepository(b -> b.domain("acme").repository("mirror"));
      proxyApi.associateExternalConnection(b -> b.domain("acme").repository("mirror").externalConnection("public:npmjs"));
      String proxyToken = proxyApi.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
      String base = npmEndpoint(proxy, "acme-" + proxy.managementAccountId(), "mirror");
      String upstream = "127.0.0.1:" + misbehaving.getAddress().getPort();

      for (String name : List.of("garbage", "huge", "slow")) {
        HttpResponse<String> response = get(base + name, proxyToken);
        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(502);
        assertThat(response.body()).as(name).contains("public:npmjs").contains(upstream);
      }
      assertThat(get(base + "slow", proxyToken).body()).contains("did not answer within 2 s");
      assertThat(get(base + "huge", proxyToken).body()).contains("more than the limit");
      assertThat(get(base + "garbage", proxyToken).body()).contains("malformed");
      assertThat(get(base + "absent", proxyToken).statusCode()).as("the upstream's 404 is a 404").isEqualTo(404);

      // The packument is fine, the tarball does not match its integrity: refused, not kept.
      assertThat(get(base + "mismatch", proxyToken).statusCode()).isEqualTo(200);
      HttpResponse<String> mismatch = get(base + "mismatch/-/mismatch-1.0.0.tgz", proxyToken);
      assertThat(mismatch.statusCode()).isEqualTo(502);
      assertThat(mismatch.body()).contains("does not match the hash");
      // Larger than this server accepts: refused, not kept.
      HttpResponse<String> big = get(base + "bigfile/-/bigfile-1.0.0.tgz", proxyToken);
      assertThat(big.statusCode()).isEqualTo(502);
      assertThat(big.body()).contains("more than the limit");
      for (String name : List.of("mismatch", "bigfile")) {
        assertThatThrownBy(() -> proxyApi.listPackageVersions(b -> b.domain("acme").repository("mirror")
            .format(PackageFormat.NPM).packageValue(name))).as(name).isInstanceOf(ResourceNotFoundException.class);
      }

      // A good one is kept; once the upstream is down its metadata is served as last fetched, its tarball from the store.
      HttpResponse<String> steady = get(base + "steady/-/steady-1.0.0.tgz", proxyToken);
      assertThat(steady.statusCode()).as(steady.body()).isEqualTo(200);
      misbehaving.stop(0);
      misbehaving = null;
      HttpResponse<String> packument = get(base + "steady", proxyToken);
      assertThat(packument.statusCode()).as(packument.body()).isEqualTo(200);
      assertThat(JSON.readTree(packument.body()).path("versions").has("1.0.0")).isTrue();
      assertThat(get(base + "steady/-/steady-1.0.0.tgz", proxyToken).statusCode()).isEqualTo(200);
      HttpResponse<String> down = get(base + "never-fetched", proxyToken);
      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(down.body()).contains("public:npmjs").contains("could not be reached");
    }
  }

  static HttpResponse<String> get(String url, String bearer) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------- the API

  @Test
  void associateAndDisassociateExternalConnectionAnswerAsCodeArtifactDoes() {
    api.createRepository(b -> b.domain("acme").repository("conn"));
    var associated = api.associateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:maven-central")).repository();
    assertThat(associated.externalConnections()).singleElement().satisfies(c -> {
      assertThat(c.externalConnectionName()).isEqualTo("public:maven-central");
      assertThat(c.packageFormatAsString()).isEqualTo("maven");
      assertThat(c.statusAsString()).isEqualTo("Available");
    });
    assertThat(api.describeRepository(b -> b.domain("acme").repository("conn")).repository().externalConnections())
        .hasSize(1);
    assertThatThrownBy(() -> api.associateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:maven-central"))).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> api.associateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:npmjs"))).isInstanceOf(ServiceQuotaExceededException.class)
        .hasMessageContaining("only one");
    assertThatThrownBy(() -> api.associateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:nowhere"))).isInstanceOf(ValidationException.class).hasMessageContaining("Unknown");
    assertThatThrownBy(() -> api.associateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:nuget-org"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("not configured on this server");
    assertThatThrownBy(() -> api.associateExternalConnection(b -> b.domain("acme").repository("absent")
        .externalConnection("public:npmjs"))).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> api.disassociateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:npmjs"))).isInstanceOf(ResourceNotFoundException.class);
    assertThat(api.disassociateExternalConnection(b -> b.domain("acme").repository("conn")
        .externalConnection("public:maven-central")).repository().externalConnections()).isEmpty();

    // The same through the real aws CLI.
    TestingAwsCli aws = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    JsonNode cli = aws.json("codeartifact", "associate-external-connection", "--domain", "acme", "--repository", "conn",
        "--external-connection", "public:pypi");
    assertThat(cli.at("/repository/externalConnections/0/externalConnectionName").asText()).isEqualTo("public:pypi");
    assertThat(cli.at("/repository/externalConnections/0/packageFormat").asText()).isEqualTo("pypi");
    JsonNode listed = aws.json("codeartifact", "list-repositories-in-domain", "--domain", "acme");
    assertThat(listed.toString()).as("summaries do not carry external connections").doesNotContain("externalConnections");
    TestingAwsCli.Result twice = aws.run("codeartifact", "associate-external-connection", "--domain", "acme",
        "--repository", "conn", "--external-connection", "public:npmjs");
    assertThat(twice.exitCode()).as(twice.describe()).isEqualTo(255);
    assertThat(twice.stderr()).contains("ServiceQuotaExceededException");
    TestingAwsCli.Result invalid = aws.run("codeartifact", "associate-external-connection", "--domain", "acme",
        "--repository", "conn", "--external-connection", "bad name!");
    assertThat(invalid.exitCode()).as(invalid.describe()).isEqualTo(255);
    assertThat(invalid.stderr()).contains("ValidationException");
    JsonNode removed = aws.json("codeartifact", "disassociate-external-connection", "--domain", "acme", "--repository",
        "conn", "--external-connection", "public:pypi");
    assertThat(removed.at("/repository/externalConnections").size()).isZero();
    TestingAwsCli.Result gone = aws.run("codeartifact", "disassociate-external-connection", "--domain", "acme",
        "--repository", "conn", "--external-connection", "public:pypi");
    assertThat(gone.stderr()).contains("ResourceNotFoundException");
  }
}
