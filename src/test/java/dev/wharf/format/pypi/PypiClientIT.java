package dev.wharf.format.pypi;

import static dev.wharf.testing.TestingFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingWharfCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The real twine and pip against Wharf, configured by {@code wharf login --tool twine} and
 * {@code --tool pip}: twine uploads wheels and sdists (crafted here without network or build
 * backends, plus the real wheels Debian ships), pip installs them into fresh virtualenvs with
 * dependencies resolved from Wharf alone, downloads them and lists versions. pip runs with
 * {@code PIP_CONFIG_FILE=/dev/null} and no {@code PIP_*} variables so Wharf is its only source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PypiClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Path DEBIAN_WHEELS = Path.of("/usr/share/python-wheels");

  private static final String DENY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":[\"codeartifact:ReadFromRepository\",\"codeartifact:PublishPackageVersion\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static IamClient rootIam;
  static TestingServer wharf;
  static CodeartifactClient rootCodeartifact;
  static String account;
  static AwsBasicCredentials developer;
  static Path home;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("twine", "--version");
    TestingClients.requireCommand("python3", "-m", "venv", "--help");
    wharf = TestingServer.start(scratch.resolve("data"));
    rootIam = wharf.iam(wharf.rootCredentials());
    rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    rootCodeartifact.createDomain(b -> b.domain("acme"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("py"));
    developer = TestingIam.user(rootIam, "dev", "developer", TestingIam.DEVELOPER);
    home = directory("home");
    wharfLogin(developer, home, "twine");
    wharfLogin(developer, home, "pip");
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }

  static void wharfLogin(AwsCredentials credentials, Path dir, String tool) {
    assertThat(TestingWharfCommand.execute(credentials, "login", "--tool", tool, "--domain", "acme", "--domain-owner",
        account, "--repository", "py", "--home", dir.toString(), "--endpoint-url", wharf.endpoint().toString())).isZero();
  }

  static String endpoint() {
    return wharf.endpoint() + "/acme-" + account + "/pypi/py/";
  }

  /** The index URL {@code wharf login --tool pip} wrote (with aws:TOKEN@). */
  static String indexUrl() {
    return indexUrl(home);
  }

  static String indexUrl(Path home) {
    Matcher m = Pattern.compile("index-url\\s*=\\s*(\\S+)").matcher(read(home.resolve(".config/pip/pip.conf")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static Map<String, String> environment() {
    return TestingPip.environment(home);
  }


  static TestingProcesses.Result run(Path directory, String... command) {
    return TestingProcesses.run(directory, environment(), TIMEOUT, List.of(command));
  }

  static TestingProcesses.Result ok(Path directory, String... command) {
    TestingProcesses.Result result = run(directory, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /** A wheel and an sdist of a small project, in a new directory. */
  static Path dists(String name, String version, String module, String... requires) {
    Path out = directory("dist");
    List<String> command = new ArrayList<>(List.of("python3", "-c", TestingPip.MAKE_DISTS, name, version, module, out.toString()));
    command.addAll(List.of(requires));
    TestingProcesses.Result result = TestingProcesses.run(out, environment(), TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return out;
  }

  static TestingProcesses.Result twine(Path directory, String... arguments) {
    return twine(home, directory, arguments);
  }

  static TestingProcesses.Result twine(Path home, Path directory, String... arguments) {
    List<String> command = new ArrayList<>(List.of("twine", "upload", "--non-interactive", "--disable-progress-bar",
        "--repository", "codeartifact", "--config-file", home.resolve(".pypirc").toString()));
    command.addAll(List.of(arguments));
    return TestingProcesses.run(directory, environment(), TIMEOUT, command);
  }

  static Path venv() {
    Path dir = directory("venv");
    ok(dir, TestingPip.makeVenv(dir.resolve("env")).toArray(String[]::new));
    return dir.resolve("env");
  }

  static TestingProcesses.Result pip(Path venv, String... arguments) {
    return pipWith(home, venv, arguments);
  }

  /** pip with the index URL the login in {@code home} configured, passed explicitly (no config file is read). */
  static TestingProcesses.Result pipWith(Path home, Path venv, String... arguments) {
    List<String> command = TestingPip.pip(venv, arguments);
    command.addAll(List.of("--no-cache-dir", "--index-url", indexUrl(home)));
    return TestingProcesses.run(venv.getParent(), environment(), TIMEOUT, command);
  }

  static HttpResponse<String> get(String url, String authorization, String accept) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (accept != null) {
        request.header("Accept", accept);
      }
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String basic() {
    String url = indexUrl();
    String token = url.substring(url.indexOf("aws:") + 4, url.indexOf('@'));
    return "Basic " + java.util.Base64.getEncoder().encodeToString(("aws:" + token).getBytes());
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void twineUploadsAndPipInstallsWithDependenciesFromWharfAlone() {
    Path greeting = dists("wharf-greeting", "1.0.0", "wharf_greeting");
    ok(greeting, "twine", "--version");
    TestingProcesses.Result upload = twine(greeting, "wharf_greeting-1.0.0-py3-none-any.whl", "wharf_greeting-1.0.0.tar.gz");
    assertThat(upload.exitCode()).as(upload.describe()).isZero();
    Path app = dists("Wharf.App", "2.0", "wharf_app", "wharf-greeting>=1.0");
    upload = twine(app, "Wharf_App-2.0-py3-none-any.whl");
    assertThat(upload.exitCode()).as(upload.describe()).isZero();

    Path venv = venv();
    TestingProcesses.Result install = pip(venv, "install", "wharf-app==2.0");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    TestingProcesses.Result imported = ok(venv.getParent(), venv.resolve("bin/python").toString(), "-c",
        "import wharf_greeting, wharf_app; print(wharf_greeting.GREETING)");
    assertThat(imported.stdout()).contains("hello from wharf-greeting 1.0.0");
  }

  @Test
  @Order(2)
  void pipDownloadsAndListsVersions() {
    Path venv = venv();
    Path into = directory("download");
    TestingProcesses.Result download = pip(venv, "download", "--no-deps", "--only-binary", ":all:", "-d",
        into.toString(), "Wharf_Greeting==1.0.0");
    assertThat(download.exitCode()).as(download.describe()).isZero();
    assertThat(into.resolve("wharf_greeting-1.0.0-py3-none-any.whl")).exists();
    TestingProcesses.Result versions = pip(venv, "index", "versions", "wharf-greeting");
    assertThat(versions.exitCode()).as(versions.describe()).isZero();
    assertThat(versions.stdout()).contains("wharf-greeting (1.0.0)");
  }

  @Test
  @Order(3)
  void theSameFileAgainIsANoOpAndDifferentBytesAreRefused() throws IOException {
    Path again = dists("wharf-greeting", "1.0.0", "wharf_greeting");
    // Recreated: the zip's timestamps differ, so the bytes do.
    Path original = scratch.resolve("original");
    TestingProcesses.Result same = twine(directory("unused"), "--skip-existing",
        again.resolve("wharf_greeting-1.0.0.tar.gz").toString());
    assertThat(same.exitCode()).as(same.describe()).isZero();
    Path changed = directory("changed");
    Files.copy(again.resolve("wharf_greeting-1.0.0-py3-none-any.whl"), changed.resolve("wharf_greeting-1.0.0-py3-none-any.whl"));
    try (var zip = java.nio.file.FileSystems.newFileSystem(changed.resolve("wharf_greeting-1.0.0-py3-none-any.whl"))) {
      Files.writeString(zip.getPath("wharf_greeting/extra.py"), "X = 1\n");
    }
    TestingProcesses.Result refused = twine(changed, "--verbose", "wharf_greeting-1.0.0-py3-none-any.whl");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout() + refused.stderr()).contains("File already exists");
    TestingProcesses.Result skipped = twine(changed, "--skip-existing", "wharf_greeting-1.0.0-py3-none-any.whl");
    assertThat(skipped.exitCode()).as(skipped.describe()).isZero();
    assertThat(original).doesNotExist();
  }

  @Test
  @Order(4)
  void theWheelsDebianShipsUploadAndInstall() throws IOException {
    List<Path> wheels;
    try (var list = Files.list(DEBIAN_WHEELS)) {
      wheels = list.filter(p -> p.getFileName().toString().matches("(pip|setuptools|wheel)-.*\\.whl")).sorted().toList();
    } catch (IOException e) {
      TestingClients.missing("the Debian wheels in " + DEBIAN_WHEELS);
      return;
    }
    assertThat(wheels).isNotEmpty();
    List<String> arguments = wheels.stream().map(Path::toString).toList();
    TestingProcesses.Result upload = twine(DEBIAN_WHEELS, arguments.toArray(String[]::new));
    assertThat(upload.exitCode()).as(upload.describe()).isZero();
    Path venv = venv();
    Path target = directory("target");
    for (Path wheel : wheels) {
      String[] parts = wheel.getFileName().toString().split("-");
      TestingProcesses.Result install = pip(venv, "install", "--no-deps", "--target", target.toString(),
          parts[0] + "==" + parts[1]);
      assertThat(install.exitCode()).as(install.describe()).isZero();
      try (var listing = Files.list(target)) {
        assertThat(listing.map(p -> p.getFileName().toString()).toList())
            .contains(parts[0] + "-" + parts[1] + ".dist-info");
      }
    }
  }

  @Test
  @Order(5)
  void theIndexServesJsonAndHtmlWithMetadataAndAsksForCredentials() {
    String simple = endpoint() + "simple/";
    HttpResponse<String> anonymous = get(simple + "wharf-greeting/", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
    HttpResponse<String> json = get(simple + "wharf-greeting/", basic(),
        "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/vnd.pypi.simple.v1+json");
    assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
    assertThat(json.body()).contains("\"versions\":[\"1.0.0\"]", "\"requires-python\":\">=3.7\"", "\"core-metadata\":{\"sha256\"");
    HttpResponse<String> html = get(simple + "wharf-greeting/", basic(), "text/html");
    assertThat(html.body()).contains("#sha256=", "data-requires-python=\"&gt;=3.7\"", "data-core-metadata=\"sha256=",
        "data-dist-info-metadata=\"sha256=");
    HttpResponse<String> metadata = get(simple + "wharf-greeting/wharf_greeting-1.0.0-py3-none-any.whl.metadata", basic(), null);
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).contains("Name: wharf-greeting", "Version: 1.0.0");
    HttpResponse<String> redirect = get(simple + "Wharf_Greeting/", basic(), null);
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).hasValue(simple + "wharf-greeting/");
    HttpResponse<String> root = get(simple, basic(), "application/vnd.pypi.simple.v1+json");
    assertThat(root.body()).contains("{\"name\":\"wharf-app\"}", "{\"name\":\"wharf-greeting\"}");
  }

  @Test
  @Order(6)
  void withoutPermissionTwineAndPipGet403() {
    Path dists = dists("wharf-denied", "1.0", "wharf_denied");
    rootIam.putUserPolicy(b -> b.userName("dev").policyName("deny").policyDocument(DENY));
    try {
      TestingProcesses.Result upload = twine(dists, "wharf_denied-1.0-py3-none-any.whl");
      assertThat(upload.exitCode()).as(upload.describe()).isNotZero();
      assertThat(upload.stdout() + upload.stderr()).contains("403");
      TestingProcesses.Result install = pip(venv(), "install", "-vv", "wharf-greeting");
      assertThat(install.exitCode()).as(install.describe()).isNotZero();
      assertThat(install.stdout() + install.stderr()).contains("403");
      assertThat(get(endpoint() + "simple/wharf-greeting/", basic(), null).statusCode()).isEqualTo(403);
    } finally {
      rootIam.deleteUserPolicy(b -> b.userName("dev").policyName("deny"));
    }
    assertThat(get(endpoint() + "simple/wharf-denied/", basic(), null).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void whatTwineUploadedShowsInTheCodeArtifactApi() {
    var versions = rootCodeartifact.listPackageVersions(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("wharf-greeting"));
    assertThat(versions.versions()).extracting(v -> v.version()).containsExactly("1.0.0");
    var assets = rootCodeartifact.listPackageVersionAssets(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("wharf-greeting").packageVersion("1.0.0"));
    assertThat(assets.assets()).extracting(a -> a.name()).contains("wharf_greeting-1.0.0-py3-none-any.whl",
        "wharf_greeting-1.0.0.tar.gz");
    var described = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("wharf-greeting").packageVersion("1.0.0"));
    assertThat(described.packageVersion().summary()).isEqualTo("wharf-greeting for tests");
    assertThat(described.packageVersion().licenses()).extracting(l -> l.name()).containsExactly("MIT");
    var app = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("wharf-app").packageVersion("2.0"));
    assertThat(app.packageVersion().packageName()).isEqualTo("wharf-app");
    assertThat(app.packageVersion().displayName()).isEqualTo("Wharf.App");
  }

  @Test
  @Order(8)
  void theRealAwsCodeartifactLoginConfiguresTwineAndPip() {
    TestingAwsCli aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(developer.accessKeyId(),
        developer.secretAccessKey());
    var login = aws.run("codeartifact", "login", "--tool", "twine", "--domain", "acme", "--domain-owner", account,
        "--repository", "py");
    assertThat(login.exitCode()).as(login.describe()).isZero();
    Path awsHome = aws.home();
    Path dists = dists("from-aws", "0.1.0", "from_aws", "wharf-greeting==1.0.0");
    TestingProcesses.Result upload = twine(awsHome, dists, "from_aws-0.1.0-py3-none-any.whl", "from_aws-0.1.0.tar.gz");
    assertThat(upload.exitCode()).as(upload.describe()).isZero();
    login = aws.run("codeartifact", "login", "--tool", "pip", "--domain", "acme", "--domain-owner", account,
        "--repository", "py");
    assertThat(login.exitCode()).as(login.describe()).isZero();
    Path venv = venv();
    TestingProcesses.Result install = pipWith(awsHome, venv, "install", "from-aws");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(install.stdout()).contains("Successfully installed from-aws-0.1.0 wharf-greeting-1.0.0");
  }

  @Test
  @Order(9)
  void unlistedVersionsLeaveTheIndexArchivedOnesCannotBeDownloadedAndOriginBlockStopsUploads() {
    for (String version : List.of("1.0", "2.0")) {
      Path dists = dists("status-py", version, "status_py");
      TestingProcesses.Result upload = twine(dists, "status_py-" + version + "-py3-none-any.whl");
      assertThat(upload.exitCode()).as(upload.describe()).isZero();
    }
    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("status-py").versions("2.0").targetStatus("Unlisted"));
    Path venv = venv();
    Path downloads = directory("downloads");
    TestingProcesses.Result download = pip(venv, "download", "--no-deps", "-d", downloads.toString(), "status-py");
    assertThat(download.exitCode()).as(download.describe()).isZero();
    assertThat(downloads.resolve("status_py-1.0-py3-none-any.whl")).exists();
    assertThat(pip(venv, "download", "--no-deps", "-d", downloads.toString(), "status-py==2.0").exitCode())
        .as("an Unlisted version is not in the index").isNotZero();
    // ...but its file is still served by exact URL.
    assertThat(get(endpoint() + "simple/status-py/status_py-2.0-py3-none-any.whl", basic(), null).statusCode())
        .isEqualTo(200);

    rootCodeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("status-py").versions("1.0").targetStatus("Archived"));
    Path nothing = directory("nothing");
    assertThat(pip(venv, "download", "--no-deps", "-d", nothing.toString(), "status-py==1.0").exitCode()).isNotZero();
    assertThat(get(endpoint() + "simple/status-py/status_py-1.0-py3-none-any.whl", basic(), null).statusCode())
        .isEqualTo(404);

    rootCodeartifact.putPackageOriginConfiguration(b -> b.domain("acme").repository("py").format("pypi")
        .packageValue("status-py").restrictions(r -> r.publish("BLOCK").upstream("ALLOW")));
    Path next = dists("status-py", "3.0", "status_py");
    TestingProcesses.Result blocked = twine(next, "--verbose", "status_py-3.0-py3-none-any.whl");
    assertThat(blocked.exitCode()).as(blocked.describe()).isNotZero();
    assertThat(blocked.stdout() + blocked.stderr()).contains("403");
    assertThat(get(endpoint() + "simple/status-py/status_py-3.0-py3-none-any.whl", basic(), null).statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(10)
  void theRequirementsTwineUploadedAreListedAsDependencies() {
    var dependencies = rootCodeartifact.listPackageVersionDependencies(b -> b.domain("acme").repository("py")
        .format("pypi").packageValue("wharf-app").packageVersion("2.0"));
    assertThat(dependencies.dependencies()).singleElement().satisfies(d -> {
      assertThat(d.packageValue()).isEqualTo("wharf-greeting");
      assertThat(d.dependencyType()).isEqualTo("Requires-Dist");
      assertThat(d.versionRequirement()).isEqualTo(">=1.0");
    });
  }

  @Test
  @Order(11)
  void aYankedVersionIsSkippedByPipUnlessPinned() {
    Path dists = dists("wharf-yanky", "1.0", "wharf_yanky");
    assertThat(twine(dists, "wharf_yanky-1.0-py3-none-any.whl").exitCode()).isZero();
    dists = dists("wharf-yanky", "1.1", "wharf_yanky");
    assertThat(twine(dists, "wharf_yanky-1.1-py3-none-any.whl").exitCode()).isZero();
    String token = basic();
    token = new String(java.util.Base64.getDecoder().decode(token.substring("Basic ".length())));
    TestingProcesses.Result yank = ok(scratch, "curl", "-sS", "--fail-with-body", "-u", token, "-F", ":action=yank",
        "-F", "name=Wharf_Yanky", "-F", "version=1.1.0", "-F", "yanked_reason=broken <build>", endpoint());
    assertThat(yank.stdout()).contains("OK: yanked");
    HttpResponse<String> json = get(endpoint() + "simple/wharf-yanky/", basic(), "application/vnd.pypi.simple.v1+json");
    assertThat(json.body()).contains("\"yanked\":\"broken <build>\"", "\"yanked\":false");
    assertThat(get(endpoint() + "simple/wharf-yanky/", basic(), "text/html").body())
        .contains("data-yanked=\"broken &lt;build&gt;\">wharf_yanky-1.1-py3-none-any.whl");

    Path venv = venv();
    TestingProcesses.Result latest = pip(venv, "install", "wharf-yanky");
    assertThat(latest.exitCode()).as(latest.describe()).isZero();
    assertThat(latest.stdout()).contains("Successfully installed wharf-yanky-1.0");
    TestingProcesses.Result pinned = pip(venv(), "install", "wharf-yanky==1.1");
    assertThat(pinned.exitCode()).as(pinned.describe()).isZero();
    assertThat(pinned.stdout()).contains("Successfully installed wharf-yanky-1.1");
    assertThat(pinned.stdout() + pinned.stderr()).contains("yanked", "broken <build>");

    TestingProcesses.Result unyank = ok(scratch, "curl", "-sS", "--fail-with-body", "-u", token, "-F", ":action=unyank",
        "-F", "name=wharf-yanky", "-F", "version=1.1", endpoint());
    assertThat(unyank.stdout()).contains("OK: no longer yanked");
    TestingProcesses.Result again = pip(venv(), "install", "wharf-yanky");
    assertThat(again.stdout()).as(again.describe()).contains("Successfully installed wharf-yanky-1.1");

    TestingProcesses.Result missing = run(scratch, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", token,
        "-F", ":action=yank", "-F", "name=wharf-yanky", "-F", "version=9.9", endpoint());
    assertThat(missing.stdout()).isEqualTo("404");
  }

  @Test
  @Order(12)
  void localAndPreReleaseVersionsInstallThoughPipEscapesThePlusInTheirFileNames() {
    // pip percent-encodes '+' in the links it follows (Zope_Thing-1.0%2Bcpu-…whl, and its .metadata).
    Path dists = dists("Wharf.Local", "1.0+cpu.1", "wharf_local");
    TestingProcesses.Result upload = twine(dists, "Wharf_Local-1.0+cpu.1-py3-none-any.whl",
        "Wharf_Local-1.0+cpu.1.tar.gz");
    assertThat(upload.exitCode()).as(upload.describe()).isZero();
    Path pre = dists("Wharf.Local", "1.1rc1", "wharf_local");
    assertThat(twine(pre, "Wharf_Local-1.1rc1-py3-none-any.whl").exitCode()).isZero();

    TestingProcesses.Result versions = pip(venv(), "index", "versions", "--pre", "wharf.local");
    assertThat(versions.stdout()).as(versions.describe()).contains("Available versions: 1.1rc1, 1.0+cpu.1");
    Path venv = venv();
    TestingProcesses.Result local = pip(venv, "install", "wharf-local==1.0+cpu.1");
    assertThat(local.exitCode()).as(local.describe()).isZero();
    assertThat(local.stdout()).containsPattern("Successfully installed (?i:wharf[-.]local)-1\\.0\\+cpu\\.1");
    TestingProcesses.Result stable = pip(venv(), "install", "wharf-local");
    assertThat(stable.stdout()).as(stable.describe())
        .containsPattern("Successfully installed (?i:wharf[-.]local)-1\\.0\\+cpu\\.1");
    TestingProcesses.Result preRelease = pip(venv(), "install", "--pre", "wharf-local");
    assertThat(preRelease.stdout()).as(preRelease.describe())
        .containsPattern("Successfully installed (?i:wharf[-.]local)-1\\.1rc1");
    // The sdist by either spelling (pip then builds it, which needs setuptools from an index); a broken escape is a 400.
    String sdist = endpoint() + "simple/wharf-local/Wharf_Local-1.0";
    assertThat(get(sdist + "%2Bcpu.1.tar.gz", basic(), null).statusCode()).isEqualTo(200);
    assertThat(get(sdist + "+cpu.1.tar.gz", basic(), null).statusCode()).isEqualTo(200);
    String user = new String(java.util.Base64.getDecoder().decode(basic().substring("Basic ".length())));
    TestingProcesses.Result broken = run(scratch, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", user,
        sdist + "%2xcpu.1.tar.gz");
    assertThat(broken.stdout()).isEqualTo("400");
  }
}
