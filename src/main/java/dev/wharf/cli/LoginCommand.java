package dev.wharf.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.GetAuthorizationTokenResponse;

/** {@code wharf login}: what {@code aws codeartifact login} does, for more tools, writing the files itself. */
@Command(name = "login", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Point a package tool at a Wharf repository with a fresh authorization token.",
        "The effect of 'aws codeartifact login', for more tools; Wharf writes the file",
        "itself (mode 0600; other settings are kept, the lines it owns are replaced):",
        "",
        "  npm, pnpm, yarn  ~/.npmrc: registry (or @ns:registry with --namespace) and",
        "                   //host/path/:_authToken; //host/path/:always-auth=true too",
        "                   for yarn 1, and for npm and pnpm when the npm on PATH is",
        "                   older than 9 (npm 9+ does not know that key)",
        "  yarn 2+          when 'yarn --version' (run in the current folder) says 2 or",
        "                   more: ~/.yarnrc.yml: npmRegistryServer, npmAuthToken,",
        "                   npmAlwaysAuth (under npmScopes.NS with --namespace), and the",
        "                   host in unsafeHttpWhitelist for an http endpoint",
        "  pip              ~/.config/pip/pip.conf: global.index-url with aws:TOKEN@;",
        "                   with --extra-index, an entry of global.extra-index-url",
        "                   instead (index-url stays: see the risk it prints); with",
        "                   --keyring, the index with user aws only and",
        "                   keyring-provider = subprocess",
        "  twine            ~/.pypirc: index server 'codeartifact' (user aws, the token)",
        "  poetry           ~/.config/pypoetry ($POETRY_CONFIG_DIR): auth.toml",
        "                   http-basic.codeartifact (aws, the token); config.toml",
        "                   repositories.codeartifact (for poetry publish -r); prints",
        "                   the 'poetry source add' line; with --keyring, no token:",
        "                   no auth.toml entry",
        "  pip, poetry      --keyring: ~/.config/wharf/keyring.json lists the endpoint",
        "                   and the wharf command that prints a new token, which the",
        "                   keyring backend clients/python/wharf-keyring runs; the",
        "                   login does not expire",
        "  uv               ~/.config/uv/uv.toml: [[index]] 'codeartifact', the default",
        "                   index (no token: prints the UV_INDEX_CODEARTIFACT_ lines)",
        "  maven            ~/.m2/settings.xml: server 'codeartifact', password",
        "                   $${env.CODEARTIFACT_AUTH_TOKEN}; prints the export line",
        "  gradle           ~/.gradle/gradle.properties: codeartifactUrl; prints the",
        "                   export line and a repository block (Groovy, Kotlin DSL)",
        "  cargo            ~/.cargo/config.toml ($CARGO_HOME): registry 'codeartifact'",
        "                   (sparse index; credential-provider runs 'wharf",
        "                   get-authorization-token', so no token is written and it",
        "                   renews itself), the default registry, replacing crates.io",
        "  gem              ~/.gem/credentials: 'Bearer TOKEN' under the endpoint, the",
        "                   key 'gem push --host ENDPOINT' takes; ~/.gemrc: the endpoint",
        "                   with aws:TOKEN@ first in :sources:, for 'gem install'",
        "  bundler          ~/.bundle/config: BUNDLE_<HOST> (aws:TOKEN), the credential",
        "                   bundler sends to the endpoint's host; prints the Gemfile's",
        "                   source line",
        "  nuget, dotnet    ~/.nuget/NuGet/NuGet.Config: package source DOMAIN/REPO",
        "                   (ENDPOINT/v3/index.json) with user aws and the token as",
        "                   its ClearTextPassword",
        "",
        "--scope project writes in the current folder instead: .npmrc, .yarnrc.yml, pip.conf,",
        ".pypirc, poetry.toml, uv.toml, .mvn/settings.xml, gradle.properties, .cargo/config.toml,",
        ".bundle/config, nuget.config, .swiftpm/configuration/registries.json (gem has no",
        "project file). The token is printed only by --dry-run and in the export line for",
        "maven and gradle. A login with a token in a file lasts as long as the token: run",
        "wharf login again when it expires, or see --refresh.",
        "Credentials: the standard AWS chain (env, ~/.aws, --profile)."})
final class LoginCommand implements Callable<Integer> {
  @Mixin LoginOptions.Tool toolOption;

  @Mixin DomainOptions domainOptions;

  @Option(names = "--repository", required = true, description = "The repository.")
  String repository;

