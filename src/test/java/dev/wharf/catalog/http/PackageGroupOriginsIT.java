package dev.wharf.catalog.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package groups deciding with real clients: restrictions set with the real {@code aws} CLI refuse or allow a real
 * {@code npm publish} and {@code twine upload} (in the clients' own error shapes), and a {@code pip download} through
 * an upstream repository; DescribePackage shows the configuration in effect. Each client runs with a HOME of its own
 * where Wharf is its only source.
 */
class PackageGroupOriginsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final TestingNpm npm = TestingNpm.npm().config("loglevel", "warn").withoutConfig("audit");

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli aws;
  static String account;
  static String token;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("twine", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    aws = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    aws.json("codeartifact", "create-domain", "--domain", "acme");
    for (String repository : List.of("releases", "scratch", "base")) {
      aws.json("codeartifact", "create-repository", "--domain", "acme", "--repository", repository);
    }
    aws.json("codeartifact", "create-repository", "--domain", "acme", "--repository", "team", "--upstreams",
        "repositoryName=base");
    token = aws.json("codeartifact", "get-authorization-token", "--domain", "acme").path("authorizationToken").asText();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String url(String format, String repository) {
    return wharf.endpoint() + "/acme-" + account + "/" + format + "/" + repository + "/";
  }

  private static void group(String pattern, String... origin) {
    aws.json("codeartifact", "create-package-group", "--domain", "acme", "--package-group", pattern);
    if (origin.length > 0) {
      List<String> args = new ArrayList<>(List.of("codeartifact", "update-package-group-origin-configuration",
          "--domain", "acme", "--package-group", pattern));
      args.addAll(List.of(origin));
      aws.json(args.toArray(String[]::new));
    }
  }

  private static TestingProcesses.Result npmPublish(String repository, String name, String version) {
    Path home = TestingNpm.npmrc(scratch.resolve("npm-home-" + UUID.randomUUID()), url("npm", repository), token);
    Path source = scratch.resolve("npm-src-" + UUID.randomUUID());
    TestingFiles.write(source.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"description\":\"" + name + " for tests\",\"license\":\"MIT\"}\n");
    TestingFiles.write(source.resolve("index.js"), "module.exports = 1;\n");
    return npm.run(home, source, "publish");
  }

  private static JsonNode describePackage(String repository, String format, String namespace, String name) {
    List<String> args = new ArrayList<>(List.of("codeartifact", "describe-package", "--domain", "acme", "--repository",
        repository, "--format", format, "--package", name));
    if (namespace != null) {
      args.addAll(List.of("--namespace", namespace));
    }
    return aws.json(args.toArray(String[]::new)).path("package").path("originConfiguration").path("restrictions");
  }

  private static TestingProcesses.Result python(Path home, Path directory, List<String> command) {
    return TestingProcesses.run(directory, TestingPip.environment(home), TIMEOUT, command);
  }

  /** twine uploads the file to repository base with the token, given on its command line (no .pypirc read). */
  private static TestingProcesses.Result twineUpload(Path home, Path directory, String file) {
    return python(home, directory, List.of("twine", "upload", "--non-interactive", "--disable-progress-bar",
        "--repository-url", url("pypi", "base"), "-u", "aws", "-p", token, file));
  }

  @Test
  void aGroupsPublishRestrictionDecidesNpmPublishesRepositoryByRepository() {
    // before any restriction: a version of @acme/widget in scratch (so DescribePackage can show it there)
    TestingProcesses.Result first = npmPublish("scratch", "@acme/widget", "1.0.0");
    assertThat(first.exitCode()).as(first.describe()).isZero();

    group("/npm/acme/*", "--restrictions", "PUBLISH=ALLOW_SPECIFIC_REPOSITORIES",
        "--add-allowed-repositories", "originRestrictionType=PUBLISH,repositoryName=releases");
    TestingProcesses.Result allowed = npmPublish("releases", "@acme/widget", "1.1.0");
    assertThat(allowed.exitCode()).as(allowed.describe()).isZero();
    TestingProcesses.Result refused = npmPublish("scratch", "@acme/widget", "1.1.0");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).as(refused.describe()).contains("E403").contains("/npm/acme/*");

    // DescribePackage shows the configuration in effect: the package's own says publish ALLOW in scratch
    assertThat(describePackage("scratch", "npm", "acme", "widget").path("publish").asText()).isEqualTo("BLOCK");
    assertThat(describePackage("releases", "npm", "acme", "widget").path("publish").asText()).isEqualTo("ALLOW");

    // a sub-group inherits the list; BLOCK on the format's group reaches packages outside /npm/acme/*
    group("/npm/acme/ui~");
    assertThat(npmPublish("releases", "@acme/ui-kit", "1.0.0").exitCode()).isZero();
    assertThat(npmPublish("scratch", "@acme/ui-kit", "1.0.0").exitCode()).isNotZero();
    group("/npm/*", "--restrictions", "PUBLISH=BLOCK");
    TestingProcesses.Result blocked = npmPublish("releases", "unscoped-tool", "1.0.0");
    assertThat(blocked.exitCode()).as(blocked.describe()).isNotZero();
    assertThat(blocked.stderr()).contains("E403").contains("/npm/*");
    // the most specific group decides: /npm/acme/* still allows releases
    assertThat(npmPublish("releases", "@acme/widget", "2.0.0").exitCode()).isZero();
  }

  @Test
  void aGroupsUpstreamAndPublishRestrictionsDecidePipReadsAndTwineUploads() {
    Path home = TestingFiles.directory(scratch, "pip-home");
    Path dists = TestingFiles.directory(scratch, "dists");
    TestingProcesses.Result made = python(home, dists, List.of("python3", "-c", TestingPip.MAKE_DISTS,
        "grouped-lib", "1.0.0", "grouped_lib", dists.toString()));
    assertThat(made.exitCode()).as(made.describe()).isZero();
    TestingProcesses.Result uploaded = twineUpload(home, dists, "grouped_lib-1.0.0-py3-none-any.whl");
    assertThat(uploaded.exitCode()).as(uploaded.describe()).isZero();

    // team may not take the package's versions from its upstream repositories (the name in the pattern is
    // normalized as PyPI names are, so it matches the stored grouped-lib)
    group("/pypi//Grouped_Lib$", "--restrictions", "INTERNAL_UPSTREAM=BLOCK");
    String teamIndex = url("pypi", "team").replaceFirst("://", "://aws:" + token + "@") + "simple/";
    List<String> download = List.of("python3", "-m", "pip", "download", "--no-deps", "--no-cache-dir", "-d",
        home.resolve("downloads").toString(), "--index-url", teamIndex, "grouped-lib==1.0.0");
    TestingProcesses.Result blocked = python(home, home, download);
    assertThat(blocked.exitCode()).as(blocked.describe()).isNotZero();
    assertThat(blocked.stderr()).as(blocked.describe()).contains("No matching distribution found for grouped-lib");

    // allowed for team only: the read goes through and the version is retained in team
    aws.json("codeartifact", "update-package-group-origin-configuration", "--domain", "acme", "--package-group",
        "/pypi//grouped-lib$", "--restrictions", "INTERNAL_UPSTREAM=ALLOW_SPECIFIC_REPOSITORIES",
        "--add-allowed-repositories", "originRestrictionType=INTERNAL_UPSTREAM,repositoryName=team");
    TestingProcesses.Result read = python(home, home, download);
    assertThat(read.exitCode()).as(read.describe()).isZero();
    assertThat(home.resolve("downloads/grouped_lib-1.0.0-py3-none-any.whl")).exists();

    // PUBLISH BLOCK inherited from the format's group refuses twine in its own shape, nothing stored
    group("/pypi/*", "--restrictions", "PUBLISH=BLOCK");
    TestingProcesses.Result made2 = python(home, dists, List.of("python3", "-c", TestingPip.MAKE_DISTS,
        "grouped-lib", "1.1.0", "grouped_lib", dists.toString()));
    assertThat(made2.exitCode()).as(made2.describe()).isZero();
    TestingProcesses.Result refused = twineUpload(home, dists, "grouped_lib-1.1.0-py3-none-any.whl");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).as(refused.describe()).contains("403");
    JsonNode versions = aws.json("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "base",
        "--format", "pypi", "--package", "grouped-lib");
    assertThat(versions.path("versions")).hasSize(1);
    assertThat(describePackage("base", "pypi", null, "grouped-lib").path("publish").asText()).isEqualTo("BLOCK");
  }
}
