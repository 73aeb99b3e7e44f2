package dev.wharf.format.npm;

import static dev.wharf.testing.TestingFiles.read;
import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingJavaScriptClients;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingWharfCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * yarn 1, yarn 4, pnpm 10, npm 9 and npm 10 (beside the machine's npm 11, see NpmClientIT), each at a pinned
 * version from {@link TestingJavaScriptClients}, configured only by {@code wharf login} run as a user runs
 * it: a process of its own whose PATH has that client first, so login asks the real tool its version. Each
 * client has its own HOME (so its own .npmrc / .yarnrc.yml, cache and global folders): Wharf is its only
 * source. Last in each test the token is revoked, and the test reads what the tool then tells its user.
 */
class JavaScriptClientsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern TOKEN = Pattern.compile("k[a-z2-7]{7}\\.[A-Za-z0-9_-]+");

  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String account;

  @BeforeAll
  static void start() {
    for (TestingJavaScriptClients client : TestingJavaScriptClients.values()) {
      client.install();
    }
    wharf = TestingServer.start(scratch.resolve("data"));
    root = wharf.rootCredentials();
    account = wharf.managementAccountId();
    try (CodeartifactClient codeartifact = wharf.codeartifact(root)) {
      codeartifact.createDomain(b -> b.domain("acme"));
      for (String repository : List.of("app", "tools")) {
        codeartifact.createRepository(b -> b.domain("acme").repository(repository));
      }
    }
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ---------------------------------------------------------------- yarn 1

  @Test
  void yarnClassicPublishesAndInstallsThroughWharfLoginWithNpm11OnPath() {
    TestingJavaScriptClients yarn = TestingJavaScriptClients.YARN_1;
    Path home = directory("yarn1-home");
    Path library = sourcePackage("classic-greeting", "1.0.0");

    write(home.resolve(".npmrc"), "fund=false\n");
    var login = login(yarn, home, library, "--tool", "yarn");

    assertThat(login.stdout()).contains("Written for yarn 1 (classic)", "npm 11 does not know the key");
    assertThat(permissions(home.resolve(".npmrc"))).isEqualTo("rw-------");
    assertThat(runOk(yarn, home, library, "config", "get", "fund").stdout().strip()).isEqualTo("false");
    var published = runOk(yarn, home, library, "publish", "--non-interactive");
    assertThat(published.stdout()).contains("Published.");
    Path project = project("classic-greeting", "1.0.0");
    runOk(yarn, home, project, "install", "--non-interactive");
    assertThat(TestingNpm.require(project, "classic-greeting")).isEqualTo("hello from classic-greeting@1.0.0");

    revoke(read(home.resolve(".npmrc")));
    var refused = run(yarn, home, project("classic-greeting", "1.0.0"), "install", "--non-interactive");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).contains("error Error: " + endpoint("app") + "classic-greeting:"
        + " " + dev.wharf.token.InvalidTokenException.MESSAGE);

    // wharf logout --tool yarn takes Wharf's keys out of .npmrc; yarn keeps the user's own setting
    wharf(yarn, home, library, "logout", "--tool", "yarn");
    assertThat(read(home.resolve(".npmrc"))).doesNotContain(wharf.endpoint().getHost() + ":").contains("fund=false");
    assertThat(runOk(yarn, home, library, "config", "get", "registry").stdout()).doesNotContain("/npm/app/");
    assertThat(runOk(yarn, home, library, "config", "get", "fund").stdout().strip()).isEqualTo("false");
  }

  // ---------------------------------------------------------------- yarn 4

  @Test
  void yarnBerryPublishesWithYarnNpmPublishAndInstallsAScopeThroughTheYarnrcYmlLoginWrites() {
    TestingJavaScriptClients yarn = TestingJavaScriptClients.YARN_4;
    // the publisher: a project-scope login into the package's own .yarnrc.yml, beside its settings
    Path publisherHome = directory("yarn4-publisher");
    Path library = sourcePackage("@acme/berry-greeting", "2.0.0");
    write(library.resolve(".yarnrc.yml"), "enableTelemetry: false\nnpmMinimalAgeGate: 0\n");
    write(library.resolve("yarn.lock"), "");
    var login = login(yarn, publisherHome, library, "--tool", "yarn", "--scope", "project");
    assertThat(login.stdout()).contains("Written for yarn 4 (.yarnrc.yml)");
    assertThat(permissions(library.resolve(".yarnrc.yml"))).isEqualTo("rw-------");
    assertThat(publisherHome.resolve(".npmrc")).doesNotExist();
    assertThat(publisherHome.resolve(".yarnrc.yml")).doesNotExist();
    runOk(yarn, publisherHome, library, "install");
    var published = runOk(yarn, publisherHome, library, "npm", "publish");
    assertThat(published.stdout()).contains("Package archive published");
    // yarn itself reads back what it kept and what login added
    assertThat(runOk(yarn, publisherHome, library, "config", "get", "npmMinimalAgeGate").stdout().strip()).isEqualTo("0");

    // the consumer: a user-scope login for the @acme scope only
    Path consumerHome = directory("yarn4-consumer");
    Path project = project("@acme/berry-greeting", "2.0.0");
    write(project.resolve(".yarnrc.yml"), "enableTelemetry: false\nnodeLinker: node-modules\nnpmMinimalAgeGate: 0\n");
    write(project.resolve("yarn.lock"), "");
    // a scope has its own npmMinimalAgeGate (default 1d), ahead of the top-level one: the user's setting stays
    write(consumerHome.resolve(".yarnrc.yml"), "npmScopes:\n  acme:\n    npmMinimalAgeGate: 0\n");
    login(yarn, consumerHome, project, "--tool", "yarn", "--namespace", "acme");
    assertThat(read(consumerHome.resolve(".yarnrc.yml"))).contains("npmScopes:").doesNotContain("\nnpmRegistryServer");
    runOk(yarn, consumerHome, project, "install");
    assertThat(TestingNpm.require(project, "@acme/berry-greeting")).isEqualTo("hello from @acme/berry-greeting@2.0.0");

    revoke(read(consumerHome.resolve(".yarnrc.yml")));
    // an install would be served from yarn's metadata cache: yarn npm info asks the registry
    var refused = run(yarn, consumerHome, project, "npm", "info", "@acme/berry-greeting");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout()).contains("YN0041: Invalid authentication (as an unknown user)");

    // wharf logout --tool yarn takes the scope's registry and token out of .yarnrc.yml; the user's setting stays
    wharf(yarn, consumerHome, project, "logout", "--tool", "yarn");
    assertThat(read(consumerHome.resolve(".yarnrc.yml"))).doesNotContain("npmAuthToken", "npmRegistryServer")
        .contains("npmMinimalAgeGate: 0");
    assertThat(runOk(yarn, consumerHome, project, "config", "get", "npmScopes", "--json", "--no-redacted").stdout())
        .contains("\"npmMinimalAgeGate\":0", "\"npmAuthToken\":null").doesNotContain("/npm/app/");
  }

  // ---------------------------------------------------------------- pnpm 10

  @Test
  void pnpmPublishesAndInstallsAWorkspaceThroughWharfLogin() {
    TestingJavaScriptClients pnpm = TestingJavaScriptClients.PNPM_10;
    Path home = directory("pnpm-home");
    Path library = sourcePackage("pnpm-greeting", "3.0.0");
    login(pnpm, home, library, "--tool", "pnpm");
    assertThat(permissions(home.resolve(".npmrc"))).isEqualTo("rw-------");
    runOk(pnpm, home, library, "publish", "--no-git-checks");
    runOk(pnpm, home, sourcePackage("pnpm-later", "1.0.0"), "publish", "--no-git-checks");

    Path workspace = directory("pnpm-workspace");
    write(workspace.resolve("package.json"), "{\"name\":\"workspace\",\"private\":true}\n");
    write(workspace.resolve("pnpm-workspace.yaml"), "packages:\n  - 'packages/*'\n");
    write(workspace.resolve("packages/lib/package.json"), "{\"name\":\"lib\",\"version\":\"1.0.0\",\"main\":\"index.js\","
        + "\"dependencies\":{\"pnpm-greeting\":\"^3.0.0\"}}\n");
    write(workspace.resolve("packages/lib/index.js"), "module.exports = require('pnpm-greeting') + ' via lib';\n");
    write(workspace.resolve("packages/app/package.json"), "{\"name\":\"app\",\"version\":\"1.0.0\","
        + "\"dependencies\":{\"lib\":\"workspace:*\"}}\n");
    runOk(pnpm, home, workspace, "install");
    assertThat(TestingNpm.require(workspace.resolve("packages/app"), "lib"))
        .isEqualTo("hello from pnpm-greeting@3.0.0 via lib");
    assertThat(read(workspace.resolve("pnpm-lock.yaml"))).contains("pnpm-greeting@3.0.0");

    revoke(read(home.resolve(".npmrc")));
    // a package pnpm has not cached yet: the install asks the registry
    var refused = run(pnpm, home, project("pnpm-later", "1.0.0"), "install");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).contains("ERR_PNPM_FETCH_401")
        .contains(endpoint("app"));
  }

  // ---------------------------------------------------------------- npm 9 and 10

  @Test
  void npm9And10PublishTagAndInstallTwoScopesOfOneNpmrc() {
    for (TestingJavaScriptClients client : List.of(TestingJavaScriptClients.NPM_9, TestingJavaScriptClients.NPM_10)) {
      TestingNpm npm = TestingNpm.npm().config("loglevel", "warn").executable(client.executable());
      String major = client.version().substring(0, client.version().indexOf('.'));
      Path home = directory("npm" + major + "-home");
      login(client, home, home, "--tool", "npm", "--namespace", "acme");
      login(client, home, home, "--tool", "npm", "--namespace", "tools", "--repository", "tools");
      String npmrc = read(home.resolve(".npmrc"));
      assertThat(npmrc).contains("@acme:registry=" + endpoint("app"), "@tools:registry=" + endpoint("tools"))
          .doesNotContain("always-auth");
      assertThat(permissions(home.resolve(".npmrc"))).isEqualTo("rw-------");

      String app = "@acme/npm" + major + "-app";
      String tool = "@tools/npm" + major + "-tool";
      assertThat(npm.runOk(home, sourcePackage(app, "1.0.0"), "publish").stdout()).contains("+ " + app + "@1.0.0");
      npm.runOk(home, sourcePackage(tool, "1.0.0"), "publish");
      npm.runOk(home, sourcePackage(tool, "1.1.0-beta.1"), "publish", "--tag", "beta");
      npm.runOk(home, home, "dist-tag", "add", tool + "@1.1.0-beta.1", "next");
      assertThat(npm.runOk(home, home, "dist-tag", "ls", tool).stdout()).contains("beta: 1.1.0-beta.1",
          "latest: 1.0.0", "next: 1.1.0-beta.1");
      assertThat(npm.runOk(home, home, "whoami", "--registry", endpoint("tools")).stdout().strip()).isEqualTo("root");

      Path project = project(app, "1.0.0");
      write(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
          + "\"dependencies\":{\"" + app + "\":\"1.0.0\",\"" + tool + "\":\"next\"}}\n");
      npm.runOk(home, project, "install");
      npm.runOk(home, home, "deprecate", tool + "@1.0.0", "use next");
      assertThat(npm.runOk(home, home, "view", tool + "@1.0.0", "deprecated").stdout().strip()).isEqualTo("use next");

      // the real aws codeartifact login, which runs 'npm config set' with this npm
      var aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(root.accessKeyId(), root.secretAccessKey())
          .withEnvironment(Map.of("PATH", client.path()));
      var awsLogin = aws.run("codeartifact", "login", "--tool", "npm", "--domain", "acme", "--repository", "app");
      assertThat(awsLogin.exitCode()).as(awsLogin.describe()).isZero();
      assertThat(npm.runOk(aws.home(), aws.home(), "view", app, "version").stdout().strip()).isEqualTo("1.0.0");
      assertThat(TestingNpm.require(project, tool)).isEqualTo("hello from " + tool + "@1.1.0-beta.1");
      assertThat(TestingNpm.require(project, app)).isEqualTo("hello from " + app + "@1.0.0");

      revoke(npmrc);
      var refused = npm.run(home, home, "view", app);
      assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
      // npm 9 and 10 show their own words for a 401, not the registry's
      assertThat(refused.stderr()).contains("code E401", "Incorrect or missing password");
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * {@code wharf login --domain acme --repository app ARGUMENTS}, run as a user runs it: a JVM of its own in
   * the folder, with HOME, root's keys in the environment, and PATH with the client first.
   */
  private static TestingProcesses.Result login(TestingJavaScriptClients client, Path home, Path directory,
      String... arguments) {
    List<String> login = new ArrayList<>(List.of("login", "--domain", "acme", "--endpoint-url",
        wharf.endpoint().toString()));
    login.addAll(List.of(arguments));
    if (!login.contains("--repository")) {
      login.addAll(List.of("--repository", "app"));
    }
    return wharf(client, home, directory, login.toArray(String[]::new));
  }

  /** {@code wharf ARGUMENTS}, run as {@link #login} runs it, failing the test unless it exits 0. */
  private static TestingProcesses.Result wharf(TestingJavaScriptClients client, Path home, Path directory,
      String... arguments) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.wharf.cli.WharfCommand"));
    command.addAll(List.of(arguments));
    Map<String, String> environment = TestingProcesses.cleanEnvironment(client.path());
    environment.put("HOME", home.toString());
    environment.put("AWS_ACCESS_KEY_ID", root.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", root.secretAccessKey());
    environment.put("AWS_REGION", "us-east-1");
    var result = TestingProcesses.run(directory, environment, TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).doesNotContainPattern(TOKEN.pattern());
    return result;
  }

  /** The client with HOME, PATH (its own bin first) and nothing else from this process. */
  private static TestingProcesses.Result run(TestingJavaScriptClients client, Path home, Path directory,
      String... arguments) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(client.path());
    environment.put("HOME", home.toString());
    List<String> command = new ArrayList<>(List.of(client.executable().toString()));
    command.addAll(List.of(arguments));
    return TestingProcesses.run(directory, environment, TIMEOUT, command);
  }

  /** {@link #run}, failing the test unless the client exits 0. */
  private static TestingProcesses.Result runOk(TestingJavaScriptClients client, Path home, Path directory,
      String... arguments) {
    var result = run(client, home, directory, arguments);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /** Revokes the (first) token in the text, as its owner would with wharf token revoke. */
  private static void revoke(String configuration) {
    Matcher token = TOKEN.matcher(configuration);
    assertThat(token.find()).as(configuration).isTrue();
    var answer = TestingHttp.send("GET", endpoint("app"), null, "Bearer " + token.group());
    String id;
    try {
      id = JSON.readTree(answer.body()).path("tokenId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(id).isNotEmpty();
    assertThat(TestingWharfCommand.execute(root, "token", "revoke", id, "--endpoint-url", wharf.endpoint().toString()))
        .isZero();
  }

  private static String endpoint(String repository) {
    return wharf.endpoint() + "/acme-" + account + "/npm/" + repository + "/";
  }

  private static String permissions(Path file) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory(String name) {
    return TestingFiles.directory(scratch, name);
  }

  /** A small package: package.json and index.js exporting a greeting. */
  private static Path sourcePackage(String name, String version) {
    Path dir = scratch.resolve("src-" + UUID.randomUUID());
    write(dir.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"main\":\"index.js\",\"license\":\"MIT\"}\n");
    write(dir.resolve("index.js"), "module.exports = 'hello from " + name + "@" + version + "';\n");
    return dir;
  }

  private static Path project(String name, String range) {
    return TestingNpm.project(scratch.resolve("project-" + UUID.randomUUID()), name, range);
  }
}