  @Mixin DomainOptions.TokenLifetime lifetime;

  @Option(names = "--namespace", description = "npm, pnpm, yarn: use the repository for this scope only (@ns:registry); swift: for this"
      + " package scope only.")
  String namespace;

  @Option(names = "--scope", defaultValue = "user", paramLabel = "user|project",
      description = "Write the user's file (default) or the project's, in the current folder.")
  LoginSetup.Scope scope;

  @Option(names = "--extra-index", description = {"pip: add the repository to extra-index-url and keep index-url.",
      "pip then installs a package from whichever index has the highest version (dependency confusion)."})
  boolean extraIndex;

  @Option(names = "--keyring", description = {"pip, poetry: write no token; they ask keyring, and the backend",
      "wharf-keyring (clients/python/wharf-keyring) gets a new token when needed."})
  boolean keyring;

  @Option(names = "--refresh", description = {"Also print how to keep the token fresh: wrap the tool in wharf exec, or",
      "schedule this login (cron, systemd timer, Task Scheduler lines). Nothing is installed."})
  boolean refresh;

  @Option(names = "--dry-run", description = "Print the files that would be written, token included, and change nothing.")
  boolean dryRun;

  @Mixin LoginOptions.Home home;

  @Mixin ApiClientOptions api;

  @Override
  public Integer call() throws Exception {
    LoginTool tool = toolOption.tool;
    if (namespace != null && !tool.namespaceSupported()) {
      System.err.println("wharf: Argument --namespace is not supported for " + tool);
      return 2;
    }
    if (scope == LoginSetup.Scope.project && !tool.projectScopeSupported()) {
      System.err.println("wharf: --scope project is not supported for " + tool
          + ": RubyGems reads its credentials and its gemrc from the user's folders only");
      return 2;
    }
    if (extraIndex && tool != LoginTool.PIP) {
      System.err.println("wharf: --extra-index is for pip only");
      return 2;
    }
    if (keyring && tool != LoginTool.PIP && tool != LoginTool.POETRY) {
      System.err.println("wharf: --keyring is for pip and poetry only");
      return 2;
    }
    if (namespace != null) {
      try {
        if (tool == LoginTool.SWIFT) {
          SwiftConfig.scope(namespace);
        } else {
          NpmrcConfig.scope(namespace);
        }
      } catch (IllegalArgumentException e) {
        System.err.println("wharf: " + e.getMessage());
        return 2;
      }
    }
    GetAuthorizationTokenResponse token;
    String endpoint;
    try (CodeartifactClient client = api.codeArtifact()) {
      token = domainOptions.authorizationToken(client, lifetime.durationSeconds);
      endpoint = domainOptions.repositoryEndpoint(client, repository, tool.format());
    } catch (SdkException e) {
      return SdkErrors.report(e, System.err);
    }
    endpoint = LoginUrls.withoutDefaultPort(endpoint);
    LoginSetup.NpmTools npmTools = switch (tool) {
      case NPM, PNPM -> new LoginSetup.NpmTools(majorVersion(List.of("npm", "--version"), null).orElse(0), 0);
      // yarn answers for the project it runs in (yarnPath, corepack's packageManager): ask it there
      case YARN -> new LoginSetup.NpmTools(majorVersion(List.of("npm", "--version"), null).orElse(0),
          majorVersion(List.of("yarn", "--version"), home.places().projectDirectory()).orElse(0));
      default -> LoginSetup.NpmTools.UNKNOWN;
    };
    LoginSetup.Plan plan;
    try {
      plan = keyring
          ? LoginSetup.keyringLogin(tool, scope, home.places(), endpoint, tokenCommand("--output", "json"), extraIndex,
              WharfExecutable.keyringPackage())
          : LoginSetup.login(tool, scope, home.places(), endpoint, token.authorizationToken(), namespace, npmTools,
              tool == LoginTool.CARGO ? tokenCommand("--query", "authorizationToken", "--output", "text") : List.of(),
              extraIndex);
    } catch (ConfigFiles.InvalidConfigFile e) {
      System.err.println("wharf: cannot update " + tool + "'s " + e.file() + ": " + e.getMessage());
      return 1;
    }
    if (dryRun) {
      LoginSetup.printDryRun(plan, System.out);
      printNotes(plan);
      printRefresh(tool);
      return 0;
    }
    try {
      LoginSetup.apply(plan);
    } catch (IOException e) {
      System.err.println("wharf: could not write " + plan.files().getFirst().path() + ": " + e);
      return 1;
    }
    System.out.println("Successfully configured " + tool + " to use Wharf repository " + endpoint);
    if (tool != LoginTool.CARGO && !keyring) { // these ask for a new token when needed: the login does not expire
      System.out.println("Login expires in " + relativeTime(Duration.between(Instant.now(), token.expiration()))
          + " at " + token.expiration().truncatedTo(ChronoUnit.SECONDS));
    }
    printNotes(plan);
    printRefresh(tool);
    return 0;
  }

