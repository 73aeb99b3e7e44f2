package dev.wharf.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingCertificates;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * The real clients over HTTPS, trusting a private CA made here the way each is told to: the aws CLI with
 * --ca-bundle, npm with cafile, twine and pip with --cert, Maven with -Djavax.net.ssl.trustStore. Each also proves
 * the connection is verified: without the CA the same call fails.
 */
class TlsClientsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path scratch;
  static TestingCertificates authority;
  static TestingServer wharf;
  static String account;
  static TestingAwsCli aws;

  @BeforeAll
  static void start() {
    authority = TestingCertificates.authority(scratch.resolve("pki"));
    TestingCertificates.Server certificate = authority.server("wharf", TestingCertificates.KeyFormat.PKCS8_RSA);
    wharf = TestingServer.startTls(scratch.resolve("data"), Map.of("WHARF_TLS_KEYSTORE",
        certificate.keyStoreFile().toString(), "WHARF_TLS_KEYSTORE_PASSWORD", certificate.keyStorePassword()),
        authority);
    account = wharf.managementAccountId();
    CodeartifactClient root = wharf.codeartifact(wharf.rootCredentials());
    root.createDomain(b -> b.domain("acme"));
    for (String repository : List.of("npm-repo", "pypi-repo", "maven-repo")) {
      root.createRepository(b -> b.domain("acme").repository(repository));
    }
    AwsBasicCredentials developer = TestingIam.user(wharf.iam(wharf.rootCredentials()), "dev", "developer",
        TestingIam.DEVELOPER);
    aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(developer.accessKeyId(), developer.secretAccessKey());
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String token() {
    TestingAwsCli.Result result = aws.run("--ca-bundle", authority.caFile().toString(), "codeartifact",
        "get-authorization-token", "--domain", "acme", "--domain-owner", account, "--query", "authorizationToken",
        "--output", "text");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result.stdout().strip();
  }

  private static String endpoint(String repository, String format) {
    String endpoint = aws.json("--ca-bundle", authority.caFile().toString(), "codeartifact", "get-repository-endpoint",
        "--domain", "acme", "--domain-owner", account, "--repository", repository, "--format", format)
        .path("repositoryEndpoint").asText();
    assertThat(endpoint).as("the endpoint the API returns is the HTTPS one")
        .startsWith("https://127.0.0.1:" + wharf.server().port() + "/");
    return endpoint;
  }

  private static Path directory(String name) {
    try {
      return Files.createDirectories(scratch.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theAwsCliWithCaBundle() {
    assertThat(token()).isNotBlank();
    assertThat(aws.json("--ca-bundle", authority.caFile().toString(), "codeartifact", "list-repositories-in-domain",
        "--domain", "acme").path("repositories")).hasSize(3);
    TestingAwsCli.Result untrusted = aws.run("codeartifact", "list-repositories-in-domain", "--domain", "acme");
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isNotZero();
    assertThat(untrusted.stderr()).containsIgnoringCase("certificate");
  }

  @Test
  void npmWithCafilePublishesAndInstalls() {
    TestingClients.requireCommand("npm", "--version");
    String registry = endpoint("npm-repo", "npm");
    Path home = TestingNpm.npmrc(directory("npm-home"), registry, token());
    TestingNpm npm = TestingNpm.npm().config("cafile", authority.caFile().toString());
    Path module = directory("tls-hello");
    TestingFiles.write(module.resolve("package.json"), "{\"name\":\"tls-hello\",\"version\":\"1.0.0\",\"main\":\"index.js\"}\n");
    TestingFiles.write(module.resolve("index.js"), "module.exports = 'hello over https';\n");
    npm.runOk(home, module, "publish");
    Path consumer = TestingNpm.project(directory("npm-consumer"), "tls-hello", "1.0.0");
    npm.runOk(home, consumer, "install");
    assertThat(TestingNpm.require(consumer, "tls-hello")).isEqualTo("hello over https");

    // a fresh HOME (and npm cache), so that npm must reach the server
    Path otherHome = TestingNpm.npmrc(directory("npm-home-untrusted"), registry, token());
    Path untrusted = TestingNpm.project(directory("npm-untrusted"), "tls-hello", "1.0.0");
    TestingProcesses.Result refused = TestingNpm.npm().run(otherHome, untrusted, "install");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).containsIgnoringCase("certificate");
  }

  @Test
  void twineAndPipWithCert() {
    TestingClients.requireCommand("twine", "--version");
    TestingClients.requireCommand("python3", "-m", "venv", "--help");
    String endpoint = endpoint("pypi-repo", "pypi");
    String token = token();
    Path home = directory("pip-home");
    Map<String, String> environment = TestingPip.environment(home);
    Path dist = directory("pypi-dist");
    ok(dist, environment, "python3", "-c", """
        import sys, zipfile
        info = 'wharf_tls_hello-1.0.dist-info'
        with zipfile.ZipFile(sys.argv[1] + '/wharf_tls_hello-1.0-py3-none-any.whl', 'w') as z:
            z.writestr('wharf_tls_hello/__init__.py', 'GREETING = "hello over https"\\n')
            z.writestr(info + '/METADATA', 'Metadata-Version: 2.1\\nName: wharf-tls-hello\\nVersion: 1.0\\n')
            z.writestr(info + '/WHEEL', 'Wheel-Version: 1.0\\nGenerator: wharf-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
            z.writestr(info + '/RECORD', '')
        """, dist.toString());
    ok(dist, environment, "twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
        endpoint, "-u", "aws", "-p", token, "--cert", authority.caFile().toString(),
        dist.resolve("wharf_tls_hello-1.0-py3-none-any.whl").toString());

    Path venv = directory("venv").resolve("env");
    ok(venv.getParent(), environment, TestingPip.makeVenv(venv).toArray(String[]::new));
    String index = endpoint.replaceFirst("^https://", "https://aws:" + token + "@") + "simple/";
    ok(venv.getParent(), environment, TestingPip.pip(venv, "install", "--no-cache-dir",
        "--cert", authority.caFile().toString(), "--index-url", index, "wharf-tls-hello==1.0").toArray(String[]::new));
    TestingProcesses.Result imported = ok(venv.getParent(), environment, venv.resolve("bin/python").toString(), "-c",
        "import wharf_tls_hello; print(wharf_tls_hello.GREETING)");
    assertThat(imported.stdout().strip()).isEqualTo("hello over https");

    TestingProcesses.Result untrusted = TestingProcesses.run(venv.getParent(), environment, TIMEOUT, TestingPip.pip(
        venv, "download", "--no-cache-dir", "--no-deps", "-d", directory("pip-untrusted").toString(), "--retries", "0",
        "--index-url", index, "wharf-tls-hello==1.0"));
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isNotZero();
  }

  @Test
  void mavenWithATrustStoreDeploysAndResolves() {
    Path mavenWrapper = Path.of("mvnw").toAbsolutePath();
    Path cached = Path.of(System.getProperty("user.home"), ".m2", "repository");
    if (!Files.isExecutable(mavenWrapper)
        || !Files.isDirectory(cached.resolve("org/apache/maven/plugins/maven-deploy-plugin/3.1.2"))
        || !Files.isDirectory(cached.resolve("org/apache/maven/plugins/maven-dependency-plugin/3.9.0"))) {
      TestingClients.missing("the Maven wrapper and the deploy and dependency plugins in " + cached);
      return;
    }
    String endpoint = endpoint("maven-repo", "maven");
    Path project = directory("maven");
    Path settings = project.resolve("settings.xml");
    TestingFiles.write(settings, """
        <settings><servers><server><id>codeartifact</id><username>aws</username>
        <password>${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers></settings>
        """);
    Path jar = project.resolve("hello.jar");
    TestingFiles.write(jar, "not really a jar, bytes are bytes\n");
    String trust = "-Djavax.net.ssl.trustStore=" + authority.trustStore()
        + " -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12";
    TestingProcesses.Result deployed = maven(mavenWrapper, project, settings, trust, cached, "deployed",
        "org.apache.maven.plugins:maven-deploy-plugin:3.1.2:deploy-file", "-Durl=" + endpoint,
        "-DrepositoryId=codeartifact", "-Dfile=" + jar, "-DgroupId=com.example.tls", "-DartifactId=hello",
        "-Dversion=1.0", "-Dpackaging=jar", "-DgeneratePom=true");
    assertThat(deployed.exitCode()).as(deployed.describe()).isZero();

    TestingProcesses.Result resolved = maven(mavenWrapper, project, settings, trust, cached, "resolved",
        "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:get",
        "-DremoteRepositories=codeartifact::default::" + endpoint, "-Dartifact=com.example.tls:hello:1.0");
    assertThat(resolved.exitCode()).as(resolved.describe()).isZero();
    assertThat(project.resolve("resolved/com/example/tls/hello/1.0/hello-1.0.jar")).hasContent(
        "not really a jar, bytes are bytes");

    TestingProcesses.Result untrusted = maven(mavenWrapper, project, settings, "", cached, "untrusted",
        "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:get",
        "-DremoteRepositories=codeartifact::default::" + endpoint, "-Dartifact=com.example.tls:hello:1.0");
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isNotZero();
    assertThat(untrusted.stdout()).containsIgnoringCase("PKIX");
  }

  /**
   * The project's Maven wrapper (Maven 3.9) with a fresh local repository in front of the machine's, read-only
   * (maven.repo.local.tail): plugins come from the cache, the artifact only from Wharf.
   */
  private static TestingProcesses.Result maven(Path wrapper, Path project, Path settings, String trust, Path cached,
      String local, String... goals) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", directory("maven-home").toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("MAVEN_OPTS", trust);
    environment.put("CODEARTIFACT_AUTH_TOKEN", token());
    environment.put("MAVEN_USER_HOME", Path.of(System.getProperty("user.home"), ".m2").toString());
    List<String> command = new ArrayList<>(List.of(wrapper.toString(), "-B", "-s", settings.toString(),
        "-Dmaven.repo.local=" + project.resolve(local), "-Dmaven.repo.local.tail=" + cached));
    command.addAll(List.of(goals));
    return TestingProcesses.run(project, environment, TIMEOUT, command);
  }

  private static TestingProcesses.Result ok(Path directory, Map<String, String> environment, String... command) {
    TestingProcesses.Result result = TestingProcesses.run(directory, environment, TIMEOUT, List.of(command));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }
}
