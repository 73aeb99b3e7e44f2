package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.getRepository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * {@code wharf exec}: the command it starts (no shell) finds a fresh token in its environment, its exit code is
 * wharf's, and wharf itself prints no token; the real npm publishes and installs with an .npmrc that reads
 * {@code ${CODEARTIFACT_AUTH_TOKEN}}, as the environment-variable flow documents.
 */
class ExecCommandIT {
  /** Writes the variables it is given, one per line, to the file named first; exits with the code named second. */
  private static final String PRINT_VARIABLES = """
      import os, sys
      with open(sys.argv[1], 'w') as out:
          for name in sys.argv[3:]:
              out.write(os.environ.get(name, '(unset)') + '\\n')
      sys.exit(int(sys.argv[2]))
      """;

  @TempDir static Path data;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String npmEndpoint;

  @TempDir Path scratch;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    root = wharf.rootCredentials();
    npmEndpoint = LoginTestingCli.newRepository(wharf, root, "acme", "shared", "npm");
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  /**
   * wharf, whose exec gives the command no stdin and sends its output to files of the test (the test runner's own
   * stdout is its channel to Maven, which a command's output would corrupt).
   */
  private picocli.CommandLine wharfCommand() {
    ProcessBuilder.Redirect output = ProcessBuilder.Redirect.appendTo(scratch.resolve("command.out").toFile());
    ProcessBuilder.Redirect error = ProcessBuilder.Redirect.appendTo(scratch.resolve("command.err").toFile());
    picocli.CommandLine.IFactory defaults = picocli.CommandLine.defaultFactory();
    return WharfCommand.commandLine(new picocli.CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == ExecCommand.class
            ? type.cast(new ExecCommand(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")), output, error))
            : defaults.create(type);
      }
    });
  }

  private LoginTestingCli.Result run(AwsBasicCredentials credentials, String... args) {
    return LoginTestingCli.run(wharfCommand(), credentials, args);
  }

  /** wharf exec with these options, then the server's --endpoint-url, then the command. */
  private static String[] exec(String... optionsThenCommand) {
    List<String> all = new ArrayList<>(List.of("exec", "--endpoint-url", wharf.endpoint().toString()));
    all.addAll(List.of(optionsThenCommand));
    return all.toArray(String[]::new);
  }

  @Test
  void theCommandGetsAWorkingTokenUnderBothNamesAndItsExitCodeIsWharfs() throws Exception {
    Path written = scratch.resolve("variables");
    List<String> arguments = new ArrayList<>(List.of(exec("--domain", "acme", "--repository", "shared",
        "--format", "npm", "--duration-seconds", "900")));
    arguments.addAll(List.of("--", "python3", "-c", PRINT_VARIABLES, written.toString(), "7",
        "CODEARTIFACT_AUTH_TOKEN", "CODEARTIFACT_TOKEN", "CODEARTIFACT_REPOSITORY_ENDPOINT", "UV_INDEX_CODEARTIFACT_USERNAME",
        "UV_INDEX_CODEARTIFACT_PASSWORD", "POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME", "POETRY_HTTP_BASIC_CODEARTIFACT_PASSWORD"));

    var result = run(root, arguments.toArray(String[]::new));

    assertThat(result.exitCode()).as(result.err()).isEqualTo(7);
    List<String> values = Files.readAllLines(written);
    String token = values.get(0);
    assertThat(values).containsExactly(token, token, npmEndpoint, "aws", token, "aws", token);
    assertThat(getRepository(npmEndpoint, token).status()).isEqualTo(200);
    assertThat(result.out() + result.err()).doesNotContain(token);
  }

  @Test
  void argumentsReachTheCommandAsTheyAreWithoutAShell() throws Exception {
    Path written = scratch.resolve("arguments");
    // no -- needed: the command's own options (--version here) are not wharf's
    var result = run(root, exec("--domain", "acme", "python3", "-c",
        "import sys; open(sys.argv[1], 'w').write('|'.join(sys.argv[2:]))", written.toString(),
        "$CODEARTIFACT_AUTH_TOKEN", "a b", "*", "x;y", "--version"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Files.readString(written)).isEqualTo("$CODEARTIFACT_AUTH_TOKEN|a b|*|x;y|--version");
  }

  @Test
  void aCommandThatCannotBeStartedExits127AndARefusedTokenRunsNothing() {
    var missing = run(root, exec("--domain", "acme", "--", "no-such-command-wharf"));
    assertThat(missing.exitCode()).isEqualTo(127);
    assertThat(missing.err()).startsWith("wharf: cannot run no-such-command-wharf");

    Path marker = scratch.resolve("ran");
    var refused = run(root, exec("--domain", "no-such-domain", "--", "touch", marker.toString()));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).startsWith("wharf: ResourceNotFoundException: ");
    assertThat(marker).doesNotExist();

    assertThat(run(root, exec("--domain", "acme")).exitCode()).isEqualTo(2);
    assertThat(run(root, exec("--domain", "acme", "--repository", "shared", "--", "true")).exitCode())
        .isEqualTo(2);
  }

  @Test
  void npmPublishesAndInstallsWithAnNpmrcThatReadsTheTokenFromTheEnvironment() throws Exception {
    TestingClients.requireCommand("npm", "--version");
    Path home = Files.createDirectories(scratch.resolve("home"));
    String authority = npmEndpoint.replaceFirst("^https?:", "");
    TestingFiles.write(home.resolve(".npmrc"), "registry=" + npmEndpoint + "\n" + authority
        + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n");
    Path source = Files.createDirectories(scratch.resolve("greeting"));
    TestingFiles.write(source.resolve("package.json"),
        "{\"name\":\"exec-greeting\",\"version\":\"1.0.0\",\"main\":\"index.js\"}\n");
    TestingFiles.write(source.resolve("index.js"), "module.exports = 'hello through wharf exec';\n");

    assertThat(npmThroughExec(home, "publish", source.toString())).isZero();
    Path consumer = TestingNpm.project(Files.createDirectories(scratch.resolve("consumer")), "exec-greeting", "^1.0.0");
    assertThat(npmThroughExec(home, "install", "--prefix", consumer.toString())).isZero();

    assertThat(TestingNpm.require(consumer, "exec-greeting")).isEqualTo("hello through wharf exec");
    assertThat(Files.readString(home.resolve(".npmrc"))).contains("${CODEARTIFACT_AUTH_TOKEN}");
    // without wharf exec, the same npm has no token
    assertThat(TestingNpm.npm().run(home, consumer, "view", "exec-greeting").exitCode()).isNotZero();
  }

  /**
   * {@code wharf exec -- env NAME=VALUE... npm ARGUMENTS}: wharf's process runs the tests, so env
   * gives npm its own HOME and configuration (the token still comes from wharf exec).
   */
  private int npmThroughExec(Path home, String... npmArguments) {
    List<String> arguments = new ArrayList<>(List.of(exec("--domain", "acme")));
    arguments.addAll(List.of("--", "env"));
    for (Map.Entry<String, String> variable : TestingNpm.npm().environment(home).entrySet()) {
      arguments.add(variable.getKey() + "=" + variable.getValue());
    }
    arguments.add("npm");
    arguments.addAll(List.of(npmArguments));
    var result = run(root, arguments.toArray(String[]::new));
    assertThat(result.err()).doesNotContain("wharf:");
    assertThat(result.exitCode()).as(TestingFiles.read(scratch.resolve("command.err"))).isZero();
    return result.exitCode();
  }
}
