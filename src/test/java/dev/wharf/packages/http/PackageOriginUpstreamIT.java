package dev.wharf.packages.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionDescription;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionErrorCode;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOrigin;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * Where a version entered the domain, and copies through upstreams, with real npm, the aws CLI and
 * the AWS SDK for Java v2. Repositories: team → shared (its upstream), and copies. A version npm
 * publishes to shared and installs through team is retained in team with its origin unchanged
 * (entry point shared, INTERNAL); CopyPackageVersions takes versions only shared has when
 * includeFromUpstream is true, and keeps their origin.
 */
class PackageOriginUpstreamIT {
  private static final TestingNpm npmClient = TestingNpm.npm();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static TestingAwsCli aws;
  static String account;
  static String token;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("npm", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(wharf.rootCredentials().accessKeyId(),
        wharf.rootCredentials().secretAccessKey());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("shared"));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    api.createRepository(b -> b.domain("acme").repository("copies"));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ---------------------------------------------------------------- npm

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }

  /** npm with its own HOME, cache and .npmrc pointing at one repository only. */
  static void npm(String repository, Path directory, String... arguments) {
    String registry = wharf.endpoint() + "/acme-" + account + "/npm/" + repository + "/";
    npmClient.runOk(TestingNpm.npmrc(directory("home"), registry, token), directory, arguments);
  }

  static void publish(String repository, String name, String version) {
    Path source = directory("src");
    write(source.resolve("package.json"), "{\"name\":\"" + name + "\",\"version\":\"" + version
        + "\",\"main\":\"index.js\",\"license\":\"MIT\"}\n");
    write(source.resolve("index.js"), "module.exports = '" + name + "@" + version + "';\n");
    npm(repository, source, "publish");
  }

  static void install(String repository, String name, String version) {
    Path project = TestingNpm.project(directory("project"), name, version);
    npm(repository, project, "install");
    assertThat(project.resolve("node_modules/" + name + "/package.json")).exists();
  }

  // ---------------------------------------------------------------- API helpers

  static PackageVersionDescription describe(String repository, String name, String version) {
    return api.describePackageVersion(b -> b.domain("acme").repository(repository).format(PackageFormat.NPM)
        .packageValue(name).packageVersion(version)).packageVersion();
  }

  static List<String> versions(String repository, String name) {
    return api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.NPM)
        .packageValue(name)).versions().stream().map(v -> v.version()).toList();
  }

  static void assertPublishedTo(PackageVersionOrigin origin, String repository) {
    assertThat(origin.originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    assertThat(origin.domainEntryPoint().repositoryName()).isEqualTo(repository);
    assertThat(origin.domainEntryPoint().externalConnectionName()).isNull();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aVersionInstalledThroughAnUpstreamKeepsTheRepositoryItWasPublishedToAsItsEntryPoint() {
    publish("shared", "origin-demo", "1.0.0");
    install("team", "origin-demo", "1.0.0");
    assertThat(versions("team", "origin-demo")).as("retained by team").containsExactly("1.0.0");

    assertPublishedTo(describe("shared", "origin-demo", "1.0.0").origin(), "shared");
    assertPublishedTo(describe("team", "origin-demo", "1.0.0").origin(), "shared");
    assertPublishedTo(api.listPackageVersions(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("origin-demo")).versions().getFirst().origin(), "shared");

    JsonNode cli = aws.json("codeartifact", "describe-package-version", "--domain", "acme", "--repository", "team",
        "--format", "npm", "--package", "origin-demo", "--package-version", "1.0.0");
    JsonNode origin = cli.path("packageVersion").path("origin");
    assertThat(origin.path("originType").asText()).isEqualTo("INTERNAL");
    assertThat(origin.path("domainEntryPoint").path("repositoryName").asText()).isEqualTo("shared");
    assertThat(origin.path("domainEntryPoint").has("externalConnectionName")).isFalse();
    JsonNode listed = aws.json("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "team",
        "--format", "npm", "--package", "origin-demo");
    assertThat(listed.at("/versions/0/origin/domainEntryPoint/repositoryName").asText()).isEqualTo("shared");

    // Published straight into team: team is the entry point there.
    publish("team", "team-made", "1.0.0");
    assertPublishedTo(describe("team", "team-made", "1.0.0").origin(), "team");
  }

  @Test
  void copyTakesVersionsOnlyTheSourcesUpstreamsHaveWhenIncludeFromUpstreamIsTrue() {
    publish("shared", "copy-demo", "1.0.0");
    publish("shared", "copy-demo", "2.0.0");
    install("team", "copy-demo", "1.0.0");
    String sharedRevision = describe("shared", "copy-demo", "2.0.0").revision();

    var ownOnly = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("copy-demo").versions("1.0.0", "2.0.0").includeFromUpstream(false));
    assertThat(ownOnly.successfulVersions()).containsOnlyKeys("1.0.0");
    assertThat(ownOnly.failedVersions().get("2.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);

    JsonNode cli = aws.json("codeartifact", "copy-package-versions", "--domain", "acme", "--source-repository", "team",
        "--destination-repository", "copies", "--format", "npm", "--package", "copy-demo", "--versions", "1.0.0",
        "2.0.0", "--include-from-upstream");
    assertThat(cli.at("/successfulVersions/2.0.0/revision").asText()).isEqualTo(sharedRevision);
    assertThat(cli.at("/successfulVersions/2.0.0/status").asText()).isEqualTo("Published");
    assertThat(cli.at("/failedVersions/1.0.0/errorCode").asText()).isEqualTo("ALREADY_EXISTS");

    assertThat(versions("copies", "copy-demo")).containsExactlyInAnyOrder("1.0.0", "2.0.0");
    assertThat(versions("team", "copy-demo")).as("a copy retains nothing in the source").containsExactly("1.0.0");
    assertPublishedTo(describe("copies", "copy-demo", "2.0.0").origin(), "shared");
    assertPublishedTo(describe("copies", "copy-demo", "1.0.0").origin(), "shared");
    var sharedAssets = api.listPackageVersionAssets(b -> b.domain("acme").repository("shared").format(PackageFormat.NPM)
        .packageValue("copy-demo").packageVersion("2.0.0")).assets();
    var copiedAssets = api.listPackageVersionAssets(b -> b.domain("acme").repository("copies").format(PackageFormat.NPM)
        .packageValue("copy-demo").packageVersion("2.0.0")).assets();
    assertThat(copiedAssets).usingRecursiveFieldByFieldElementComparator().isEqualTo(sharedAssets);

    // versionRevisions are checked against the upstream's version; allowOverwrite still decides.
    var stale = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("copy-demo").versionRevisions(Map.of("2.0.0", "stale"))
        .includeFromUpstream(true).allowOverwrite(true));
    assertThat(stale.failedVersions().get("2.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.MISMATCHED_REVISION);
    var exists = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("copy-demo").versionRevisions(Map.of("2.0.0", sharedRevision))
        .includeFromUpstream(true));
    assertThat(exists.failedVersions().get("2.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.ALREADY_EXISTS);
    var overwritten = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team")
        .destinationRepository("copies").format(PackageFormat.NPM).packageValue("copy-demo")
        .versionRevisions(Map.of("2.0.0", sharedRevision)).includeFromUpstream(true).allowOverwrite(true));
    assertThat(overwritten.successfulVersions().get("2.0.0").revision()).isEqualTo(sharedRevision);
  }

  @Test
  void aPackageOnlyTheUpstreamHasIsCopiedOnlyWithIncludeFromUpstreamAndNotPastAnUpstreamBlock() {
    publish("shared", "upstream-only", "1.0.0");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.copyPackageVersions(b -> b
        .domain("acme").sourceRepository("team").destinationRepository("copies").format(PackageFormat.NPM)
        .packageValue("upstream-only").versions("1.0.0")));
    var copied = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("upstream-only").versions("1.0.0").includeFromUpstream(true));
    assertThat(copied.successfulVersions()).containsOnlyKeys("1.0.0");
    assertThat(api.listPackages(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packagePrefix("upstream-only")).packages()).as("nothing retained in the source").isEmpty();
    assertPublishedTo(describe("copies", "upstream-only", "1.0.0").origin(), "shared");

    // The source's origin configuration for the package stops the search as it stops reads.
    publish("shared", "blocked-upstream", "1.0.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("blocked-upstream").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));
    var blocked = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("blocked-upstream").versions("1.0.0").includeFromUpstream(true));
    assertThat(blocked.failedVersions().get("1.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);
  }
}
