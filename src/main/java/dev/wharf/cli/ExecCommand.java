package dev.wharf.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * {@code wharf exec}: runs a command with a fresh token in its environment, the environment-variable flow
 * without a shell snippet. The command is started directly (no shell), with this process's stdin, stdout
 * and stderr, and its exit code is wharf's.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a command with a fresh authorization token in its environment:",
        "CODEARTIFACT_AUTH_TOKEN and CODEARTIFACT_TOKEN; uv's",
        "UV_INDEX_CODEARTIFACT_USERNAME and _PASSWORD; poetry's",
        "POETRY_HTTP_BASIC_CODEARTIFACT_USERNAME and _PASSWORD",
        "(used when its auth.toml has none); with --repository and --format,",
        "CODEARTIFACT_REPOSITORY_ENDPOINT. For the tools whose configuration reads the",
        "token from there: Maven's $${env.CODEARTIFACT_AUTH_TOKEN}, Gradle's",
        "System.getenv, npm's .npmrc $${CODEARTIFACT_AUTH_TOKEN}, uv after",
        "'wharf login --tool uv'.",
        "",
        "  wharf exec --domain acme -- mvn deploy",
        "",
        "The command runs without a shell, with wharf's stdin, stdout and stderr; wharf",
        "exits with its exit code (127 when it cannot be started, 1 when no token is",
        "given). Everything from the first word that is not one of these options is the",
        "command's, so -- is optional. The token is not printed.",
        "Credentials: the standard AWS chain (env, ~/.aws, --profile)."})
final class ExecCommand implements Callable<Integer> {
  /** The names the token is given: the aws CLI documentation's, and the seed's. */
  static final List<String> TOKEN_VARIABLES = List.of("CODEARTIFACT_AUTH_TOKEN", "CODEARTIFACT_TOKEN");
  static final String ENDPOINT_VARIABLE = "CODEARTIFACT_REPOSITORY_ENDPOINT";
  /** poetry reads http-basic.codeartifact.username and .password from these when its auth.toml has no entry. */
  static final String POETRY_CREDENTIALS = "POETRY_HTTP_BASIC_CODEARTIFACT_";

  @Mixin DomainOptions domainOptions;

  @Option(names = "--repository", description = "With --format: also set " + ENDPOINT_VARIABLE + " to its endpoint.")
  String repository;

  @Option(names = "--format", description = "The repository endpoint's format: npm, pypi, maven, cargo, ruby, nuget...")
  String format;

  @Mixin DomainOptions.TokenLifetime lifetime;

  @Mixin ApiClientOptions api;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
  List<String> command;

  /** Where the command's stdin, stdout and stderr go: wharf's own, except in tests (whose runner owns them). */
  private final ProcessBuilder.Redirect input;
  private final ProcessBuilder.Redirect output;
  private final ProcessBuilder.Redirect error;

  ExecCommand() {
    this(ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT);
  }

  ExecCommand(ProcessBuilder.Redirect input, ProcessBuilder.Redirect output, ProcessBuilder.Redirect error) {
    this.input = Objects.requireNonNull(input, "input");
    this.output = Objects.requireNonNull(output, "output");
    this.error = Objects.requireNonNull(error, "error");
  }

  @Override
  public Integer call() {
    if ((repository == null) != (format == null)) {
      System.err.println("wharf: --repository and --format go together");
      return 2;
    }
    String token;
    String endpoint = null;
    try (CodeartifactClient client = api.codeArtifact()) {
      token = domainOptions.authorizationToken(client, lifetime.durationSeconds).authorizationToken();
      if (repository != null) {
        endpoint = LoginUrls.withoutDefaultPort(domainOptions.repositoryEndpoint(client, repository, format));
      }
    } catch (SdkException e) {
      return SdkErrors.report(e, System.err);
    }
    ProcessBuilder builder = new ProcessBuilder(executable(command, System.getenv(), isWindows()))
        .redirectInput(input).redirectOutput(output).redirectError(error);
    TOKEN_VARIABLES.forEach(name -> builder.environment().put(name, token));
    // uv's and poetry's credentials for the index or source named as wharf login --tool uv|poetry names it
    builder.environment().put(UvConfig.credentialVariable(UvConfig.INDEX, "USERNAME"), "aws");
    builder.environment().put(UvConfig.credentialVariable(UvConfig.INDEX, "PASSWORD"), token);
    builder.environment().put(POETRY_CREDENTIALS + "USERNAME", "aws");
    builder.environment().put(POETRY_CREDENTIALS + "PASSWORD", token);
    if (endpoint != null) {
      builder.environment().put(ENDPOINT_VARIABLE, endpoint);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      System.err.println("wharf: cannot run " + command.getFirst() + ": " + e.getMessage());
      return 127;
    }
    // wharf stopped (SIGTERM, or Ctrl-C, which the command receives as well) stops the command too
    Thread stopCommand = new Thread(process::destroy);
    Runtime.getRuntime().addShutdownHook(stopCommand);
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      return 130;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopCommand);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs already
      }
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /**
   * The command as ProcessBuilder must be given it. On Windows, CreateProcess adds only .exe to a bare name, so
   * npm (npm.cmd) and gradle (gradle.bat) are looked up on PATH with each PATHEXT extension first, as cmd.exe does;
   * a .cmd or .bat file is then run through cmd.exe /c, the only way Windows runs one.
   */
  static List<String> executable(List<String> command, Map<String, String> environment, boolean windows) {
    if (!windows) {
      return command;
    }
    String name = command.getFirst();
    Path found = name.contains("\\") || name.contains("/") || name.contains(".") ? null
        : onPath(name, environment.getOrDefault("PATH", environment.getOrDefault("Path", "")),
            environment.getOrDefault("PATHEXT", ".COM;.EXE;.BAT;.CMD"));
    if (found == null) {
      return command;
    }
    List<String> resolved = new ArrayList<>();
    String lower = found.getFileName().toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".cmd") || lower.endsWith(".bat")) {
      resolved.addAll(List.of("cmd.exe", "/c"));
    }
    resolved.add(found.toString());
    resolved.addAll(command.subList(1, command.size()));
    return resolved;
  }

  private static Path onPath(String name, String path, String extensions) {
    for (String folder : path.split(";")) {
      if (folder.isBlank()) {
        continue;
      }
      for (String extension : extensions.split(";")) {
        Path candidate = Path.of(folder).resolve(name + extension.toLowerCase(Locale.ROOT));
        if (!extension.isBlank() && Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }
}
