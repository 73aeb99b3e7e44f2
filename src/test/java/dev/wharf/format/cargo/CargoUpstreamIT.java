package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingCrates;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * Cargo through an upstream repository: {@code app} lists {@code base} as its upstream. A crate
 * published to {@code base} appears in {@code app}'s sparse index with the same checksum, downloads
 * through {@code app}, which then retains the version; versions of one crate in both repositories
 * merge in the index; {@code upstream: BLOCK} on the crate in {@code app} keeps {@code base}'s
 * versions out; and the real cargo, with {@code app} as its only registry, builds a project with a
 * crate that only {@code base} has.
 */
class CargoUpstreamIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand(CargoClientIT.cargoCommand(), "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("base"));
    api.createRepository(b -> b.domain("acme").repository("app").upstreams(u -> u.repositoryName("base")));
    token = api.getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint(String repository) {
    return wharf.endpoint() + "/acme-" + account + "/cargo/" + repository + "/";
  }

  /** A library crate without dependencies whose {@code greeting()} says where it was published. */
  static TestingCrates.Crate crate(String name, String version, String greeting) {
    try {
      Path dir = TestingFiles.directory(scratch, name + "-" + version);
      Files.writeString(dir.resolve("Cargo.toml"), """
          [package]
          name = "%s"
          version = "%s"
          edition = "2021"
          description = "%s, a crate of Wharf's upstream tests"
          license = "MIT"
          """.formatted(name, version, name));
      Files.createDirectories(dir.resolve("src"));
      Files.writeString(dir.resolve("src/lib.rs"),
          "pub fn greeting() -> &'static str { \"" + greeting + "\" }\n");
      return TestingCrates.fromDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Publishes with cargo's publish protocol to the repository. */
  static TestingCrates.Crate publish(String repository, String name, String version) {
    TestingCrates.Crate crate = crate(name, version, "hello from " + name + " " + version + " in " + repository);
    HttpResponse<String> response = TestingCrates.publish(endpoint(repository), token, crate.publishBody());
    assertThat(response.statusCode()).as(name + " " + version + " to " + repository + ": " + response.body())
        .isEqualTo(200);
    return crate;
  }

  static HttpResponse<byte[]> get(String repository, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint(repository) + path)).header("Authorization", token)
          .build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The repository's index file for the crate, one JSON object per version; asserts it is there. */
  static List<JsonNode> index(String repository, String name) {
    HttpResponse<byte[]> response = get(repository, CargoNames.indexPath(name));
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(repository + " index of " + name + ": " + body).isEqualTo(200);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return lines;
  }

  static HttpResponse<byte[]> download(String repository, String name, String version) {
    return get(repository, "api/v1/crates/" + name + "/" + version + "/download");
  }

  /** The crate's versions in the repository itself; none when it has no such package. */
  static List<PackageVersionSummary> versions(String repository, String name) {
    try {
      return api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.CARGO)
          .packageValue(name)).versions();
    } catch (ResourceNotFoundException e) {
      return List.of();
    }
  }

  static boolean exists(String repository, String name) {
    return api.listPackages(b -> b.domain("acme").repository(repository).format(PackageFormat.CARGO)
        .packagePrefix(name)).packages().stream().anyMatch(p -> p.packageValue().equals(name));
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aCrateOnlyInTheUpstreamIsIndexedDownloadedAndThenRetainedByTheRepository() {
    TestingCrates.Crate crate = publish("base", "up-only", "1.0.0");

    assertThat(index("app", "up-only")).singleElement().satisfies(line -> {
      assertThat(line.path("name").asText()).isEqualTo("up-only");
      assertThat(line.path("vers").asText()).isEqualTo("1.0.0");
      assertThat(line.path("cksum").asText()).isEqualTo(crate.sha256());
      assertThat(line.path("yanked").asBoolean()).isFalse();
    });
    assertThat(exists("app", "up-only")).as("listed through app, not yet retained there").isFalse();

    HttpResponse<byte[]> downloaded = download("app", "up-only", "1.0.0");
    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(downloaded.body()).isEqualTo(crate.file());

    // Retained in app, with the origin of where it entered the domain.
    assertThat(versions("app", "up-only")).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("1.0.0");
      assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    });
    var origin = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.CARGO)
        .packageValue("up-only").packageVersion("1.0.0")).packageVersion().origin();
    assertThat(origin.domainEntryPoint().repositoryName()).isEqualTo("base");

    // base loses it: app still lists and serves its retained copy, with the same checksum.
    api.deletePackageVersions(b -> b.domain("acme").repository("base").format(PackageFormat.CARGO)
        .packageValue("up-only").versions("1.0.0"));
    assertThat(download("base", "up-only", "1.0.0").statusCode()).isEqualTo(404);
    assertThat(index("app", "up-only")).singleElement()
        .satisfies(line -> assertThat(line.path("cksum").asText()).isEqualTo(crate.sha256()));
    assertThat(download("app", "up-only", "1.0.0").body()).isEqualTo(crate.file());
  }

  @Test
  void versionsOfOneCrateInTheRepositoryAndItsUpstreamMergeInTheIndex() {
    TestingCrates.Crate fromBase = publish("base", "up-merged", "1.0.0");
    TestingCrates.Crate fromApp = publish("app", "up-merged", "2.0.0");
    TestingCrates.Crate shadowed = publish("base", "up-merged", "2.0.0"); // other bytes: app's own copy wins
    // Published directly in app, the crate takes nothing from upstreams (CodeArtifact's default) until allowed.
    assertThat(index("app", "up-merged")).extracting(line -> line.path("vers").asText()).containsExactly("2.0.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.CARGO)
        .packageValue("up-merged").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));

    List<JsonNode> lines = index("app", "up-merged");
    assertThat(lines).extracting(line -> line.path("vers").asText()).containsExactly("1.0.0", "2.0.0");
    assertThat(lines.get(0).path("cksum").asText()).isEqualTo(fromBase.sha256());
    assertThat(lines.get(1).path("cksum").asText()).isEqualTo(fromApp.sha256());
    assertThat(index("base", "up-merged")).extracting(line -> line.path("cksum").asText())
        .containsExactly(fromBase.sha256(), shadowed.sha256());

    assertThat(download("app", "up-merged", "1.0.0").body()).isEqualTo(fromBase.file());
    assertThat(download("app", "up-merged", "2.0.0").body()).isEqualTo(fromApp.file());
    assertThat(versions("app", "up-merged")).extracting(PackageVersionSummary::version)
        .containsExactlyInAnyOrder("1.0.0", "2.0.0");
    assertThat(versions("base", "up-merged")).extracting(PackageVersionSummary::version)
        .containsExactlyInAnyOrder("1.0.0", "2.0.0");
  }

  @Test
  void originControlUpstreamBlockKeepsTheUpstreamsVersionsOutOfTheRepository() {
    TestingCrates.Crate crate = publish("base", "up-blocked", "1.0.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.CARGO)
        .packageValue("up-blocked").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));

    assertThat(get("app", CargoNames.indexPath("up-blocked")).statusCode()).isEqualTo(404);
    assertThat(download("app", "up-blocked", "1.0.0").statusCode()).isEqualTo(404);
    assertThat(versions("app", "up-blocked")).isEmpty();

    // base itself, which has no such setting, serves it.
    assertThat(index("base", "up-blocked")).singleElement()
        .satisfies(line -> assertThat(line.path("cksum").asText()).isEqualTo(crate.sha256()));
    assertThat(download("base", "up-blocked", "1.0.0").body()).isEqualTo(crate.file());

    // Allowed again, app lists it.
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.CARGO)
        .packageValue("up-blocked").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));
    assertThat(index("app", "up-blocked")).extracting(line -> line.path("vers").asText()).containsExactly("1.0.0");
  }

  static Map<String, String> cargoEnvironment;

  /** cargo with {@code app} as its only registry (crates.io replaced by it), as CargoClientIT sets it up. */
  static synchronized Map<String, String> cargoEnvironment() throws IOException {
    if (cargoEnvironment == null) {
      Path cargoHome = TestingFiles.directory(scratch, "cargo-home");
      // cargo asks for the token whenever it needs one, as with the seed's provider (here without the aws CLI)
      Path tokenCommand = TestingFiles.write(cargoHome.resolve("token.sh"), "#!/bin/sh\necho '" + token + "'\n");
      CargoClientIT.writeConfig(cargoHome, endpoint("app"), tokenCommand);
      cargoEnvironment = CargoClientIT.cargoEnvironment(cargoHome, TestingFiles.directory(scratch, "home"));
    }
    return cargoEnvironment;
  }

  /** {@code cargo run} of a new binary crate with the given dependency lines and main. */
  static TestingProcesses.Result cargoRun(String dependencies, String main) throws IOException {
    Path project = TestingFiles.directory(scratch, "project");
    Files.writeString(project.resolve("Cargo.toml"), """
        [package]
        name = "up-app"
        version = "0.1.0"
        edition = "2021"
        publish = false

        [dependencies]
        %s
        """.formatted(dependencies));
    Files.createDirectories(project.resolve("src"));
    Files.writeString(project.resolve("src/main.rs"), main);
    return TestingProcesses.run(project, cargoEnvironment(), TIMEOUT, List.of(CargoClientIT.cargoCommand(), "run", "--quiet"));
  }

  @Test
  void cargoWithTheRepositoryAsItsOnlyRegistryBuildsWithACrateThatOnlyTheUpstreamHas() throws IOException {
    publish("base", "up-greeting", "0.3.0");
    publish("base", "up-greeting", "0.3.1");

    TestingProcesses.Result run = cargoRun("up-greeting = \"0.3\"",
        "fn main() { println!(\"{}\", up_greeting::greeting()); }\n");
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("hello from up-greeting 0.3.1 in base");

    assertThat(versions("app", "up-greeting")).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("0.3.1");
      assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    });
  }

  @Test
  void theRepositorysOwnVersionWinsOverAnUpstreamsThatDiffersOnlyInBuildMetadata() throws IOException {
    // For SemVer and cargo, 1.0.0+base and 1.0.0+app are one version (CargoRegistry.sameVersion refuses the
    // second in one repository); through the upstream graph, the repository's own copy must be the one served.
    publish("base", "up-build", "1.0.0+base");
    TestingCrates.Crate own = publish("app", "up-build", "1.0.0+app");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.CARGO)
        .packageValue("up-build").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));

    TestingProcesses.Result run = cargoRun("up-build = \"1\"", "fn main() { println!(\"{}\", up_build::greeting()); }\n");
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("hello from up-build 1.0.0+app in app");
    assertThat(index("app", "up-build")).singleElement().satisfies(line -> {
      assertThat(line.path("vers").asText()).isEqualTo("1.0.0+app");
      assertThat(line.path("cksum").asText()).isEqualTo(own.sha256());
    });
    assertThat(versions("app", "up-build")).extracting(PackageVersionSummary::version).containsExactly("1.0.0+app");
  }
}
