package dev.wharf.format.npm;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;

/**
 * The real npm client installing through a two-level upstream chain, team → shared → public, all
 * repositories of one Wharf domain (the "public registry" is a Wharf repository here; external
 * connections have their own test): versions merge into the packument, a version fetched once is
 * retained by the team repository and stays installable when the upstream is gone, and origin
 * controls stop a same-named package from arriving through an upstream.
 */
class NpmUpstreamIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestingNpm npm = TestingNpm.npm();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("npm", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("public"));
    api.createRepository(b -> b.domain("acme").repository("shared").upstreams(u -> u.repositoryName("public")));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint(String repository) {
    return wharf.endpoint() + "/acme-" + account + "/npm/" + repository + "/";
  }

  /** A HOME whose .npmrc points npm at one repository with the token, and nothing else. */
  static Path home(String repository) {
    return TestingNpm.npmrc(directory("home"), endpoint(repository), token);
  }

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }

  static void publish(String repository, String name, String version, String... arguments) {
    Path dir = directory("src");
    write(dir.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"main\":\"index.js\",\"license\":\"MIT\"}\n");
    write(dir.resolve("index.js"), "module.exports = 'hello from " + name + "@" + version + " in " + repository + "';\n");
    List<String> command = new ArrayList<>(List.of("publish"));
    command.addAll(List.of(arguments));
    npm.runOk(home(repository), dir, command.toArray(String[]::new));
  }

  static Path project(String name, String range) {
    return TestingNpm.project(directory("project"), name, range);
  }

  static String run(Path project, String module) {
    return TestingNpm.require(project, module);
  }

  static List<PackageVersionSummary> versions(String repository, String namespace, String name) {
    return api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.NPM)
        .namespace(namespace).packageValue(name)).versions();
  }

  @Test
  void installingThroughTwoLevelsMergesVersionsAndRetainsWhatWasFetchedInTheTeamRepository() throws IOException {
    publish("public", "chained", "1.0.0");
    publish("public", "chained", "1.1.0");
    // shared publishes its own version too, and is set to keep taking this package's versions from upstream
    // (CodeArtifact's default for a package published directly is upstream: BLOCK).
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("shared").format(PackageFormat.NPM)
        .packageValue("chained").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));
    publish("shared", "chained", "0.9.0", "--tag", "old");

    Path project = project("chained", "^1.0.0");
    npm.runOk(home("team"), project, "install");
    assertThat(run(project, "chained")).isEqualTo("hello from chained@1.1.0 in public");
    JsonNode lock = JSON.readTree(project.resolve("package-lock.json").toFile());
    assertThat(lock.path("packages").path("node_modules/chained").path("resolved").asText())
        .as("the tarball comes from the team repository's own URL").isEqualTo(endpoint("team") + "chained/-/chained-1.1.0.tgz");

    // The team repository's packument merges the whole graph.
    var view = npm.run(home("team"), directory("view"), "view", "chained", "versions", "--json");
    assertThat(JSON.readTree(view.stdout()).toString()).isEqualTo("[\"0.9.0\",\"1.0.0\",\"1.1.0\"]");

    // Retained in team (the repository asked), with the origin of where it entered the domain; not in shared.
    assertThat(versions("team", null, "chained")).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("1.1.0");
      assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    });
    assertThat(versions("shared", null, "chained")).extracting(PackageVersionSummary::version).containsExactly("0.9.0");
    // A package whose first version came from an upstream takes further ones from there, not by publishing.
    var described = api.describePackage(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("chained")).packageValue().originConfiguration().restrictions();
    assertThat(described.publish()).isEqualTo(AllowPublish.BLOCK);
    assertThat(described.upstream()).isEqualTo(AllowUpstream.ALLOW);

    // The upstream changes: the version is gone there and the chain is cut. The retained version still installs.
    api.deletePackageVersions(b -> b.domain("acme").repository("public").format(PackageFormat.NPM).packageValue("chained")
        .versions("1.1.0"));
    api.updateRepository(b -> b.domain("acme").repository("team").upstreams(List.of()));
    try {
      Path again = project("chained", "1.1.0");
      npm.runOk(home("team"), again, "install");
      assertThat(run(again, "chained")).isEqualTo("hello from chained@1.1.0 in public");
    } finally {
      api.updateRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    }
  }

  @Test
  void aPackagePublishedInTheTeamRepositoryDoesNotTakeASameNamedVersionFromUpstreams() throws IOException {
    publish("team", "@acme/internal", "1.0.0");
    publish("public", "@acme/internal", "9.9.9"); // the dependency-confusion attempt

    Path project = project("@acme/internal", "*");
    npm.runOk(home("team"), project, "install");
    assertThat(run(project, "@acme/internal")).isEqualTo("hello from @acme/internal@1.0.0 in team");
    var view = npm.run(home("team"), directory("view"), "view", "@acme/internal", "versions", "--json");
    assertThat(view.stdout()).contains("1.0.0").doesNotContain("9.9.9");
    assertThat(npm.run(home("team"), project("@acme/internal", "9.9.9"), "install").exitCode())
        .as("the upstream's version cannot be installed through team").isNotZero();
    var restrictions = api.describePackage(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .namespace("acme").packageValue("internal")).packageValue().originConfiguration().restrictions();
    assertThat(restrictions.upstream()).as("CodeArtifact's default for a published package").isEqualTo(AllowUpstream.BLOCK);
  }

  @Test
  void originControlUpstreamBlockStopsAPackageThatIsOnlyUpstream() {
    publish("public", "blocked-upstream", "1.0.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("blocked-upstream").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));
    var result = npm.run(home("team"), project("blocked-upstream", "1.0.0"), "install");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("404");

    // Through shared, which has no such setting, it installs.
    Path project = project("blocked-upstream", "1.0.0");
    npm.runOk(home("shared"), project, "install");
    assertThat(run(project, "blocked-upstream")).isEqualTo("hello from blocked-upstream@1.0.0 in public");
  }
}
