package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingCrates;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * The real cargo against Wharf as its only registry: crates.io replaced by a Wharf repository
 * whose token comes from the seed's credential provider ({@code cargo:token-from-stdout} running
 * {@code aws codeartifact get-authorization-token}). The crates.io crates Debian unpacks (the
 * serde_json, regex and anyhow closures) are published with cargo's publish protocol; cargo
 * publishes crates of its own that depend on them and on each other, builds a project from Wharf
 * alone, yanks and un-yanks, searches; and bad publishes are refused with nothing stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CargoClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient rootCodeartifact;
  static String account;
  static AwsBasicCredentials developer;
  static Path cargoHome;
  static Map<String, String> environment;

  @BeforeAll
  static void start() throws IOException {
    TestingClients.requireCommand(cargoCommand(), "--version");
    TestingClients.requireCommand("aws", "--version");
    if (TestingCrates.debianCrates().size() < 20) {
      TestingClients.missing("Debian's crates (apt-get install librust-serde-json-dev librust-regex-dev"
          + " librust-anyhow-dev)");
    }
    wharf = TestingServer.start(scratch.resolve("data"));
    rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    rootCodeartifact.createDomain(b -> b.domain("acme"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("crates"));
    developer = TestingIam.user(wharf.iam(wharf.rootCredentials()), "dev", "developer", TestingIam.DEVELOPER);
    cargoHome = TestingFiles.directory(scratch, "cargo-home");
    Path awsHome = TestingFiles.directory(scratch, "aws");
    Files.writeString(awsHome.resolve("credentials"), "[default]\naws_access_key_id = " + developer.accessKeyId()
        + "\naws_secret_access_key = " + developer.secretAccessKey() + "\n");
    Files.writeString(awsHome.resolve("config"), "[default]\nregion = us-east-1\n");
    // the seed's flow: cargo asks the aws CLI for a token whenever it needs one
    Path tokenCommand = awsHome.resolve("token.sh");
    Files.writeString(tokenCommand, "#!/bin/sh\nexport AWS_SHARED_CREDENTIALS_FILE=" + awsHome.resolve("credentials")
        + " AWS_CONFIG_FILE=" + awsHome.resolve("config") + "\nexec aws --endpoint-url " + wharf.endpoint()
        + " codeartifact get-authorization-token --domain acme --domain-owner " + account
        + " --query authorizationToken --output text\n");
    writeConfig(cargoHome, endpoint(), tokenCommand);
    environment = cargoEnvironment(cargoHome, TestingFiles.directory(scratch, "home"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String rustBin() {
    return Path.of(System.getProperty("user.home"), ".cargo", "bin").toString();
  }

  /**
   * cargo's configuration with the registry {@code wharf} as its only one (crates.io replaced by it), its
   * token printed by {@code tokenCommand} whenever cargo needs one, as the seed's credential provider does.
   */
  static void writeConfig(Path cargoHome, String endpoint, Path tokenCommand) throws IOException {
    Files.writeString(cargoHome.resolve("config.toml"), """
        [registries.wharf]
        index = "sparse+%s"
        credential-provider = ["cargo:token-from-stdout", "sh", "%s"]

        [registry]
        default = "wharf"

        [source.crates-io]
        replace-with = "wharf"
        """.formatted(endpoint, tokenCommand));
  }

  /** rustup's cargo, which is not on CI's PATH, else cargo from PATH. */
  static String cargoCommand() {
    Path installed = Path.of(rustBin(), "cargo");
    return Files.isExecutable(installed) ? installed.toString() : "cargo";
  }

  /** A clean environment for cargo with its own CARGO_HOME and HOME, and rustup's toolchains. */
  static Map<String, String> cargoEnvironment(Path cargoHome, Path home) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(System.getenv("PATH") + ":" + rustBin());
    environment.put("HOME", home.toString());
    environment.put("CARGO_HOME", cargoHome.toString());
    environment.put("RUSTUP_HOME", System.getenv().getOrDefault("RUSTUP_HOME",
        Path.of(System.getProperty("user.home"), ".rustup").toString()));
    environment.put("CARGO_TERM_COLOR", "never");
    return environment;
  }

  static String endpoint() {
    return wharf.endpoint() + "/acme-" + account + "/cargo/crates/";
  }

  static String token() {
    return rootCodeartifact.getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
  }

  static TestingProcesses.Result cargo(Path directory, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(cargoCommand());
    command.addAll(List.of(arguments));
    return TestingProcesses.run(directory, environment, TIMEOUT, command);
  }

  /** A new library or binary crate with the given dependency lines and code. */
  static Path crate(String name, String version, boolean binary, String dependencies, String code) throws IOException {
    Path dir = TestingFiles.directory(scratch, name);
    Files.writeString(dir.resolve("Cargo.toml"), """
        [package]
        name = "%s"
        version = "%s"
        edition = "2021"
        description = "%s, a crate of Wharf's tests"
        license = "MIT"

        [dependencies]
        %s
        """.formatted(name, version, name, dependencies));
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(dir.resolve("src").resolve(binary ? "main.rs" : "lib.rs"), code);
    return dir;
  }

  static HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + path)).header("Authorization", token()).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void debianCratesArePublishedAndIndexedWithTheirChecksums() throws IOException {
    String token = token();
    Map<String, String> checksums = new LinkedHashMap<>();
    for (Path dir : TestingCrates.debianCrates()) {
      TestingCrates.Crate crate = TestingCrates.fromDirectory(dir);
      HttpResponse<String> response = TestingCrates.publish(endpoint(), token, crate.publishBody());
      assertThat(response.statusCode()).as(dir + ": " + response.body()).isEqualTo(200);
      checksums.put(crate.name(), crate.sha256());
    }
    assertThat(checksums).hasSizeGreaterThanOrEqualTo(20).containsKeys("serde_json", "regex", "anyhow", "memchr");
    JsonNode line = JSON.readTree(get(CargoNames.indexPath("serde_json")).body().strip());
    assertThat(line.path("name").asText()).isEqualTo("serde_json");
    assertThat(line.path("cksum").asText()).isEqualTo(checksums.get("serde_json"));
    assertThat(line.path("deps").findValuesAsText("name")).contains("serde", "itoa", "ryu");
    // cargo asks for index files in lower case; a crate is found whatever the case of its name
    assertThat(get(CargoNames.indexPath("Serde_JSON")).statusCode()).isEqualTo(200);
    assertThat(rootCodeartifact.listPackages(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO))
        .packages()).hasSize(checksums.size());
  }

  @Test
  @Order(2)
  void cargoPublishesCratesThatDependOnEachOtherAndBuildsFromWharfAlone() throws IOException {
    Path leaf = crate("wharf-leaf", "0.1.0", false, "itoa = \"1\"",
        "pub fn leaf(n: u64) -> String { itoa::Buffer::new().format(n).to_string() }\n");
    TestingProcesses.Result published = cargo(leaf, "publish", "--registry", "wharf", "--allow-dirty");
    assertThat(published.exitCode()).as(published.toString()).isZero();
    Path mid = crate("wharf-mid", "0.2.0", false, "wharf-leaf = \"0.1\"\nserde_json = \"1\"",
        "pub fn mid(n: u64) -> String { serde_json::json!({\"leaf\": wharf_leaf::leaf(n)}).to_string() }\n");
    published = cargo(mid, "publish", "--registry", "wharf", "--allow-dirty");
    assertThat(published.exitCode()).as(published.toString()).isZero();

    Path app = crate("wharf-app", "1.0.0", true, "wharf-mid = \"0.2\"\nanyhow = \"1\"\nregex = \"1\"", """
        fn main() -> anyhow::Result<()> {
            let re = regex::Regex::new(r"[0-9]+")?;
            let out = wharf_mid::mid(42);
            println!("{} {}", out, re.is_match(&out));
            Ok(())
        }
        """);
    TestingProcesses.Result run = cargo(app, "run", "--quiet");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout().strip()).isEqualTo("{\"leaf\":\"42\"} true");
    String lock = Files.readString(app.resolve("Cargo.lock"));
    assertThat(lock).contains("name = \"wharf-mid\"", "name = \"serde_json\"", "name = \"regex\"");

    var described = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("crates")
        .format(PackageFormat.CARGO).packageValue("wharf-mid").packageVersion("0.2.0")).packageVersion();
    assertThat(described.displayName()).isEqualTo("wharf-mid");
    assertThat(described.licenses().getFirst().name()).isEqualTo("MIT");
    var dependencies = rootCodeartifact.listPackageVersionDependencies(b -> b.domain("acme").repository("crates")
        .format(PackageFormat.CARGO).packageValue("wharf-mid").packageVersion("0.2.0")).dependencies();
    assertThat(dependencies).extracting(d -> d.packageValue()).containsExactlyInAnyOrder("wharf-leaf", "serde_json");
  }

  @Test
  @Order(3)
  void aYankedVersionIsRefusedToNewRequirementsUntilUnyanked() throws IOException {
    Path leaf = crate("wharf-leaf", "0.1.1", false, "itoa = \"1\"",
        "pub fn leaf(n: u64) -> String { format!(\"v011-{}\", itoa::Buffer::new().format(n)) }\n");
    TestingProcesses.Result result = cargo(leaf, "publish", "--registry", "wharf", "--allow-dirty");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    result = cargo(leaf, "yank", "--version", "0.1.1", "wharf-leaf", "--registry", "wharf");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(get(CargoNames.indexPath("wharf-leaf")).body()).contains("\"vers\":\"0.1.1\"", "\"yanked\":true");

    Path pinned = crate("wharf-pinned", "0.1.0", true, "wharf-leaf = \"=0.1.1\"",
        "fn main() { println!(\"{}\", wharf_leaf::leaf(7)); }\n");
    result = cargo(pinned, "build", "--quiet");
    assertThat(result.exitCode()).as(result.toString()).isNotZero();
    assertThat(result.stderr()).contains("yanked");

    result = cargo(leaf, "yank", "--undo", "--version", "0.1.1", "wharf-leaf", "--registry", "wharf");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    result = cargo(pinned, "run", "--quiet");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout().strip()).isEqualTo("v011-7");

    // a version Unlisted with the API is yanked for cargo, and cargo cannot undo what the API set
    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)
        .packageValue("wharf-leaf").versions("0.1.1").targetStatus("Unlisted"));
    assertThat(get(CargoNames.indexPath("wharf-leaf")).body()).contains("\"vers\":\"0.1.1\"", "\"yanked\":true");
    result = cargo(leaf, "yank", "--undo", "--version", "0.1.1", "wharf-leaf", "--registry", "wharf");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("is Unlisted");
    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)
        .packageValue("wharf-leaf").versions("0.1.1").targetStatus("Published"));
    assertThat(get(CargoNames.indexPath("wharf-leaf")).body()).doesNotContain("\"yanked\":true");
  }

  @Test
  @Order(4)
  void searchAndOwnersAnswerAsCargoExpects() {
    TestingProcesses.Result search = cargo(scratch, "search", "wharf", "--registry", "wharf");
    assertThat(search.exitCode()).as(search.toString()).isZero();
    assertThat(search.stdout()).contains("wharf-leaf = \"0.1.1\"", "wharf-mid = \"0.2.0\"");
    TestingProcesses.Result owners = cargo(scratch, "owner", "--list", "wharf-leaf", "--registry", "wharf");
    assertThat(owners.exitCode()).as(owners.toString()).isZero();
    TestingProcesses.Result add = cargo(scratch, "owner", "--add", "someone", "wharf-leaf", "--registry", "wharf");
    assertThat(add.exitCode()).isNotZero();
    assertThat(add.stderr()).contains("decided by IAM");
  }

  @Test
  @Order(5)
  void cargoShowsWhyARepublishWithOtherBytesIsRefused() throws IOException {
    Path leaf = crate("wharf-leaf", "0.1.0", false, "", "pub fn other() {}\n");
    // cargo itself refuses a version its index already lists; the server refuses it too, with cargo's error shape
    TestingCrates.Crate changed = TestingCrates.fromDirectory(leaf);
    HttpResponse<String> response = TestingCrates.publish(endpoint(), token(), changed.publishBody());
    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(response.body()).path("errors").get(0).path("detail").asText())
        .contains("already exists");
    TestingProcesses.Result result = cargo(leaf, "publish", "--registry", "wharf", "--allow-dirty", "--no-verify");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("already exists");
  }

  @Test
  @Order(8)
  void ofConcurrentPublishesOfOneVersionWithDifferentBytesExactlyOneWins() throws Exception {
    TestingCrates.Crate a = TestingCrates.fromDirectory(crate("wharf-race", "1.0.0", false, "", "pub fn a() {}\n"));
    TestingCrates.Crate b = TestingCrates.fromDirectory(crate("wharf-race", "1.0.0", false, "", "pub fn b() {}\n"));
    assertThat(a.sha256()).isNotEqualTo(b.sha256());
    String token = token();
    List<java.util.concurrent.Callable<HttpResponse<String>>> publishes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] body = (i % 2 == 0 ? a : b).publishBody();
      publishes.add(() -> TestingCrates.publish(endpoint(), token, body));
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      for (var future : pool.invokeAll(publishes)) {
        answers.add(future.get());
      }
    }
    JsonNode line = JSON.readTree(get(CargoNames.indexPath("wharf-race")).body().strip());
    String stored = line.path("cksum").asText();
    assertThat(stored).isIn(a.sha256(), b.sha256());
    for (int i = 0; i < 8; i++) {
      boolean won = (i % 2 == 0 ? a : b).sha256().equals(stored);
      assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(won ? 200 : 409);
    }
    assertThat(storedVersions("wharf-race")).containsExactly("1.0.0");
  }

  static String detail(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body()).path("errors").get(0).path("detail").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> storedVersions(String name) {
    return rootCodeartifact.listPackageVersions(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)
        .packageValue(name)).versions().stream().map(v -> v.version()).toList();
  }

  @Test
  @Order(6)
  void badPublishesAreRefusedInCargosErrorShapeAndStoreNothing() throws IOException {
    String token = token();
    TestingCrates.Crate good = TestingCrates.fromDirectory(crate("wharf-bad", "1.0.0", false, "", "pub fn f() {}\n"));

    // the metadata names another crate than the crate's Cargo.toml
    var renamed = good.metadata().deepCopy().put("name", "wharf-other");
    HttpResponse<String> response = TestingCrates.publish(endpoint(), token,
        TestingCrates.body(renamed.toString().getBytes(StandardCharsets.UTF_8), good.file()));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("outside wharf-other-1.0.0/");
    // ... and in a folder of that name, a Cargo.toml of another name
    byte[] otherFolder = TestingCrates.tarGz(Map.of("wharf-other-1.0.0/Cargo.toml",
        "[package]\nname = \"wharf-bad\"\nversion = \"1.0.0\"\n"));
    response = TestingCrates.publish(endpoint(), token,
        TestingCrates.body(renamed.toString().getBytes(StandardCharsets.UTF_8), otherFolder));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("Cargo.toml names the package 'wharf-bad'");

    // another version than the Cargo.toml's, in a folder of that version
    var otherVersion = good.metadata().deepCopy().put("vers", "2.0.0");
    byte[] repacked = TestingCrates.tarGz(Map.of("wharf-bad-2.0.0/Cargo.toml",
        "[package]\nname = \"wharf-bad\"\nversion = \"1.0.0\"\n"));
    response = TestingCrates.publish(endpoint(), token,
        TestingCrates.body(otherVersion.toString().getBytes(StandardCharsets.UTF_8), repacked));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("has version 1.0.0");

    // a traversal out of the crate's folder
    byte[] traversal = TestingCrates.tarGz(Map.of("wharf-bad-1.0.0/Cargo.toml",
        "[package]\nname = \"wharf-bad\"\nversion = \"1.0.0\"\n", "wharf-bad-1.0.0/../../etc/evil", "x"));
    response = TestingCrates.publish(endpoint(), token,
        TestingCrates.body(good.metadata().toString().getBytes(StandardCharsets.UTF_8), traversal));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("outside wharf-bad-1.0.0/");

    // not a gzip'd tar
    response = TestingCrates.publish(endpoint(), token, TestingCrates.body(
        good.metadata().toString().getBytes(StandardCharsets.UTF_8), "not a crate".getBytes(StandardCharsets.UTF_8)));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("not a gzip-compressed tar");

    // a name against the rules, malformed JSON, a body cut short
    var badName = good.metadata().deepCopy().put("name", "1bad/name");
    response = TestingCrates.publish(endpoint(), token,
        TestingCrates.body(badName.toString().getBytes(StandardCharsets.UTF_8), good.file()));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("Invalid crate name");
    response = TestingCrates.publish(endpoint(), token, TestingCrates.body("{".getBytes(StandardCharsets.UTF_8),
        good.file()));
    assertThat(response.statusCode()).isEqualTo(400);
    byte[] whole = good.publishBody();
    response = TestingCrates.publish(endpoint(), token, java.util.Arrays.copyOf(whole, whole.length - 10));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("ends inside its crate");

    assertThat(rootCodeartifact.listPackages(b -> b.domain("acme").repository("crates").format(PackageFormat.CARGO)
        .packagePrefix("wharf-bad")).packages()).isEmpty();

    // a name that differs from an existing crate's only in '-' and '_'
    TestingCrates.Crate lookalike = TestingCrates.fromDirectory(crate("wharf_leaf", "9.0.0", false, "", "pub fn f() {}\n"));
    response = TestingCrates.publish(endpoint(), token, lookalike.publishBody());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(detail(response)).contains("too like the existing crate wharf-leaf");

    // the good one still goes in, and a token without permission is refused before the crate is read
    assertThat(TestingCrates.publish(endpoint(), token, good.publishBody()).statusCode()).isEqualTo(200);
    assertThat(storedVersions("wharf-bad")).containsExactly("1.0.0");
  }

  @Test
  @Order(7)
  void aTokenWithoutPublishPermissionIsRefusedBeforeTheCrateIsRead() throws IOException {
    var iam = wharf.iam(wharf.rootCredentials());
    AwsBasicCredentials reader = TestingIam.user(iam, "reader", "read-only", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codeartifact:GetAuthorizationToken",
        "codeartifact:ReadFromRepository","sts:GetServiceBearerToken"],"Resource":"*"}]}""");
    String readerToken = wharf.codeartifact(reader).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
    TestingCrates.Crate crate = TestingCrates.fromDirectory(crate("wharf-denied", "1.0.0", false, "", "pub fn f() {}\n"));
    // the metadata alone, with a crate length that the body never delivers: refused on the metadata
    byte[] json = crate.metadata().toString().getBytes(StandardCharsets.UTF_8);
    byte[] headOnly = java.util.Arrays.copyOf(TestingCrates.body(json, crate.file()), 4 + json.length + 4);
    HttpResponse<String> response = TestingCrates.publish(endpoint(), readerToken, headOnly);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(detail(response)).contains("PublishPackageVersion");
    assertThat(get(CargoNames.indexPath("wharf-denied")).statusCode()).isEqualTo(404);
    // and reading with it works, with the token alone or as Bearer
    try {
      HttpResponse<String> bearer = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "config.json"))
          .header("Authorization", "Bearer " + readerToken).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bearer.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(bearer.body()).path("auth-required").asBoolean()).isTrue();
      HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint() + "config.json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(none.body()).path("errors").get(0).path("detail").asText()).contains("token");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
