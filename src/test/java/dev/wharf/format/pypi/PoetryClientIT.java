package dev.wharf.format.pypi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingPoetry;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingWharfCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The real poetry (Debian's 1.3) configured by {@code wharf login --tool poetry} alone: {@code poetry publish -r
 * codeartifact} uploads a wheel poetry built, and {@code poetry install} of a project whose only source is the
 * repository resolves and installs it from Wharf. poetry runs with its own HOME (its configuration under
 * ~/.config/pypoetry, as the login wrote it), no keyring, and no PyPI.
 */
class PoetryClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static Path home;
  static String endpoint;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("poetry", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    root = wharf.rootCredentials();
    var client = wharf.codeartifact(root);
    client.createDomain(b -> b.domain("acme"));
    client.createRepository(b -> b.domain("acme").repository("py"));
    endpoint = wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/pypi/py/";
    home = TestingFiles.directory(scratch, "home");
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = TestingPip.environment(home);
    environment.put("POETRY_VIRTUALENVS_IN_PROJECT", "true");
    environment.put("POETRY_NO_INTERACTION", "1");
    return environment;
  }

  private static TestingProcesses.Result poetry(Path project, String... arguments) {
    List<String> command = new java.util.ArrayList<>(List.of("poetry"));
    command.addAll(List.of(arguments));
    TestingProcesses.Result result = TestingProcesses.run(project, environment(), TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  @Test
  void poetryPublishesAWheelItBuiltAndInstallsItFromWharfAlone() throws Exception {
    Path config = home.resolve(".config/pypoetry");
    TestingFiles.write(config.resolve("config.toml"), "[virtualenvs]\nprefer-active-python = false\n");
    assertThat(TestingWharfCommand.execute(root, "login", "--tool", "poetry", "--domain", "acme", "--repository", "py",
        "--home", home.toString(), "--endpoint-url", wharf.endpoint().toString())).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("auth.toml"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(config.resolve("config.toml"))).startsWith("[virtualenvs]\nprefer-active-python = false\n");

    Path library = TestingPoetry.library(scratch, "wharf-poetry-greeting", "1.2.0", "wharf_poetry_greeting",
        "hello from poetry");
    poetry(library, "build", "--format", "wheel");
    poetry(library, "publish", "-r", "codeartifact");

    Path application = TestingPoetry.application(scratch, "wharf-poetry-application", "wharf-poetry-greeting");
    poetry(application, "source", "add", "--default", "codeartifact", endpoint + "simple/");
    poetry(application, "install", "--no-root");

    TestingProcesses.Result imported = TestingProcesses.run(application, environment(), TIMEOUT,
        List.of(application.resolve(".venv/bin/python").toString(), "-c",
            "import wharf_poetry_greeting; print(wharf_poetry_greeting.GREETING)"));
    assertThat(imported.exitCode()).as(imported.describe()).isZero();
    assertThat(imported.stdout()).isEqualTo("hello from poetry\n");
    assertThat(Files.readString(application.resolve("poetry.lock"))).contains("name = \"wharf-poetry-greeting\"")
        .contains("url = \"" + endpoint + "simple\"");
  }
}
