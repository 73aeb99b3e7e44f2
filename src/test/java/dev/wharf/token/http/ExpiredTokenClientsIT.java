package dev.wharf.token.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.format.FormatErrors;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * What each real client shows once its token has expired (the 12-hour chore issue 20 is about), as
 * opposed to revoked: a server whose clock the test moves past the token's expiry. Every client fails
 * (no hang, no retry loop, nothing half-written), and the same command with a fresh token works, so
 * the failure is the expiry. None of these clients shows the body of a 401 (where Wharf says to run
 * {@code wharf login}); twine and gem show the status line, whose reason phrase says it, while npm and pip show
 * only their own words. docs/tokens.md lists what each shows.
 */
class ExpiredTokenClientsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path scratch;
  static TestingClock clock;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String expired;

  @BeforeAll
  static void start() throws IOException {
    TestingClients.requireCommand("twine", "--version");
    TestingClients.requireCommand("gem", "--version");
    clock = TestingClock.startingNow();
    wharf = TestingServer.start(scratch.resolve("data"), clock, Map.of());
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("shared"));
    expired = api.getAuthorizationToken(b -> b.domain("acme").durationSeconds(900L)).authorizationToken();

    // what the clients will ask for, published while the token is good
    Path dists = TestingFiles.directory(scratch, "dists");
    run(dists, TestingPip.environment(TestingFiles.directory(scratch, "build-home")), List.of("python3", "-c",
        TestingPip.MAKE_DISTS, "wharf-expiry", "1.0", "wharf_expiry", dists.toString()));
    assertThat(twine(expired, List.of(wheel(dists))).exitCode()).isZero();
    TestingNpm npm = TestingNpm.npm();
    Path library = TestingFiles.directory(scratch, "library");
    Files.writeString(library.resolve("package.json"), "{\"name\":\"wharf-expiry\",\"version\":\"1.0.0\"}");
    Files.writeString(library.resolve("index.js"), "module.exports = 'expiry';\n");
    npm.runOk(npmHome("publish-home", expired), library, "publish");

    clock.advance(Duration.ofSeconds(901));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String fresh() {
    return api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
  }

  private static String endpoint(PackageFormat format) {
    return api.getRepositoryEndpoint(b -> b.domain("acme").repository("shared").format(format)).repositoryEndpoint();
  }

  private static TestingProcesses.Result run(Path directory, Map<String, String> environment, List<String> command) {
    return TestingProcesses.run(directory, environment, TIMEOUT, command);
  }

  private static String wheel(Path dists) throws IOException {
    try (var files = Files.list(dists)) {
      return files.filter(f -> f.toString().endsWith(".whl")).findFirst().orElseThrow().toString();
    }
  }

  private static TestingProcesses.Result twine(String token, List<String> files) {
    List<String> command = new ArrayList<>(List.of("twine", "upload", "--non-interactive", "--disable-progress-bar",
        "--repository-url", endpoint(PackageFormat.PYPI), "-u", "aws", "-p", token));
    command.addAll(files);
    return run(scratch, TestingPip.environment(TestingFiles.directory(scratch, "twine-home")), command);
  }

  private static Path npmHome(String name, String token) throws IOException {
    Path home = TestingFiles.directory(scratch, name);
    TestingNpm.npmrc(home, endpoint(PackageFormat.NPM), token);
    return home;
  }

  @Test
  void pipInstallFailsWithTheExpiredTokenAndWorksWithAFreshOne() throws IOException {
    Path venv = scratch.resolve("venv");
    Map<String, String> environment = TestingPip.environment(TestingFiles.directory(scratch, "pip-home"));
    assertThat(run(scratch, environment, TestingPip.makeVenv(venv)).exitCode()).isZero();

    TestingProcesses.Result refused = run(scratch, environment, TestingPip.pip(venv, "install", "--no-cache-dir",
        "--index-url", simple(expired), "wharf-expiry==1.0"));
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).contains("401 Error, Credentials not correct");
    assertThat(run(scratch, environment, List.of(venv.resolve("bin/python").toString(), "-c", "import wharf_expiry"))
        .exitCode()).isNotZero();

    TestingProcesses.Result installed = run(scratch, environment, TestingPip.pip(venv, "install", "--no-cache-dir",
        "--index-url", simple(fresh()), "wharf-expiry==1.0"));
    assertThat(installed.exitCode()).as(installed.describe()).isZero();
  }

  private static String simple(String token) {
    return endpoint(PackageFormat.PYPI).replace("://", "://aws:" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "@")
        + "simple/";
  }

  @Test
  void twineUploadFailsWithTheExpiredTokenAndStoresNothing() throws IOException {
    Path dists = TestingFiles.directory(scratch, "dists-2");
    run(dists, TestingPip.environment(TestingFiles.directory(scratch, "build-home-2")), List.of("python3", "-c",
        TestingPip.MAKE_DISTS, "wharf-expiry", "2.0", "wharf_expiry", dists.toString()));

    TestingProcesses.Result refused = twine(expired, List.of(wheel(dists)));
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    // twine prints the status line's reason phrase, which says what to run, wrapped to the terminal's width
    assertThat(refused.stdout().replaceAll("\\s+", " ")).contains("HTTPError: 401 Unauthorized from",
        FormatErrors.INVALID_TOKEN_REASON);
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("shared").format(PackageFormat.PYPI)
        .packageValue("wharf-expiry")).versions()).extracting(v -> v.version()).containsExactly("1.0");

    assertThat(twine(fresh(), List.of(wheel(dists))).exitCode()).isZero();
  }

  @Test
  void npmInstallFailsWithE401AndTheServersAdviceAndWorksWithAFreshToken() throws IOException {
    TestingNpm npm = TestingNpm.npm();
    Path project = TestingNpm.project(TestingFiles.directory(scratch, "npm-project"), "wharf-expiry", "1.0.0");

    TestingProcesses.Result refused = npm.run(npmHome("npm-expired", expired), project, "install");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).contains("E401", "npm login"); // npm shows its own words
    assertThat(project.resolve("node_modules/wharf-expiry")).doesNotExist();

    npm.runOk(npmHome("npm-fresh", fresh()), project, "install");
    assertThat(TestingNpm.require(project, "wharf-expiry")).isEqualTo("expiry");
  }

  @Test
  void gemInstallFailsWithTheExpiredTokenAndWorksWithAFreshOne() throws IOException {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", TestingFiles.directory(scratch, "gem-user").toString());
    environment.put("GEM_HOME", TestingFiles.directory(scratch, "gem-home").toString());
    environment.put("GEM_PATH", environment.get("GEM_HOME"));

    TestingProcesses.Result refused = run(scratch, environment, List.of("gem", "install", "rake", "--no-document",
        "--clear-sources", "--source", gemSource(expired)));
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).contains("bad response " + FormatErrors.INVALID_TOKEN_REASON + " 401");

    TestingProcesses.Result unknown = run(scratch, environment, List.of("gem", "install", "rake", "--no-document",
        "--clear-sources", "--source", gemSource(fresh())));
    // the repository has no gems: with a good token the answer is that the gem is not found, not a refusal
    assertThat(unknown.stdout() + unknown.stderr()).doesNotContain("401").contains("rake");
  }

  private static String gemSource(String token) {
    return endpoint(PackageFormat.RUBY).replace("://", "://aws:" + URLEncoder.encode(token, StandardCharsets.UTF_8)
        + "@");
  }
}
