package dev.wharf.cli;

import static dev.wharf.cli.LoginTestingCli.against;
import static dev.wharf.cli.LoginTestingCli.getRepository;
import static dev.wharf.cli.LoginTestingCli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** wharf get-authorization-token, login and logout against a real server, and beside the real aws CLI. */
class LoginCommandIT {
  /** A Wharf token: key id, a dot, the sealed payload. */
  private static final Pattern TOKEN = Pattern.compile("k[a-z2-7]{7}\\.[A-Za-z0-9_-]+");

  @TempDir static Path data;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static String npmEndpoint;

  @TempDir Path home;

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

  @Test
  void theTokenAlonePrintedAsTextOpensTheRepository() {
    var result = run(root, against(wharf, "get-authorization-token", "--domain", "acme", "--query", "authorizationToken",
        "--output", "text"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).matches(TOKEN.pattern() + "\n");
    var answer = getRepository(npmEndpoint, result.out().strip());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().path("read").asText()).isEqualTo("allowed");
  }

  @Test
  void jsonOutputHasTheTokenAndAnIsoExpirationForTheRequestedDuration() throws Exception {
    var result = run(root, against(wharf, "get-authorization-token", "--domain", "acme", "--domain-owner",
        wharf.managementAccountId(), "--duration-seconds", "900"));

    assertThat(result.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.path("authorizationToken").asText()).matches(TOKEN);
    Instant expiration = Instant.parse(json.path("expiration").asText());
    assertThat(Duration.between(Instant.now(), expiration)).isBetween(Duration.ofSeconds(800), Duration.ofSeconds(901));
    assertThat(run(root, against(wharf, "get-authorization-token", "--domain", "acme", "--query", "expiration",
        "--output", "text")).out().strip()).satisfies(text -> Instant.parse(text));
  }

  @Test
  void serverErrorsArePrintedWithTheirCodeAndExitOne() {
    var result = run(root, against(wharf, "get-authorization-token", "--domain", "no-such-domain"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).startsWith("wharf: ResourceNotFoundException: ");
  }

  @Test
  void loginForNpmWritesATokenThatOpensTheRepositoryAndSaysWhenItExpires() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "npm", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("Successfully configured npm to use Wharf repository " + npmEndpoint + "\n")
        .contains("Login expires in 12 hours at ");
    String npmrc = Files.readString(home.resolve(".npmrc"));
    assertThat(npmrc).contains("registry=" + npmEndpoint + "\n");
    Matcher token = TOKEN.matcher(npmrc);
    assertThat(token.find()).isTrue();
    assertThat(result.out()).doesNotContain(token.group());
    assertThat(getRepository(npmEndpoint, token.group()).status()).isEqualTo(200);
  }

