package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real npm client in isolation: a HOME of its own whose {@code .npmrc} is the userconfig, an
 * empty global config and its own cache, so the machine's npm configuration never applies and the
 * registries a test writes into that {@code .npmrc} are npm's only sources.
 *
 * <p>By default npm neither checks for updates, asks for funding, audits nor retries a failed
 * fetch; {@link #config} and {@link #withoutConfig} change one setting, {@link #inherit} passes
 * variables of this process through (proxies, CA bundles).
 */
public final class TestingNpm {
  public static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Map<String, String> DEFAULTS = Map.of("update_notifier", "false", "fund", "false",
      "audit", "false", "fetch_retries", "0");

  private final Map<String, String> config;
  private final List<String> inherited;
  private final Duration timeout;
  private final String executable;

  private TestingNpm(Map<String, String> config, List<String> inherited, Duration timeout, String executable) {
    this.config = config;
    this.inherited = inherited;
    this.timeout = timeout;
    this.executable = executable;
  }

  /** npm with the default settings and a timeout of {@link #TIMEOUT}. */
  public static TestingNpm npm() {
    return new TestingNpm(new LinkedHashMap<>(DEFAULTS), List.of(), TIMEOUT, "npm");
  }

  /** The same npm with {@code npm_config_<name>=value}. */
  public TestingNpm config(String name, String value) {
    Map<String, String> changed = new LinkedHashMap<>(config);
    changed.put(name, value);
    return new TestingNpm(changed, inherited, timeout, executable);
  }

  /** The same npm without a default setting: npm's own default applies. */
  public TestingNpm withoutConfig(String name) {
    Map<String, String> changed = new LinkedHashMap<>(config);
    changed.remove(name);
    return new TestingNpm(changed, inherited, timeout, executable);
  }

  /** The same npm, given these variables of this process where they are set. */
  public TestingNpm inherit(List<String> names) {
    List<String> changed = new ArrayList<>(inherited);
    changed.addAll(names);
    return new TestingNpm(config, List.copyOf(changed), timeout, executable);
  }

  public TestingNpm timeout(Duration changed) {
    return new TestingNpm(config, inherited, changed, executable);
  }

  /** The same settings for another npm (e.g. npm 9 of {@link TestingJavaScriptClients}), run by its path. */
  public TestingNpm executable(Path npm) {
    return new TestingNpm(config, inherited, timeout, npm.toString());
  }

  /** npm's environment for this HOME; writes an empty global config there when it has none. */
  public Map<String, String> environment(Path home) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    inherited.forEach(name -> {
      if (System.getenv(name) != null) {
        environment.put(name, System.getenv(name));
      }
    });
    environment.put("HOME", home.toString());
    environment.put("npm_config_userconfig", home.resolve(".npmrc").toString());
    Path global = home.resolve("global-npmrc");
    if (!Files.exists(global)) {
      TestingFiles.write(global, "");
    }
    environment.put("npm_config_globalconfig", global.toString());
    environment.put("npm_config_cache", home.resolve("npm-cache").toString());
    config.forEach((name, value) -> environment.put("npm_config_" + name, value));
    return environment;
  }

  /** {@code npm arguments...} in the directory, with HOME and userconfig at {@code home}. */
  public TestingProcesses.Result run(Path home, Path directory, String... arguments) {
    List<String> command = new ArrayList<>(List.of(executable));
    command.addAll(List.of(arguments));
    return TestingProcesses.run(directory, environment(home), timeout, command);
  }

  /** {@link #run}, failing the test unless npm exits 0. */
  public TestingProcesses.Result runOk(Path home, Path directory, String... arguments) {
    TestingProcesses.Result result = run(home, directory, arguments);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  /**
   * Writes {@code home/.npmrc} pointing npm at one registry with a token, as {@code wharf login
   * --tool npm} would, and an empty global config; returns {@code home}.
   */
  public static Path npmrc(Path home, String registry, String token) {
    TestingFiles.write(home.resolve(".npmrc"), "registry=" + registry + "\n" + registry.replaceFirst("^https?:", "")
        + ":_authToken=" + token + "\n");
    TestingFiles.write(home.resolve("global-npmrc"), "");
    return home;
  }

  /** A project in {@code directory} whose package.json depends on one package at the range; returns it. */
  public static Path project(Path directory, String name, String range) {
    TestingFiles.write(directory.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
        + "\"dependencies\":{\"" + name + "\":\"" + range + "\"}}\n");
    return directory;
  }

  /** What {@code console.log(require(module))} prints in the project (node, in a clean environment). */
  public static String require(Path project, String module) {
    TestingProcesses.Result node = TestingProcesses.run(project, TestingProcesses.cleanEnvironment(null), TIMEOUT,
        List.of("node", "-e", "console.log(require('" + module + "'))"));
    assertThat(node.exitCode()).as(node.describe()).isZero();
    return node.stdout().strip();
  }
}
