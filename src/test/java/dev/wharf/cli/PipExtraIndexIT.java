package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.against;
import static dev.wharf.cli.LoginTestingCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * {@code wharf login --tool pip --extra-index} read by the real pip: the user's pip.conf keeps its index-url (a
 * local file index here) and its other settings, and pip finds a package only Wharf has through the extra index
 * and a package only the local index has through index-url. pip runs with its own HOME and PIP_CONFIG_FILE at the
 * written file, without this machine's PIP_* variables or its user pip.conf.
 */
class PipExtraIndexIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static Path home;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("twine", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    root = wharf.rootCredentials();
    LoginTestingCli.newRepository(wharf, root, "acme", "py", "pypi");
    home = TestingFiles.directory(scratch, "home");
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static TestingProcesses.Result ok(Path directory, Map<String, String> environment, List<String> command) {
    TestingProcesses.Result result = TestingProcesses.run(directory, environment, TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /** A wheel of a one-module project, in a new directory. */
  private static Path wheel(String name, String module) {
    Path out = TestingFiles.directory(scratch, "dist");
    ok(out, TestingPip.environment(home), List.of("python3", "-c", TestingPip.MAKE_DISTS, name, "1.0", module, out.toString()));
    return out.resolve(name.replace('-', '_') + "-1.0-py3-none-any.whl");
  }

  @Test
  void pipFindsAPackageOnlyWharfHasAndKeepsItsOwnIndex() throws Exception {
    // only in Wharf: uploaded with twine, logged in by wharf login --tool twine
    Path twineHome = TestingFiles.directory(scratch, "twine-home");
    assertThat(run(root, against(wharf, "login", "--tool", "twine", "--domain", "acme", "--repository", "py",
        "--home", twineHome.toString())).exitCode()).isZero();
    Path wharfOnly = wheel("wharf-extra-only", "wharf_extra_only");
    ok(wharfOnly.getParent(), TestingPip.environment(twineHome), List.of("twine", "upload", "--non-interactive",
        "--disable-progress-bar", "--repository", "codeartifact", "--config-file",
        twineHome.resolve(".pypirc").toString(), wharfOnly.toString()));
    // only in the user's own index: a local PEP 503 folder
    Path localOnly = wheel("local-only", "local_only");
    Path project = Files.createDirectories(scratch.resolve("local-index/simple/local-only"));
    Files.copy(localOnly, project.resolve(localOnly.getFileName()));
    Files.writeString(project.resolve("index.html"), "<a href=\"" + localOnly.getFileName() + "\">"
        + localOnly.getFileName() + "</a>\n");
    String localIndex = project.getParent().toUri().toString();
    Path pipConf = home.resolve(".config/pip/pip.conf");
    String before = "# mine\n[global]\nindex-url = " + localIndex + "\ntimeout = 7\n\n[download]\nno-deps = true\n";
    TestingFiles.write(pipConf, before);

    var loginIntoHome = run(root, against(wharf, "login", "--tool", "pip", "--extra-index", "--domain", "acme",
        "--repository", "py", "--home", home.toString()));

    assertThat(loginIntoHome.exitCode()).as(loginIntoHome.err()).isZero();
    assertThat(loginIntoHome.out()).contains("Risk (dependency confusion)").contains("pip still searches " + localIndex);
    String written = Files.readString(pipConf);
    assertThat(written).startsWith("# mine\n[global]\nindex-url = " + localIndex + "\ntimeout = 7\nextra-index-url = http://aws:")
        .endsWith("\n\n[download]\nno-deps = true\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pipConf))).isEqualTo("rw-------");

    Map<String, String> environment = TestingPip.environment(home);
    environment.put("PIP_CONFIG_FILE", pipConf.toString());
    environment.put("PIP_NO_CACHE_DIR", "1");
    Path into = TestingFiles.directory(scratch, "downloads");
    List<String> download = new ArrayList<>(List.of("python3", "-m", "pip", "download", "-d", into.toString(),
        "wharf-extra-only==1.0", "local-only==1.0"));
    var result = ok(into, environment, download);

    assertThat(into.resolve("wharf_extra_only-1.0-py3-none-any.whl")).exists();
    assertThat(into.resolve("local_only-1.0-py3-none-any.whl")).exists();
    assertThat(result.stdout()).contains("Looking in indexes: " + localIndex + ", http://aws:****@");
  }
}