  @Test
  void aDryRunPrintsTheTokenAndWritesNothing() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "pip", "--domain", "acme", "--repository", "shared",
        "--home", home.toString(), "--dry-run"));

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains(home.resolve(".config/pip/pip.conf") + " would be set to:")
        .containsPattern("index-url = http://aws:" + TOKEN.pattern() + "@");
    try (Stream<Path> files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void pipAndTwineRefuseANamespaceBeforeCallingTheServer() {
    for (String tool : List.of("pip", "twine")) {
      var result = run(root, "login", "--tool", tool, "--domain", "acme", "--repository", "shared", "--namespace", "acme",
          "--endpoint-url", "http://127.0.0.1:1", "--home", home.toString());
      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.err()).contains("Argument --namespace is not supported for " + tool);
    }
  }

  @Test
  void mavenLoginPrintsAnExportLineWhoseTokenWorksAndKeepsTheTokenOutOfSettings() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "maven", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(result.exitCode()).as(result.err()).isZero();
    Matcher export = Pattern.compile("export CODEARTIFACT_AUTH_TOKEN=(" + TOKEN.pattern() + ")").matcher(result.out());
    assertThat(export.find()).isTrue();
    String mavenEndpoint = npmEndpoint.replace("/npm/", "/maven/");
    assertThat(result.out()).contains("<url>" + mavenEndpoint + "</url>");
    assertThat(getRepository(mavenEndpoint, export.group(1)).status()).isEqualTo(200);
    assertThat(Files.readString(home.resolve(".m2/settings.xml"))).contains("<id>codeartifact</id>")
        .doesNotContain(export.group(1));
  }

  @Test
  void logoutRemovesTheLogin() throws Exception {
    Files.writeString(home.resolve(".npmrc"), "fund=false\n");
    run(root, against(wharf, "login", "--tool", "npm", "--domain", "acme", "--repository", "shared", "--home", home.toString()));

    var result = run(root, "logout", "--tool", "npm", "--home", home.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(Files.readString(home.resolve(".npmrc"))).isEqualTo("fund=false\n");
  }

  @Test
  void dotnetAndNugetLoginWriteANugetConfigSourceWhoseCredentialsReadTheServiceIndex() throws Exception {
    for (String tool : List.of("dotnet", "nuget")) {
      var result = run(root, against(wharf, "login", "--tool", tool, "--domain", "acme", "--repository", "shared",
          "--home", home.toString()));

      assertThat(result.exitCode()).as(result.err()).isZero();
      String nugetEndpoint = npmEndpoint.replace("/npm/", "/nuget/");
      assertThat(result.out()).startsWith("Successfully configured " + tool + " to use Wharf repository " + nugetEndpoint);
      String config = Files.readString(home.resolve(".nuget/NuGet/NuGet.Config"));
      assertThat(config).contains("<add key=\"acme/shared\" value=\"" + nugetEndpoint + "v3/index.json\"/>")
          .contains("<acme_x002F_shared>").contains("<add key=\"Username\" value=\"aws\"/>");
      assertThat(config.split("key=\"acme/shared\"", -1)).hasSize(2);
      java.util.regex.Matcher password = java.util.regex.Pattern.compile("key=\"ClearTextPassword\" value=\"([^\"]+)\"")
          .matcher(config);
      assertThat(password.find()).isTrue();
      // what NuGet sends with that source's credentials
      var index = dev.wharf.testing.TestingHttp.send("GET", nugetEndpoint + "v3/index.json", null, "Basic "
          + java.util.Base64.getEncoder().encodeToString(("aws:" + password.group(1)).getBytes(
              java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(index.statusCode()).isEqualTo(200);
    }

    var logout = run(root, "logout", "--tool", "dotnet", "--home", home.toString());

    assertThat(logout.exitCode()).isZero();
    assertThat(Files.readString(home.resolve(".nuget/NuGet/NuGet.Config"))).doesNotContain("acme/shared");
  }

  @Test
  void swiftLoginWritesRegistriesJsonAndANetrcEntryWhoseTokenLogsInAsSwiftPmWould() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "swift", "--domain", "acme", "--repository", "shared",
        "--namespace", "mona", "--home", home.toString()));

    assertThat(result.exitCode()).as(result.err()).isZero();
    String swiftEndpoint = npmEndpoint.replace("/npm/", "/swift/");
    assertThat(result.out()).startsWith("Successfully configured swift to use Wharf repository " + swiftEndpoint + "\n");
    JsonNode registries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        home.resolve(".swiftpm/configuration/registries.json").toFile());
    assertThat(registries.at("/registries/mona/url").asText()).isEqualTo(swiftEndpoint);
    String host = URI.create(swiftEndpoint).getHost();
    assertThat(registries.path("authentication").path(host).path("loginAPIPath").asText())
        .isEqualTo(URI.create(swiftEndpoint).getPath() + "login");
    java.util.regex.Matcher netrc = java.util.regex.Pattern.compile("machine " + java.util.regex.Pattern.quote(host)
        + " login token password (\\S+)\n").matcher(Files.readString(home.resolve(".netrc")));
    assertThat(netrc.matches()).isTrue();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".netrc"))))
        .isEqualTo("rw-------");

    // what swift package-registry login does with the netrc entry: POST login with Basic token:TOKEN
    var login = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        URI.create(swiftEndpoint + "login")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("token:" + netrc.group(1))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);

    var logout = run(root, "logout", "--tool", "swift", "--home", home.toString());
    assertThat(logout.exitCode()).as(logout.err()).isZero();
    assertThat(home.resolve(".swiftpm/configuration/registries.json")).doesNotExist();
    assertThat(home.resolve(".netrc")).doesNotExist(); // it held only the login's entry
  }

  @Test
  void cargoLoginWritesACredentialProviderThatPrintsAWorkingTokenAndNoToken() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "cargo", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(result.exitCode()).as(result.err()).isZero();
    String cargoEndpoint = npmEndpoint.replace("/npm/", "/cargo/");
    assertThat(result.out()).startsWith("Successfully configured cargo to use Wharf repository " + cargoEndpoint + "\n")
        .doesNotContain("Login expires").doesNotContainPattern(TOKEN.pattern());
    String config = Files.readString(home.resolve(".cargo/config.toml"));
    assertThat(config).doesNotContainPattern(TOKEN.pattern());
    JsonNode toml = new TomlMapper().readTree(config);
    assertThat(toml.at("/registries/codeartifact/index").asText()).isEqualTo("sparse+" + cargoEndpoint);
    assertThat(toml.at("/registry/default").asText()).isEqualTo("codeartifact");
    assertThat(toml.at("/source/crates-io/replace-with").asText()).isEqualTo("codeartifact");
    List<String> provider = new ArrayList<>();
    toml.at("/registries/codeartifact/credential-provider").forEach(word -> provider.add(word.asText()));
    assertThat(provider.getFirst()).isEqualTo("cargo:token-from-stdout");

    // what cargo runs, with the credentials cargo's environment would have
    requireNoRebuild(provider.get(1));
    var printed = TestingProcesses.run(home, credentialsEnvironment(), Duration.ofMinutes(2),
        provider.subList(1, provider.size()));

    assertThat(printed.exitCode()).as(printed.describe()).isZero();
    assertThat(printed.stdout()).matches(TOKEN.pattern() + "\n");
    assertThat(getRepository(cargoEndpoint + "config.json", printed.stdout().strip()).status()).isEqualTo(200);
  }

  @Test
  void cargoSearchesTheRepositoryWithTheTokenOfTheWrittenCredentialProvider() throws Exception {
    Path installedCargo = Path.of(System.getProperty("user.home"), ".cargo", "bin", "cargo");
    String cargo = Files.isExecutable(installedCargo) ? installedCargo.toString() : "cargo";
    TestingClients.requireCommand(cargo, "--version");
    Files.createDirectories(home.resolve(".cargo"));
    Files.writeString(home.resolve(".cargo/config.toml"), "[term]\ncolor = \"never\"\n");
    var login = run(root, against(wharf, "login", "--tool", "cargo", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));
    assertThat(login.exitCode()).as(login.err()).isZero();
    Map<String, String> environment = credentialsEnvironment();
    environment.put("CARGO_HOME", home.resolve(".cargo").toString());
    environment.put("RUSTUP_HOME", System.getenv().getOrDefault("RUSTUP_HOME",
        Path.of(System.getProperty("user.home"), ".rustup").toString()));

    requireNoRebuild(new TomlMapper().readTree(Files.readString(home.resolve(".cargo/config.toml")))
        .at("/registries/codeartifact/credential-provider").get(1).asText());
    var search = TestingProcesses.run(home, environment, Duration.ofMinutes(2), List.of(cargo, "search", "anything"));

    assertThat(search.exitCode()).as(search.describe()).isZero();
    assertThat(Files.readString(home.resolve(".cargo/config.toml"))).startsWith("[term]\ncolor = \"never\"\n\n");
    var logout = run(root, "logout", "--tool", "cargo", "--home", home.toString());
    assertThat(logout.exitCode()).as(logout.err()).isZero();
    assertThat(Files.readString(home.resolve(".cargo/config.toml"))).isEqualTo("[term]\ncolor = \"never\"\n");
  }

  @Test
  void gemLoginLetsGemPushAndGemInstallWorkWithNoKeyVariableAndNoSourceFlag() throws Exception {
    TestingClients.requireCommand("gem", "--version");
    Files.writeString(home.resolve(".gemrc"), "---\ngem: --no-document\n");
    var login = run(root, against(wharf, "login", "--tool", "gem", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(login.exitCode()).as(login.err()).isZero();
    String rubyEndpoint = npmEndpoint.replace("/npm/", "/ruby/");
    assertThat(login.out()).startsWith("Successfully configured gem to use Wharf repository " + rubyEndpoint + "\n")
        .contains("Login expires in 12 hours", "gem push --host " + rubyEndpoint, "run wharf login again")
        .doesNotContainPattern(TOKEN.pattern());
    for (Path file : List.of(home.resolve(".gem/credentials"), home.resolve(".gemrc"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
          .isEqualTo("rw-------");
    }
    Path gem = ownGem("wharf-login-gem", "1.0.0");

    var pushed = ruby(home, freshGemHome(), "gem", "push", gem.toString(), "--host", rubyEndpoint);
    assertThat(pushed.exitCode()).as(pushed.describe()).isZero();
    assertThat(pushed.stdout()).contains("Successfully registered gem");

    Map<String, String> installHome = freshGemHome();
    var installed = ruby(home, installHome, "gem", "install", "wharf-login-gem");
    assertThat(installed.exitCode()).as(installed.describe()).isZero();
    assertThat(installed.stdout()).contains("Successfully installed wharf-login-gem-1.0.0");
    var used = ruby(home, installHome, "ruby", "-e", "require 'wharf_login_gem'; puts WharfLoginGem.hello");
    assertThat(used.stdout()).as(used.describe()).isEqualTo("wharf-login-gem 1.0.0\n");

    var logout = run(root, "logout", "--tool", "gem", "--home", home.toString());
    assertThat(logout.exitCode()).as(logout.err()).isZero();
    assertThat(home.resolve(".gem/credentials")).doesNotExist();
    assertThat(Files.readString(home.resolve(".gemrc"))).isEqualTo("---\ngem: \"--no-document\"\n");
  }

  @Test
  void bundlerLoginLetsBundleInstallFromAGemfileWhoseSourceHasNoCredentials() throws Exception {
    TestingClients.requireCommand("gem", "--version");
    TestingClients.requireCommand("bundle", "--version");
    String rubyEndpoint = npmEndpoint.replace("/npm/", "/ruby/");
    String token = run(root, against(wharf, "get-authorization-token", "--domain", "acme", "--query",
        "authorizationToken", "--output", "text")).out().strip();
    Map<String, String> pushing = freshGemHome();
    pushing.put("GEM_HOST_API_KEY", "Bearer " + token);
    var pushed = ruby(home, pushing, "gem", "push", ownGem("wharf-login-bundle", "2.0.0").toString(), "--host",
        rubyEndpoint);
    assertThat(pushed.exitCode()).as(pushed.describe()).isZero();

    var login = run(root, against(wharf, "login", "--tool", "bundler", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(login.exitCode()).as(login.err()).isZero();
    assertThat(login.out()).contains("  source \"" + rubyEndpoint + "\"\n", "run wharf login again")
        .doesNotContainPattern(TOKEN.pattern());
    Path config = home.resolve(".bundle/config");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
    Path project = Files.createDirectories(home.resolve("project"));
    Files.writeString(project.resolve("Gemfile"), "source \"" + rubyEndpoint + "\"\n\ngem \"wharf-login-bundle\"\n");
    Map<String, String> bundling = freshGemHome();
    bundling.put("BUNDLE_PATH", project.resolve("vendor").toString());
    var installed = ruby(project, bundling, "bundle", "install");
    assertThat(installed.exitCode()).as(installed.describe()).isZero();
    assertThat(Files.readString(project.resolve("Gemfile.lock"))).contains("wharf-login-bundle (2.0.0)")
        .doesNotContainPattern(TOKEN.pattern());
    var used = ruby(project, bundling, "bundle", "exec", "ruby", "-e",
        "require 'wharf_login_bundle'; puts WharfLoginBundle.hello");
    assertThat(used.stdout()).as(used.describe()).isEqualTo("wharf-login-bundle 2.0.0\n");

    var logout = run(root, "logout", "--tool", "bundler", "--home", home.toString());
    assertThat(logout.exitCode()).as(logout.err()).isZero();
    assertThat(config).doesNotExist();
  }

  @Test
  void refreshPrintsASchedulableLoginThatWorksAndChangesNothingButTheLoginsFile() throws Exception {
    var result = run(root, against(wharf, "login", "--tool", "npm", "--domain", "acme", "--repository", "shared",
        "--duration-seconds", "3600", "--home", home.toString(), "--refresh"));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("wharf installs nothing in the background")
        .contains("the token lasts 1 hour. Run this login again every 30 minutes")
        .contains("OnUnitActiveSec=30min").contains("schtasks /Create /TN wharf-login-npm /SC MINUTE /MO 30 /TR ")
        .contains(" exec --domain acme --endpoint-url " + wharf.endpoint() + " -- npm ci");
    try (Stream<Path> files = Files.list(home)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly(".npmrc");
    }
    String firstToken = tokenIn(Files.readString(home.resolve(".npmrc")));

    // the cron line's command, run as cron would (sh -c, without the test's shell variables), logs in again
    Matcher cron = Pattern.compile("(?m)^  \\*/30 \\* \\* \\* \\* (.+) >/dev/null$").matcher(result.out());
    assertThat(cron.find()).as(result.out()).isTrue();
    assertThat(cron.group(1)).contains(" login --tool npm --domain acme --repository shared --duration-seconds 3600 --home ")
        .doesNotContain("--refresh");
    requireNoRebuild(cron.group(1).split(" ")[0]);
    var again = TestingProcesses.run(home, credentialsEnvironment(), Duration.ofMinutes(2), List.of("sh", "-c", cron.group(1)));
    assertThat(again.exitCode()).as(again.describe()).isZero();
    String secondToken = tokenIn(Files.readString(home.resolve(".npmrc")));
    assertThat(secondToken).isNotEqualTo(firstToken);
    assertThat(getRepository(npmEndpoint, secondToken).status()).isEqualTo(200);
  }

  @Test
  void refreshForToolsThatReadTheEnvironmentSaysToWrapThemInWharfExec() {
    var maven = run(root, against(wharf, "login", "--tool", "maven", "--domain", "acme", "--repository", "shared",
        "--home", home.toString(), "--refresh"));
    var cargo = run(root, against(wharf, "login", "--tool", "cargo", "--domain", "acme", "--repository", "shared",
        "--home", home.toString(), "--refresh", "--dry-run"));

    assertThat(maven.exitCode()).isZero();
    assertThat(maven.out()).contains("maven reads the token from the environment: run it through wharf exec")
        .contains(" exec --domain acme --endpoint-url " + wharf.endpoint() + " -- mvn deploy").doesNotContain("cron");
    assertThat(cargo.out()).contains("Nothing to do: cargo runs wharf for a new token whenever it needs one.");
  }

  @Test
  void uvLoginWritesTheIndexWithoutATokenAndPrintsCredentialsThatWork() throws Exception {
    Files.createDirectories(home.resolve(".config/uv"));
    Files.writeString(home.resolve(".config/uv/uv.toml"), "# mine\nnative-tls = true\n");
    var result = run(root, against(wharf, "login", "--tool", "uv", "--domain", "acme", "--repository", "shared",
        "--home", home.toString()));

    assertThat(result.exitCode()).as(result.err()).isZero();
    String pypiEndpoint = npmEndpoint.replace("/npm/", "/pypi/");
    String uvToml = Files.readString(home.resolve(".config/uv/uv.toml"));
    assertThat(uvToml).startsWith("# mine\nnative-tls = true\n\n[[index]]\n").doesNotContainPattern(TOKEN.pattern());
    JsonNode index = new TomlMapper().readTree(uvToml).path("index").get(0);
    assertThat(index.path("name").asText()).isEqualTo("codeartifact");
    assertThat(index.path("url").asText()).isEqualTo(pypiEndpoint + "simple/");
    assertThat(index.path("default").asBoolean()).isTrue();
    assertThat(result.out()).contains("export UV_INDEX_CODEARTIFACT_USERNAME=aws\n");
    Matcher password = Pattern.compile("export UV_INDEX_CODEARTIFACT_PASSWORD=(" + TOKEN.pattern() + ")").matcher(result.out());
    assertThat(password.find()).isTrue();
    assertThat(getRepository(pypiEndpoint, password.group(1)).status()).isEqualTo(200);
  }

  private static String tokenIn(String text) {
    Matcher token = TOKEN.matcher(text);
    assertThat(token.find()).as(text).isTrue();
    return token.group();
  }

  /** A clean environment with HOME and an empty GEM_HOME of its own: no gem key, no bundler setting. */
  private Map<String, String> freshGemHome() throws IOException {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", home.toString());
    Path gemHome = Files.createTempDirectory(home, "gem-home");
    environment.put("GEM_HOME", gemHome.toString());
    environment.put("GEM_PATH", gemHome.toString());
    return environment;
  }

  private static TestingProcesses.Result ruby(Path directory, Map<String, String> environment, String... command) {
    return TestingProcesses.run(directory, environment, Duration.ofMinutes(5), List.of(command));
  }

  /** A gem of this test's own, built by gem build: lib/NAME.rb with a module whose hello says its name and version. */
  private Path ownGem(String name, String version) throws IOException {
    Path dir = Files.createDirectories(home.resolve("build").resolve(name));
    String file = name.replace('-', '_');
    StringBuilder module = new StringBuilder();
    for (String word : file.split("_")) {
      module.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib").resolve(file + ".rb"),
        "module " + module + "\n  def self.hello\n    \"" + name + " " + version + "\"\n  end\nend\n");
    Files.writeString(dir.resolve(name + ".gemspec"), """
        Gem::Specification.new do |s|
          s.name = "%s"
          s.version = "%s"
          s.summary = "%s, a gem of Wharf's login tests"
          s.authors = ["Wharf"]
          s.license = "MIT"
          s.files = ["lib/%s.rb"]
        end
        """.formatted(name, version, name, file));
    var built = ruby(dir, freshGemHome(), "gem", "build", name + ".gemspec");
    assertThat(built.exitCode()).as(built.describe()).isZero();
    return dir.resolve(name + "-" + version + ".gem");
  }

  /**
   * Fails when the command is the ./wharf launcher and the jar is older than the sources: the launcher
   * would rebuild the jar this JVM runs from.
   */
  private void requireNoRebuild(String command) {
    if (Path.of(command).getFileName().toString().equals("wharf")) {
      TestingLauncher.create(home);
    }
  }

  /** A clean environment with HOME, this JDK and root's keys, as a shell where cargo runs would have them. */
  private Map<String, String> credentialsEnvironment() {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", home.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("AWS_ACCESS_KEY_ID", root.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", root.secretAccessKey());
    environment.put("AWS_REGION", "us-east-1");
    return environment;
  }

  // ---------------------------------------------------------------- beside the real aws CLI

  @Test
  void npmLoginWritesWhatAwsCodeartifactLoginWrites() throws Exception {
    TestingClients.requireCommand("npm", "--version");
    Map<Path, String> aws = awsLogin("npm");
    run(root, against(wharf, "login", "--tool", "npm", "--domain", "acme", "--repository", "shared", "--home", home.toString()));

    assertThat(sortedLines(Files.readString(home.resolve(".npmrc")))).isEqualTo(sortedLines(aws.get(Path.of(".npmrc"))));
  }

  @Test
  void pipLoginWritesWhatAwsCodeartifactLoginWrites() throws Exception {
    TestingClients.requireCommand("pip", "--version");
    Map<Path, String> aws = awsLogin("pip");
    run(root, against(wharf, "login", "--tool", "pip", "--domain", "acme", "--repository", "shared", "--home", home.toString()));

    assertThat(ini(Files.readString(home.resolve(".config/pip/pip.conf")))).isEqualTo(ini(aws.get(Path.of(".config/pip/pip.conf"))));
  }

  @Test
  void twineLoginWritesWhatAwsCodeartifactLoginWrites() throws Exception {
    Map<Path, String> aws = awsLogin("twine");
    run(root, against(wharf, "login", "--tool", "twine", "--domain", "acme", "--repository", "shared", "--home", home.toString()));

    assertThat(ini(Files.readString(home.resolve(".pypirc")))).isEqualTo(ini(aws.get(Path.of(".pypirc"))));
  }

  /** Runs aws codeartifact login with its own HOME and credentials files; returns the files it wrote, tokens masked. */
  private Map<Path, String> awsLogin(String tool) throws IOException, InterruptedException {
    TestingClients.requireCommand("aws", "--version");
    Path awsHome = Files.createTempDirectory(home.getParent(), "aws-home");
    Path credentials = awsHome.resolve("credentials");
    Files.writeString(credentials, "[default]\naws_access_key_id = " + root.accessKeyId() + "\naws_secret_access_key = "
        + root.secretAccessKey() + "\n");
    Path config = awsHome.resolve("config");
    Files.writeString(config, "[default]\nregion = us-east-1\n");
    ProcessBuilder builder = new ProcessBuilder("aws", "codeartifact", "login", "--tool", tool, "--domain", "acme",
        "--repository", "shared", "--endpoint-url", wharf.endpoint().toString()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") && !name.equals("AWS_CA_BUNDLE")
        || name.startsWith("NPM_CONFIG_") || name.startsWith("npm_config_") || name.startsWith("PIP_")
        || name.equals("XDG_CONFIG_HOME"));
    builder.environment().put("HOME", awsHome.toString());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    builder.environment().put("AWS_CONFIG_FILE", config.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    Map<Path, String> written = new TreeMap<>();
    for (String file : List.of(".npmrc", ".config/pip/pip.conf", ".pypirc")) {
      if (Files.exists(awsHome.resolve(file))) {
        written.put(Path.of(file), Files.readString(awsHome.resolve(file)));
      }
    }
    return written;
  }

  private static String mask(String text) {
    return TOKEN.matcher(text).replaceAll("TOKEN");
  }

  private static List<String> sortedLines(String text) {
    return mask(text).lines().map(String::strip).filter(line -> !line.isEmpty()).sorted().toList();
  }

  /** section → key → value (continuation lines joined by one space), as configparser reads it. */
  private static Map<String, Map<String, String>> ini(String text) {
    Map<String, Map<String, String>> sections = new TreeMap<>();
    Map<String, String> section = null;
    String lastKey = null;
    for (String line : mask(text).lines().toList()) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = sections.computeIfAbsent(line.strip().substring(1, line.strip().length() - 1), name -> new TreeMap<>());
      } else if (Character.isWhitespace(line.charAt(0)) && lastKey != null) {
        section.merge(lastKey, line.strip(), (a, b) -> (a + " " + b).strip());
      } else {
        int delimiter = line.indexOf('=') >= 0 && (line.indexOf(':') < 0 || line.indexOf('=') < line.indexOf(':'))
            ? line.indexOf('=') : line.indexOf(':');
        lastKey = line.substring(0, delimiter).strip();
        section.put(lastKey, line.substring(delimiter + 1).strip());
      }
    }
    return sections;
  }
}
