package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.against;
import static dev.wharf.cli.LoginTestingCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingPoetry;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * {@code wharf login --tool pip|poetry --keyring} with the real pip (23.2, keyring-provider = subprocess) and the
 * real poetry (Debian's 1.3), and the keyring backend of clients/python/wharf-keyring installed from this
 * checkout, with keyring from the machine's local package index (PyPI is not reachable). No file holds a token:
 * the backend runs wharf for one, caches it, and gets a new one once the cached one is revoked. The tools run
 * with their own HOME, Wharf their only index, and AWS credentials in the environment (for the wharf the backend
 * runs).
 */
class KeyringLoginIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  /** Where keyring and setuptools (to build the backend) come from; a PEP 503 index on this machine. */
  private static final String LOCAL_INDEX = System.getenv().getOrDefault("WHARF_TEST_PYPI_INDEX", "file:///opt/pypi/simple");
  private static final Path BACKEND_SOURCE = Path.of("clients/python/wharf-keyring");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String endpoint;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("python3", "-m", "pip", "--version");
    if (!LOCAL_INDEX.startsWith("file:") || !Files.isDirectory(Path.of(URI.create(LOCAL_INDEX)).resolve("keyring"))) {
      TestingClients.missing("keyring in a local package index (" + LOCAL_INDEX + ", or WHARF_TEST_PYPI_INDEX)");
    }
    wharf = TestingServer.start(scratch.resolve("data"));
    root = wharf.rootCredentials();
    endpoint = LoginTestingCli.newRepository(wharf, root, "acme", "py", "pypi");
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void pipInstallsWithATokenFromTheBackendAndTheBackendGetsANewOneOnceTheCachedOneIsRevoked() throws Exception {
    publishWithTwine("wharf-keyring-greeting", "wharf_keyring_greeting");
    publishWithTwine("wharf-keyring-farewell", "wharf_keyring_farewell");
    Path home = TestingFiles.directory(scratch, "pip-home");

    var login = run(root, against(wharf, "login", "--tool", "pip", "--keyring", "--domain", "acme", "--repository", "py",
        "--home", home.toString()));

    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(login.out()).contains("pipx install keyring && pipx inject keyring ")
        .contains("get-authorization-token --domain acme --endpoint-url " + wharf.endpoint() + " --output json")
        .doesNotContain("Login expires");
    Path pipConf = home.resolve(".config/pip/pip.conf");
    String userIndex = endpoint.replaceFirst("^http://", "http://aws@") + "simple/";
    assertThat(Files.readString(pipConf)).contains("index-url = " + userIndex + "\n")
        .contains("keyring-provider = subprocess\n").doesNotContain("aws:");
    Path keyringConfig = home.resolve(".config/wharf/keyring.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyringConfig))).isEqualTo("rw-------");
    assertThat(JSON.readTree(keyringConfig.toFile()).at("/endpoints/0/url").asText()).isEqualTo(endpoint);

    Path tools = venv("keyring-tools");
    ok(scratch, installEnvironment(home), TestingPip.pip(tools, "install", "--index-url", LOCAL_INDEX, "keyring",
        backendCopy().toString()));
    Map<String, String> environment = toolEnvironment(home, tools);
    environment.put("PIP_CONFIG_FILE", pipConf.toString());
    environment.put("PIP_NO_CACHE_DIR", "1");
    Path application = venv("pip-application");

    var install = ok(scratch, environment, TestingPip.pip(application, "install", "wharf-keyring-greeting==1.0"));

    assertThat(install.stdout()).contains("Looking in indexes: http://****@" + userIndex.substring("http://aws@".length()))
        .contains("Successfully installed wharf-keyring-greeting-1.0");
    assertThat(imported(application, "wharf_keyring_greeting")).isEqualTo("hello from wharf-keyring-greeting 1.0\n");
    Path cached = cachedTokenFile(home);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached))).isEqualTo("rw-------");
    String first = JSON.readTree(cached.toFile()).get("authorizationToken").asText();
    var answer = LoginTestingCli.getRepository(endpoint, first);
    assertThat(answer.status()).isEqualTo(200);

    var revoke = run(root, against(wharf, "token", "revoke", answer.body().get("tokenId").asText()));
    assertThat(revoke.exitCode()).as(revoke.err()).isZero();
    assertThat(LoginTestingCli.getRepository(endpoint, first).status()).isEqualTo(401);

    var afterRevocation = ok(scratch, environment, TestingPip.pip(application, "install", "wharf-keyring-farewell==1.0"));

    assertThat(afterRevocation.stdout()).contains("Successfully installed wharf-keyring-farewell-1.0");
    assertThat(imported(application, "wharf_keyring_farewell")).isEqualTo("hello from wharf-keyring-farewell 1.0\n");
    String second = JSON.readTree(cachedTokenFile(home).toFile()).get("authorizationToken").asText();
    assertThat(second).isNotEqualTo(first);
    assertThat(LoginTestingCli.getRepository(endpoint, second).status()).isEqualTo(200);

    // a cached token within five minutes of its expiry (as the cache records it) is replaced before it is used
    Path cache = cachedTokenFile(home);
    Files.writeString(cache, Files.readString(cache).replaceFirst("\"expiration\": \"[^\"]*\"",
        "\"expiration\": \"" + java.time.Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\""));
    var answered = ok(scratch, environment, List.of(tools.resolve("bin/keyring").toString(), "get", endpoint + "simple/", "aws"));
    String third = JSON.readTree(cachedTokenFile(home).toFile()).get("authorizationToken").asText();
    assertThat(third).isNotIn(first, second);
    assertThat(answered.stdout()).isEqualTo(third + "\n");
  }

  @Test
  void poetryPublishesAndInstallsWithATokenFromTheBackend() throws Exception {
    TestingClients.requireCommand("poetry", "--version");
    Path home = TestingFiles.directory(scratch, "poetry-home");
    Path config = home.resolve(".config/pypoetry");
    TestingFiles.write(config.resolve("config.toml"), "[virtualenvs]\nprefer-active-python = false\n");
    TestingFiles.write(config.resolve("auth.toml"), "[http-basic.codeartifact]\nusername = \"aws\"\npassword = \"old\"\n");

    var login = run(root, against(wharf, "login", "--tool", "poetry", "--keyring", "--domain", "acme", "--repository",
        "py", "--home", home.toString()));

    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(login.out()).contains("PYTHON_KEYRING_BACKEND=wharf_keyring.WharfKeyring")
        .contains("poetry source add --default codeartifact " + endpoint + "simple/");
    assertThat(config.resolve("auth.toml")).doesNotExist();
    assertThat(Files.readString(config.resolve("config.toml"))).contains("url = \"" + endpoint + "\"");

    // into the user site of the python poetry runs on (Debian's), as a user of a system poetry installs a plugin
    List<String> install = new ArrayList<>(List.of(poetryPython(), "-m", "pip", "install", "--user", "--no-deps",
        "--index-url", LOCAL_INDEX, backendCopy().toString()));
    if (TestingProcesses.run(scratch, installEnvironment(home), TIMEOUT, List.of(poetryPython(), "-m", "pip", "install",
        "--help")).stdout().contains("--break-system-packages")) {
      install.add("--break-system-packages");
    }
    ok(scratch, installEnvironment(home), install);
    Map<String, String> environment = toolEnvironment(home, null);
    environment.put("PYTHON_KEYRING_BACKEND", KeyringConfig.BACKEND);
    environment.put("POETRY_VIRTUALENVS_IN_PROJECT", "true");
    environment.put("POETRY_NO_INTERACTION", "1");

    Path library = TestingPoetry.library(scratch, "wharf-keyring-poetry", "1.0.0", "wharf_keyring_poetry",
        "hello through keyring");
    ok(library, environment, List.of("poetry", "build", "--format", "wheel"));
    ok(library, environment, List.of("poetry", "publish", "-r", "codeartifact"));

    Path application = TestingPoetry.application(scratch, "wharf-keyring-application", "wharf-keyring-poetry");
    ok(application, environment, List.of("poetry", "source", "add", "--default", "codeartifact", endpoint + "simple/"));
    ok(application, environment, List.of("poetry", "install", "--no-root"));

    var imported = ok(application, environment, List.of(application.resolve(".venv/bin/python").toString(), "-c",
        "import wharf_keyring_poetry; print(wharf_keyring_poetry.GREETING)"));
    assertThat(imported.stdout()).isEqualTo("hello through keyring\n");
    assertThat(LoginTestingCli.getRepository(endpoint, JSON.readTree(cachedTokenFile(home).toFile())
        .get("authorizationToken").asText()).status()).isEqualTo(200);
    try (Stream<Path> files = Files.walk(home)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".toml")).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain("password");
      }
    }
  }

  private static TestingProcesses.Result ok(Path directory, Map<String, String> environment, List<String> command) {
    TestingProcesses.Result result = TestingProcesses.run(directory, environment, TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /** Uploads a one-module wheel, version 1.0, with twine and a token of its own. */
  private static void publishWithTwine(String name, String module) {
    TestingClients.requireCommand("twine", "--version");
    Path twineHome = TestingFiles.directory(scratch, "twine-home");
    assertThat(run(root, against(wharf, "login", "--tool", "twine", "--domain", "acme", "--repository", "py",
        "--home", twineHome.toString())).exitCode()).isZero();
    Path out = TestingFiles.directory(scratch, "dist");
    ok(out, TestingPip.environment(twineHome), List.of("python3", "-c", TestingPip.MAKE_DISTS, name, "1.0", module,
        out.toString()));
    ok(out, TestingPip.environment(twineHome), List.of("twine", "upload", "--non-interactive", "--disable-progress-bar",
        "--repository", "codeartifact", "--config-file", twineHome.resolve(".pypirc").toString(),
        out.resolve(module + "-1.0-py3-none-any.whl").toString()));
  }

  private static Path venv(String name) {
    Path venv = scratch.resolve(name);
    ok(scratch, TestingPip.environment(scratch), TestingPip.makeVenv(venv));
    return venv;
  }

  /** pip installing from the local index only (no configuration file, so no PyPI and no Wharf). */
  private static Map<String, String> installEnvironment(Path home) {
    Map<String, String> environment = TestingPip.environment(home);
    environment.put("PIP_NO_CACHE_DIR", "1");
    return environment;
  }

  /**
   * The environment of pip or poetry: their HOME, keyring free to pick the backend, the keyring command of tools
   * first on PATH (when given), and credentials for the wharf the backend runs.
   */
  private static Map<String, String> toolEnvironment(Path home, Path tools) {
    Map<String, String> environment = TestingPip.environment(home);
    environment.remove("PYTHON_KEYRING_BACKEND");
    if (tools != null) {
      environment.put("PATH", tools.resolve("bin") + ":" + environment.get("PATH"));
    }
    environment.put("AWS_ACCESS_KEY_ID", root.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", root.secretAccessKey());
    environment.put("AWS_REGION", "us-east-1");
    return environment;
  }

  /** The backend's source, copied so that building it writes nothing into the checkout. */
  private static Path backendCopy() throws IOException {
    Path copy = TestingFiles.directory(scratch, "wharf-keyring");
    try (Stream<Path> files = Files.walk(BACKEND_SOURCE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path relative = BACKEND_SOURCE.relativize(file);
        if (relative.startsWith("build") || relative.toString().contains(".egg-info") || relative.toString().contains("__pycache__")) {
          continue;
        }
        Files.createDirectories(copy.resolve(relative).getParent());
        Files.copy(file, copy.resolve(relative));
      }
    }
    return copy;
  }

  /** The one token the backend has cached under the HOME. */
  private static Path cachedTokenFile(Path home) throws IOException {
    try (Stream<Path> files = Files.list(home.resolve(".cache/wharf/keyring"))) {
      List<Path> tokens = files.filter(file -> file.getFileName().toString().endsWith(".json")).toList();
      assertThat(tokens).hasSize(1);
      return tokens.getFirst();
    }
  }

  private static String imported(Path venv, String module) {
    return ok(scratch, TestingPip.environment(scratch), List.of(venv.resolve("bin/python").toString(), "-c",
        "import " + module + "; print(" + module + ".GREETING)")).stdout();
  }

  /** The interpreter of the poetry on PATH, from its #! line. */
  private static String poetryPython() {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path poetry = Path.of(folder, "poetry");
      if (Files.isRegularFile(poetry) && Files.isExecutable(poetry)) {
        try {
          String first = Files.readAllLines(poetry).getFirst();
          String[] words = first.startsWith("#!") ? first.substring(2).strip().split("\\s+") : new String[0];
          if (words.length > 0) {
            return words[0].endsWith("/env") && words.length > 1 ? words[1] : words[0];
          }
        } catch (IOException | UncheckedIOException e) {
          break;
        }
      }
    }
    TestingClients.missing("a poetry started by a python #! line");
    throw new IllegalStateException("unreachable");
  }
}