  private void printRefresh(LoginTool tool) {
    if (!refresh) {
      return;
    }
    if (keyring) {
      System.out.println();
      System.out.println("Nothing to do to keep the token fresh: wharf-keyring gets a new one whenever " + tool + " needs one.");
      return;
    }
    List<String> login = new ArrayList<>(WharfExecutable.command());
    login.addAll(List.of("login", "--tool", tool.displayName()));
    login.addAll(domainOptions.arguments());
    login.addAll(List.of("--repository", repository));
    login.addAll(lifetime.arguments());
    if (namespace != null) {
      login.addAll(List.of("--namespace", namespace));
    }
    if (scope == LoginSetup.Scope.project) {
      login.addAll(List.of("--scope", "project"));
    }
    if (extraIndex) {
      login.add("--extra-index");
    }
    if (home.home != null) {
      login.addAll(List.of("--home", home.home.toAbsolutePath().toString()));
    }
    login.addAll(api.arguments());
    List<String> exec = new ArrayList<>(WharfExecutable.command());
    exec.add("exec");
    exec.addAll(domainOptions.arguments());
    exec.addAll(api.arguments());
    exec.add("--");
    System.out.println();
    RefreshAdvice.lines(tool, login, exec,
        scope == LoginSetup.Scope.project ? Path.of(System.getProperty("user.dir")) : null,
        lifetime.plannedSeconds()).forEach(System.out::println);
  }

  /**
   * This wharf's get-authorization-token with this login's domain, server and credentials, and these output
   * options: what cargo (the token alone) and wharf-keyring (JSON, with the expiration) run for a token.
   */
  private List<String> tokenCommand(String... outputOptions) {
    List<String> command = new ArrayList<>(WharfExecutable.command());
    command.add("get-authorization-token");
    command.addAll(domainOptions.arguments());
    command.addAll(lifetime.arguments());
    command.addAll(api.arguments());
    command.addAll(List.of(outputOptions));
    return command;
  }

  private static void printNotes(LoginSetup.Plan plan) {
    if (!plan.notes().isEmpty()) {
      System.out.println();
      plan.notes().forEach(System.out::println);
    }
  }

  /**
   * "12 hours", "1 hour and 30 minutes": the largest unit and the next one when not zero, as the aws
   * CLI words it (with its 30 seconds of slack, so 11:59:31 reads "12 hours").
   */
  static String relativeTime(Duration remaining) {
    long minutes = remaining.plusSeconds(30).toMinutes();
    long[] values = {minutes / (24 * 60), minutes / 60 % 24, minutes % 60};
    String[] units = {"day", "hour", "minute"};
    List<String> words = new ArrayList<>();
    boolean previousNonZero = false;
    for (int i = 0; i < values.length; i++) {
      if (values[i] > 0) {
        if (previousNonZero) {
          words.add("and");
        }
        words.add(values[i] + " " + units[i] + (values[i] == 1 ? "" : "s"));
      }
      if (previousNonZero) {
        break;
      }
      previousNonZero = values[i] > 0;
    }
    return words.isEmpty() ? "less than a minute" : String.join(" ", words);
  }

  /** The major version a tool on PATH prints (e.g. npm --version) in the folder (null: here), if it answers within seconds. */
  static OptionalInt majorVersion(List<String> versionCommand, java.nio.file.Path directory) {
    try {
      ProcessBuilder builder = new ProcessBuilder(versionCommand).redirectError(ProcessBuilder.Redirect.DISCARD);
      if (directory != null && java.nio.file.Files.isDirectory(directory)) {
        builder.directory(directory.toFile());
      }
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return OptionalInt.empty();
      }
      String[] lines = new String(process.getInputStream().readAllBytes()).strip().split("\\R");
      String version = lines[lines.length - 1].strip();
      return process.exitValue() == 0 && version.matches("\\d+\\..*")
          ? OptionalInt.of(Integer.parseInt(version.substring(0, version.indexOf('.'))))
          : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }
}
