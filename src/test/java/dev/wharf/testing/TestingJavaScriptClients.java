package dev.wharf.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JavaScript package managers beside the machine's npm, at pinned versions, installed from the npm
 * registry (by the machine's npm, with its own settings) each into a folder of its own under target/clients,
 * kept between runs. A folder of its own per client: yarn 4's package also has a {@code yarn} bin, which would
 * shadow yarn 1's in a shared folder. Each client's {@link #bin} folder is what a test puts first on PATH.
 * When they cannot be installed (no npm, no registry) the test is skipped, or fails under WHARF_REQUIRE_CLIENTS=1.
 */
public enum TestingJavaScriptClients {
  NPM_9("npm", "npm@9.9.4", "npm"),
  NPM_10("npm", "npm@10.9.9", "npm"),
  PNPM_10("pnpm", "pnpm@10.34.9", "pnpm"),
  YARN_1("yarn", "yarn@1.22.22", "yarn"),
  YARN_4("@yarnpkg/cli-dist", "@yarnpkg/cli-dist@4.18.1", "yarn");

  private final String packageName;
  private final String pinned;
  private final String command;

  TestingJavaScriptClients(String packageName, String pinned, String command) {
    this.packageName = packageName;
    this.pinned = pinned;
    this.command = command;
  }

  /** The version this client is pinned at, e.g. 1.22.22. */
  public String version() {
    return pinned.substring(pinned.lastIndexOf('@') + 1);
  }

  /** The folder it is installed in: target/clients/NAME. */
  public Path folder() {
    return Path.of("target", "clients", name().toLowerCase(Locale.ROOT)).toAbsolutePath();
  }

  /** node_modules/.bin of its folder: put first on PATH, the command runs this client. */
  public Path bin() {
    return folder().resolve("node_modules").resolve(".bin");
  }

  /** The client's executable (a node script with a shebang), run by its path: Java looks commands up on its own PATH. */
  public Path executable() {
    return bin().resolve(command);
  }

  /** PATH with this client's bin folder first, then this process's PATH (the machine's node and npm 11). */
  public String path() {
    return bin() + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
  }

  /** Installs the client unless its pinned version is there; skips or fails the test when that cannot be done. */
  public synchronized TestingJavaScriptClients install() {
    if (installedVersion().equals(version())) {
      return this;
    }
    TestingClients.requireCommand("npm", "--version");
    Path folder = folder();
    TestingFiles.write(folder.resolve("package.json"), "{\"name\":\"wharf-test-client\",\"private\":true}\n");
    // the machine's npm as the machine has it: its registry, proxy and CA settings (NODE_EXTRA_CA_CERTS)
    Map<String, String> environment = new HashMap<>(System.getenv());
    List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
        "--prefix", folder.toString(), pinned));
    TestingProcesses.Result installed = TestingProcesses.run(folder, environment, Duration.ofMinutes(3), command);
    if (installed.exitCode() != 0 || !installedVersion().equals(version())) {
      TestingClients.missing(pinned + " (npm install failed: " + installed.describe() + ")");
    }
    return this;
  }

  private String installedVersion() {
    Path manifest = folder().resolve("node_modules").resolve(packageName).resolve("package.json");
    try {
      if (!Files.isRegularFile(manifest) || !Files.isExecutable(executable())) {
        return "";
      }
      var version = new ObjectMapper().readTree(manifest.toFile()).path("version");
      return version.asText();
    } catch (IOException e) {
      return "";
    }
  }
}
