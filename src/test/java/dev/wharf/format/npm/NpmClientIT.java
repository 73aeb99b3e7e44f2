package dev.wharf.format.npm;

import static dev.wharf.testing.TestingFiles.read;
import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingWharfCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The real npm client against Wharf, configured only by {@code wharf login --tool npm} (or the real
 * {@code aws codeartifact login --tool npm}): publish, install with a lockfile, dist-tags,
 * deprecate, view, whoami, ping, refused unpublish and republish, 401 and 403 paths, and what npm
 * published as the CodeArtifact API shows it. npm runs with its own HOME, userconfig, global config
 * and cache, so Wharf is its only source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NpmClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  /** Audit stays on: npm install's audit request reaches Wharf's advisory endpoint. */
  private static final TestingNpm npm = TestingNpm.npm().config("loglevel", "warn").withoutConfig("audit");
  private static final String DENY_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static IamClient rootIam;
  static CodeartifactClient rootCodeartifact;
  static String account;
  static AwsBasicCredentials developer;
  static Path home;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("npm", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    rootIam = wharf.iam(wharf.rootCredentials());
    rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    rootCodeartifact.createDomain(b -> b.domain("acme"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("app"));
    developer = TestingIam.user(rootIam, "dev", "developer", TestingIam.DEVELOPER);
    home = newHome();
    wharfLogin(developer, home);
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  static Path newHome() {
    return TestingFiles.directory(scratch, "home");
  }

  /** {@code wharf login --tool npm --home DIR}, in this JVM, with the credentials as the SDK's system properties. */
  static void wharfLogin(AwsCredentials credentials, Path dir) {
    wharfLogin(credentials, dir, List.of());
    assertThat(read(dir.resolve(".npmrc"))).contains("registry=" + endpoint());
  }

  static void wharfLogin(AwsCredentials credentials, Path dir, List<String> extraArguments) {
    List<String> arguments = new ArrayList<>(List.of("login", "--tool", "npm", "--domain", "acme", "--domain-owner",
        account, "--repository", "app", "--home", dir.toString(), "--endpoint-url", wharf.endpoint().toString()));
    arguments.addAll(extraArguments);
    assertThat(TestingWharfCommand.execute(credentials, arguments.toArray(String[]::new))).isZero();
  }

  static String endpoint() {
    return wharf.endpoint() + "/acme-" + account + "/npm/app/";
  }

  /** A small package: package.json and index.js exporting a greeting. */
  static Path sourcePackage(String name, String version) {
    Path dir = scratch.resolve("src-" + UUID.randomUUID());
    write(dir.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"main\":\"index.js\",\"description\":\"" + name + " for tests\",\"license\":\"MIT\"}\n");
    write(dir.resolve("index.js"), "module.exports = 'hello from " + name + "@" + version + "';\n");
    return dir;
  }

  static Path project(String... dependencies) {
    Path dir = scratch.resolve("project-" + UUID.randomUUID());
    StringBuilder deps = new StringBuilder();
    for (int i = 0; i < dependencies.length; i += 2) {
      deps.append(i == 0 ? "" : ",").append('"').append(dependencies[i]).append("\":\"").append(dependencies[i + 1]).append('"');
    }
    write(dir.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,\"dependencies\":{"
        + deps + "}}\n");
    return dir;
  }

  // ---------------------------------------------------------------- publish and install

  @Test
  @Order(1)
  void publishedPackagesInstallInACleanProjectWithALockfile() throws IOException {
    npm.runOk(home, sourcePackage("hello-wharf", "1.0.0"), "publish");
    npm.runOk(home, sourcePackage("@acme/util", "2.0.0"), "publish");

    Path project = project("hello-wharf", "^1.0.0", "@acme/util", "2.0.0");
    Path installer = newHome();
    wharfLogin(developer, installer);
    npm.runOk(installer, project, "install");

    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    JsonNode hello = lock.path("packages").path("node_modules/hello-wharf");
    assertThat(hello.path("version").asText()).isEqualTo("1.0.0");
    assertThat(hello.path("resolved").asText()).isEqualTo(endpoint() + "hello-wharf/-/hello-wharf-1.0.0.tgz");
    assertThat(hello.path("integrity").asText()).startsWith("sha512-");
    assertThat(lock.path("packages").path("node_modules/@acme/util").path("resolved").asText())
        .isEqualTo(endpoint() + "@acme/util/-/util-2.0.0.tgz");

    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    var node = TestingProcesses.run(project, environment, TIMEOUT,
        List.of("node", "-e", "console.log(require('hello-wharf') + ' / ' + require('@acme/util'))"));
    assertThat(node.stdout()).as(node.describe()).contains("hello from hello-wharf@1.0.0 / hello from @acme/util@2.0.0");

    // and again from the lockfile alone, with an empty cache
    Files.delete(project.resolve("node_modules/hello-wharf/index.js"));
    npm.runOk(newHomeLoggedIn(), project, "ci");
    assertThat(project.resolve("node_modules/hello-wharf/index.js")).exists();
  }

  @Test
  @Order(2)
  void aScopedLoginWithNamespaceRoutesOnlyThatScopeToWharf() throws IOException {
    Path installer = newHome();
    // Everything outside the scope goes to a registry that cannot answer: only @acme may reach Wharf.
    write(installer.resolve(".npmrc"), "registry=http://127.0.0.1:9/\n");
    wharfLogin(developer, installer, List.of("--namespace", "acme"));
    String npmrc = read(installer.resolve(".npmrc"));
    assertThat(npmrc).contains("@acme:registry=" + endpoint()).contains("registry=http://127.0.0.1:9/");

    Path project = project("@acme/util", "2.0.0");
    npm.runOk(installer, project, "install");
    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    assertThat(lock.path("packages").path("node_modules/@acme/util").path("resolved").asText())
        .isEqualTo(endpoint() + "@acme/util/-/util-2.0.0.tgz");

    Path unscoped = project("hello-wharf", "1.0.0");
    assertThat(npm.run(installer, unscoped, "install", "--fetch-retries=0").exitCode())
        .as("an unscoped package is not looked up in Wharf").isNotZero();
  }

  static Path newHomeLoggedIn() {
    Path dir = newHome();
    wharfLogin(developer, dir);
    return dir;
  }

  @Test
  @Order(2)
  void republishingAVersionIsRefused() {
    var result = npm.run(home, sourcePackage("hello-wharf", "1.0.0"), "publish");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    // npm 11 checks the packument first and stops with this message itself; NpmPublishHttpIT covers the server's 403
    assertThat(result.stderr()).contains("cannot publish over the previously published versions");
  }

  @Test
  @Order(3)
  void distTagsAreAddedListedAndRemoved() {
    npm.runOk(home, sourcePackage("hello-wharf", "1.1.0-beta.1"), "publish", "--tag", "beta");
    npm.runOk(home, scratch, "dist-tag", "add", "hello-wharf@1.0.0", "stable");
    String tags = npm.runOk(home, scratch, "dist-tag", "ls", "hello-wharf").stdout();
    assertThat(tags).contains("latest: 1.0.0").contains("beta: 1.1.0-beta.1").contains("stable: 1.0.0");
    npm.runOk(home, scratch, "dist-tag", "rm", "hello-wharf", "stable");
    assertThat(npm.runOk(home, scratch, "dist-tag", "ls", "hello-wharf").stdout()).doesNotContain("stable");
    assertThat(npm.runOk(home, scratch, "view", "hello-wharf", "version").stdout().trim()).isEqualTo("1.0.0");
  }

  @Test
  @Order(4)
  void deprecateViewWhoamiAndPing() {
    npm.runOk(home, scratch, "deprecate", "@acme/util@2.0.0", "use something else");
    assertThat(npm.runOk(home, scratch, "view", "@acme/util@2.0.0", "deprecated").stdout()).contains("use something else");
    assertThat(npm.runOk(home, scratch, "view", "@acme/util", "description").stdout()).contains("@acme/util for tests");
    assertThat(npm.runOk(home, scratch, "whoami").stdout().trim()).isEqualTo("dev");
    npm.runOk(home, scratch, "ping");
  }

  @Test
  @Order(5)
  void unpublishIsRefusedWithAPointerToDeletePackageVersions() {
    var result = npm.run(home, scratch, "unpublish", "hello-wharf@1.0.0", "--force");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("delete-package-versions");
    assertThat(npm.runOk(home, scratch, "view", "hello-wharf@1.0.0", "version").stdout().trim()).isEqualTo("1.0.0");
  }

  @Test
  @Order(6)
  void whatNpmPublishedIsVisibleInTheCodeArtifactApi() {
    CodeartifactClient api = wharf.codeartifact(developer);
    var listed = api.listPackages(b -> b.domain("acme").domainOwner(account).repository("app").format(PackageFormat.NPM));
    assertThat(listed.packages()).extracting(p -> p.namespace() + "/" + p.packageValue())
        .contains("null/hello-wharf", "acme/util");
    var versions = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("util"));
    assertThat(versions.versions()).extracting(v -> v.version() + " " + v.statusAsString()).containsExactly("2.0.0 Published");
    var described = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("hello-wharf").packageVersion("1.0.0")).packageVersion();
    assertThat(described.summary()).isEqualTo("hello-wharf for tests");
    assertThat(described.statusAsString()).isEqualTo("Published");
    var assets = api.listPackageVersionAssets(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("hello-wharf").packageVersion("1.0.0"));
    assertThat(assets.assets()).singleElement().satisfies(asset -> {
      assertThat(asset.name()).isEqualTo("package.tgz");
      assertThat(asset.hashesAsStrings()).containsKeys("SHA-512", "SHA-256", "SHA-1", "MD5");
    });
  }

  // ---------------------------------------------------------------- 401 and 403

  @Test
  @Order(7)
  void aDenyPolicyStopsTheTokenAtItsNextInstall() {
    Path installer = newHomeLoggedIn();
    npm.runOk(installer, project("hello-wharf", "1.0.0"), "install");
    rootIam.putUserPolicy(b -> b.userName("dev").policyName("deny").policyDocument(DENY_READ));
    try {
      var result = npm.run(installer, project("@acme/util", "2.0.0"), "install", "--prefer-online");
      assertThat(result.exitCode()).as(result.describe()).isNotZero();
      assertThat(result.stderr()).contains("E403");
    } finally {
      rootIam.deleteUserPolicy(b -> b.userName("dev").policyName("deny"));
    }
  }

  @Test
  @Order(8)
  void aWrongTokenGets401() {
    Path bad = newHome();
    String hostAndPath = endpoint().substring("http:".length());
    write(bad.resolve(".npmrc"), "registry=" + endpoint() + "\n" + hostAndPath + ":_authToken=not-a-token\n");
    var result = npm.run(bad, scratch, "view", "hello-wharf");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("E401").doesNotContainIgnoringCase("otp");
  }

  // ---------------------------------------------------------------- aws codeartifact login

  @Test
  @Order(9)
  void theRealAwsCodeartifactLoginConfiguresNpmToo() {
    TestingAwsCli aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(developer.accessKeyId(),
        developer.secretAccessKey());
    var login = aws.run("codeartifact", "login", "--tool", "npm", "--domain", "acme", "--domain-owner", account,
        "--repository", "app");
    assertThat(login.exitCode()).as(login.describe()).isZero();
    Path awsHome = aws.home();
    npm.runOk(awsHome, sourcePackage("@acme/from-aws", "0.1.0"), "publish");
    Path project = project("@acme/from-aws", "0.1.0", "hello-wharf", "1.0.0");
    npm.runOk(awsHome, project, "install");
    assertThat(project.resolve("node_modules/@acme/from-aws/index.js")).exists();
  }

  @Test
  @Order(10)
  void unlistedVersionsLeaveThePackumentArchivedOnesCannotBeInstalledAndOriginBlockStopsPublish() throws IOException {
    for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
      npm.runOk(home, sourcePackage("status-demo", version), "publish");
    }
    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("status-demo").versions("1.1.0").targetStatus("Unlisted"));
    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("status-demo").versions("1.0.0").targetStatus("Archived"));

    Path fresh = newHomeLoggedIn();
    JsonNode versions = JSON.readTree(npm.runOk(fresh, scratch, "view", "status-demo", "versions", "--json").stdout());
    assertThat(versions.isArray() ? versions.get(0).asText() : versions.asText()).isEqualTo("1.2.0");
    assertThat(versions.size()).isLessThanOrEqualTo(1);

    // Unlisted: not in the packument, but its tarball is served by exact URL (npm sends the token to it).
    Path unlisted = project();
    npm.runOk(fresh, unlisted, "install", endpoint() + "status-demo/-/status-demo-1.1.0.tgz");
    assertThat(read(unlisted.resolve("node_modules/status-demo/index.js"))).contains("status-demo@1.1.0");
    // Archived: neither listed nor downloadable.
    assertThat(npm.run(fresh, project(), "install", "status-demo@1.0.0").exitCode()).isNotZero();
    assertThat(npm.run(fresh, project(), "install", endpoint() + "status-demo/-/status-demo-1.0.0.tgz").exitCode())
        .isNotZero();

    rootCodeartifact.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("status-demo").restrictions(r -> r.publish("BLOCK").upstream("ALLOW")));
    TestingProcesses.Result blocked = npm.run(home, sourcePackage("status-demo", "1.3.0"), "publish");
    assertThat(blocked.exitCode()).as(blocked.describe()).isNotZero();
    assertThat(blocked.stderr()).contains("403").contains("origin configuration");
  }

  @Test
  @Order(11)
  void theReadmeAndDependenciesNpmPublishedAreServedByTheApi() {
    Path source = sourcePackage("readme-demo", "1.0.0");
    write(source.resolve("README.md"), "# readme-demo\n\nHello from the readme.\n");
    write(source.resolve("package.json"), "{\"name\":\"readme-demo\",\"version\":\"1.0.0\",\"main\":\"index.js\","
        + "\"description\":\"readme demo\",\"license\":\"MIT\",\"homepage\":\"https://example.test/readme-demo\","
        + "\"dependencies\":{\"hello-wharf\":\"^1.0.0\"},\"peerDependencies\":{\"@acme/util\":\"2.x\"}}\n");
    npm.runOk(home, source, "publish");
    var readme = rootCodeartifact.getPackageVersionReadme(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("readme-demo").packageVersion("1.0.0"));
    assertThat(readme.readme()).contains("Hello from the readme.");
    var described = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("readme-demo").packageVersion("1.0.0")).packageVersion();
    assertThat(described.homePage()).isEqualTo("https://example.test/readme-demo");
    assertThat(described.licenses()).extracting(l -> l.name()).containsExactly("MIT");
    var dependencies = rootCodeartifact.listPackageVersionDependencies(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("readme-demo").packageVersion("1.0.0")).dependencies();
    assertThat(dependencies).extracting(d -> d.namespace() + "/" + d.packageValue() + " " + d.dependencyType() + " "
        + d.versionRequirement()).containsExactlyInAnyOrder("null/hello-wharf regular ^1.0.0", "acme/util peer 2.x");
  }

  @Test
  @Order(12)
  void versionsNpmCleansBeforePublishingArePublishedAsCleaned() {
    // npm publishes semver.clean(version): "v1.2.0" as 1.2.0, "2.0.0-rc.1+build.7" as 2.0.0-rc.1; the tarball keeps
    // package.json as written. The npm registry accepts both; neither changes what installs.
    npm.runOk(home, sourcePackage("cleaned-version", "v1.2.0"), "publish");
    npm.runOk(home, sourcePackage("cleaned-version", "2.0.0-rc.1+build.7"), "publish", "--tag", "rc");
    assertThat(npm.runOk(home, scratch, "view", "cleaned-version", "versions", "--json").stdout())
        .contains("\"1.2.0\"", "\"2.0.0-rc.1\"").doesNotContain("build.7");
    Path project = project("cleaned-version", "rc");
    npm.runOk(newHomeLoggedIn(), project, "install");
    assertThat(read(project.resolve("node_modules/cleaned-version/package.json"))).contains("2.0.0-rc.1+build.7");
  }
}
