package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoginSetupTest {
  static final List<String> TOKEN_COMMAND = List.of("/opt/wharf/wharf", "get-authorization-token", "--domain", "acme",
      "--query", "authorizationToken", "--output", "text");

  @TempDir Path home;
  @TempDir Path project;

  LoginSetup.Places places() {
    return new LoginSetup.Places(home, project, Map.of(), true);
  }

  static String endpoint(LoginTool tool) {
    return "http://127.0.0.1:8080/acme-123456789012/" + tool.format() + "/shared/";
  }

  LoginSetup.Plan login(LoginTool tool, LoginSetup.Scope scope) throws Exception {
    return LoginSetup.login(tool, scope, places(), endpoint(tool), "k1.token", null, new LoginSetup.NpmTools(11, 1), TOKEN_COMMAND, false);
  }

  @Test
  void eachToolWritesItsUsualFileUnderHome() {
    assertThat(places().file(LoginTool.NPM, LoginSetup.Scope.user)).isEqualTo(home.resolve(".npmrc"));
    assertThat(places().file(LoginTool.PNPM, LoginSetup.Scope.user)).isEqualTo(home.resolve(".npmrc"));
    assertThat(places().file(LoginTool.PIP, LoginSetup.Scope.user)).isEqualTo(home.resolve(".config/pip/pip.conf"));
    assertThat(places().file(LoginTool.TWINE, LoginSetup.Scope.user)).isEqualTo(home.resolve(".pypirc"));
    assertThat(places().file(LoginTool.MAVEN, LoginSetup.Scope.user)).isEqualTo(home.resolve(".m2/settings.xml"));
    assertThat(places().file(LoginTool.GRADLE, LoginSetup.Scope.user)).isEqualTo(home.resolve(".gradle/gradle.properties"));
    assertThat(places().file(LoginTool.CARGO, LoginSetup.Scope.user)).isEqualTo(home.resolve(".cargo/config.toml"));
    assertThat(places().file(LoginTool.UV, LoginSetup.Scope.user)).isEqualTo(home.resolve(".config/uv/uv.toml"));
    assertThat(places().file(LoginTool.UV, LoginSetup.Scope.project)).isEqualTo(project.resolve("uv.toml"));
    assertThat(places().file(LoginTool.NPM, LoginSetup.Scope.project)).isEqualTo(project.resolve(".npmrc"));
    assertThat(places().file(LoginTool.CARGO, LoginSetup.Scope.project)).isEqualTo(project.resolve(".cargo/config.toml"));
    assertThat(places().file(LoginTool.GEM, LoginSetup.Scope.user)).isEqualTo(home.resolve(".gem/credentials"));
    assertThat(places().gemrc()).isEqualTo(home.resolve(".gemrc"));
    assertThat(places().file(LoginTool.BUNDLER, LoginSetup.Scope.user)).isEqualTo(home.resolve(".bundle/config"));
    assertThat(places().file(LoginTool.BUNDLER, LoginSetup.Scope.project)).isEqualTo(project.resolve(".bundle/config"));
  }

  @Test
  void gemHasNoProjectFile() {
    assertThatThrownBy(() -> places().file(LoginTool.GEM, LoginSetup.Scope.project))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--scope project is not supported for gem");
  }

  @Test
  void gemReadsItsXdgFilesWhenOnlyTheyExist() throws Exception {
    Files.createDirectories(home.resolve(".local/share/gem"));
    Files.writeString(home.resolve(".local/share/gem/credentials"), "---\n");
    Files.createDirectories(home.resolve(".config/gem"));
    Files.writeString(home.resolve(".config/gem/gemrc"), "---\n");

    assertThat(places().file(LoginTool.GEM, LoginSetup.Scope.user)).isEqualTo(home.resolve(".local/share/gem/credentials"));
    assertThat(places().gemrc()).isEqualTo(home.resolve(".config/gem/gemrc"));
    Files.writeString(home.resolve(".gemrc"), "---\n");
    assertThat(places().gemrc()).isEqualTo(home.resolve(".gemrc"));
  }

  @Test
  void theToolsOwnVariablesAreHonouredWhenHomeIsNotGivenExplicitly() {
    var environment = Map.of("NPM_CONFIG_USERCONFIG", "/etc/npmrc-user", "XDG_CONFIG_HOME", "/xdg",
        "GRADLE_USER_HOME", "/gradle-home", "CARGO_HOME", "/cargo-home", "BUNDLE_USER_HOME", "/bundle-home");
    var implicit = new LoginSetup.Places(home, project, environment, false);

    assertThat(implicit.file(LoginTool.NPM, LoginSetup.Scope.user)).isEqualTo(Path.of("/etc/npmrc-user"));
    assertThat(implicit.file(LoginTool.PIP, LoginSetup.Scope.user)).isEqualTo(Path.of("/xdg/pip/pip.conf"));
    assertThat(implicit.file(LoginTool.GRADLE, LoginSetup.Scope.user)).isEqualTo(Path.of("/gradle-home/gradle.properties"));
    assertThat(implicit.file(LoginTool.CARGO, LoginSetup.Scope.user)).isEqualTo(Path.of("/cargo-home/config.toml"));
    assertThat(implicit.file(LoginTool.BUNDLER, LoginSetup.Scope.user)).isEqualTo(Path.of("/bundle-home/config"));
    assertThat(new LoginSetup.Places(home, project, environment, true).file(LoginTool.NPM, LoginSetup.Scope.user))
        .isEqualTo(home.resolve(".npmrc"));
  }

  @ParameterizedTest
  @EnumSource(LoginTool.class)
  void theWrittenFileIsReadableByItsOwnerOnly(LoginTool tool) throws Exception {
    LoginSetup.Plan plan = login(tool, LoginSetup.Scope.user);
    Path file = plan.files().getFirst().path();
    Files.createDirectories(file.getParent());
    Files.writeString(file, "", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    LoginSetup.apply(login(tool, LoginSetup.Scope.user));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(LoginTool.class)
  void aDryRunPrintsTheFileAndWritesNothing(LoginTool tool) throws Exception {
    LoginSetup.Plan plan = login(tool, tool.projectScopeSupported() ? LoginSetup.Scope.project : LoginSetup.Scope.user);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    LoginSetup.printDryRun(plan, new PrintStream(out, true, StandardCharsets.UTF_8));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains(plan.files().getFirst().path() + " would be set to:")
        .contains(plan.files().getFirst().content());
    try (var files = Files.list(project); var homeFiles = Files.list(home)) {
      assertThat(files).isEmpty();
      assertThat(homeFiles).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(LoginTool.class)
  void logoutRestoresWhatWasThereBeforeLogin(LoginTool tool) throws Exception {
    Path file = places().file(tool, LoginSetup.Scope.user);
    String before = switch (tool) {
      case NPM, PNPM, YARN -> "fund=false\n";
      case PIP -> "[install]\nno-cache-dir = true\n";
      case TWINE -> "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\n";
      case MAVEN -> "<settings>\n  <offline>false</offline>\n</settings>\n";
      case GRADLE -> "org.gradle.caching=true\n";
      case CARGO -> "# mine\n[build]\njobs = 4\n";
      case POETRY -> "[virtualenvs]\nin-project = true\n";
      case UV -> "# mine\nnative-tls = true\n\n[[index]]\nname = \"mirror\"\nurl = \"https://mirror.example.com/simple/\"\n";
      case GEM -> "---\n:rubygems_api_key: \"rubygems_0123\"\n";
      case BUNDLER -> "---\nBUNDLE_PATH: \"vendor/bundle\"\n";
      case NUGET, DOTNET -> "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
          + "    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\"/>\n  </packageSources>\n"
          + "</configuration>\n";
      case SWIFT -> "{\n  \"version\" : 1,\n  \"registries\" : {\n    \"other\" : {\n      \"url\" : \"https://swift.example/\"\n    }\n  }\n}\n";
    };
    Files.createDirectories(file.getParent());
    Files.writeString(file, before);

    LoginSetup.apply(login(tool, LoginSetup.Scope.user));
    assertThat(Files.readString(file)).isNotEqualTo(before);
    LoginSetup.apply(LoginSetup.logout(tool, LoginSetup.Scope.user, places(), null));

    if (tool == LoginTool.MAVEN) {
      // <servers> was created by the login and stays, empty
      assertThat(Files.readString(file)).doesNotContain("codeartifact").contains("<offline>false</offline>");
    } else {
      assertThat(Files.readString(file)).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @EnumSource(value = LoginTool.class, names = {"NPM", "PIP", "POETRY", "UV", "GRADLE", "CARGO", "GEM", "BUNDLER", "SWIFT"})
  void logoutAfterALoginIntoNoFileLeavesNoFile(LoginTool tool) throws Exception {
    LoginSetup.apply(login(tool, LoginSetup.Scope.user));
    LoginSetup.apply(LoginSetup.logout(tool, LoginSetup.Scope.user, places(), null));

    assertThat(places().file(tool, LoginSetup.Scope.user)).doesNotExist();
    assertThat(places().gemrc()).doesNotExist();
    assertThat(places().netrc()).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(value = LoginTool.class, names = {"PIP", "TWINE", "MAVEN", "GRADLE", "CARGO", "GEM", "BUNDLER"})
  void toolsWithoutNamespacesRefuseOne(LoginTool tool) {
    assertThatThrownBy(() -> LoginSetup.login(tool, LoginSetup.Scope.user, places(), endpoint(tool), "k1.t", "acme", LoginSetup.NpmTools.UNKNOWN,
        TOKEN_COMMAND, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Argument --namespace is not supported for " + tool.displayName());
  }

  @Test
  void aSwiftLoginMakesAnEntryOfTheHostWithAnotherLoginTheTokensOwn() {
    // SwiftPM sends the entry's login as the Basic user; the registry takes the token from "token" (or "aws") only
    assertThat(SwiftConfig.loginNetrc("machine example.org login me password secret\n"
            + "machine 127.0.0.1 login alice password old\n", endpoint(LoginTool.SWIFT), "k1.new"))
        .isEqualTo("machine example.org login me password secret\nmachine 127.0.0.1 login token password k1.new\n");
  }

  @Test
  void swiftWritesRegistriesJsonAndTheNetrcEntryAsAwsCodeartifactLoginLeavesThem() throws Exception {
    String endpoint = endpoint(LoginTool.SWIFT);
    Files.writeString(home.resolve(".netrc"), "machine example.org login me password secret\n");
    LoginSetup.apply(LoginSetup.login(LoginTool.SWIFT, LoginSetup.Scope.project, places(), endpoint, "k1.first", null,
        LoginSetup.NpmTools.UNKNOWN, List.of(), false));
    LoginSetup.apply(LoginSetup.login(LoginTool.SWIFT, LoginSetup.Scope.project, places(), endpoint, "k1.second", "mona",
        LoginSetup.NpmTools.UNKNOWN, List.of(), false));

    var registries = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        project.resolve(".swiftpm/configuration/registries.json").toFile());
    assertThat(registries.path("version").asInt()).isEqualTo(1);
    assertThat(registries.path("registries").path("[default]").path("url").asText()).isEqualTo(endpoint);
    assertThat(registries.path("registries").path("mona").path("url").asText()).isEqualTo(endpoint);
    assertThat(registries.path("authentication").path("127.0.0.1").path("type").asText()).isEqualTo("basic");
    assertThat(registries.path("authentication").path("127.0.0.1").path("loginAPIPath").asText())
        .isEqualTo("/acme-123456789012/swift/shared/login");
    assertThat(Files.readString(home.resolve(".netrc"))).isEqualTo("machine example.org login me password secret\n"
        + "machine 127.0.0.1 login token password k1.second\n");
    assertThatThrownBy(() -> LoginSetup.login(LoginTool.SWIFT, LoginSetup.Scope.project, places(), endpoint, "k1.t",
        "-mona", LoginSetup.NpmTools.UNKNOWN, List.of(), false)).isInstanceOf(IllegalArgumentException.class);

    LoginSetup.apply(LoginSetup.logout(LoginTool.SWIFT, LoginSetup.Scope.project, places(), "127.0.0.1"));
    assertThat(project.resolve(".swiftpm/configuration/registries.json")).doesNotExist();
    assertThat(Files.readString(home.resolve(".netrc"))).isEqualTo("machine example.org login me password secret\n");
  }

  @Test
  void npmWithANamespaceWritesTheScopedRegistry() throws Exception {
    LoginSetup.apply(LoginSetup.login(LoginTool.NPM, LoginSetup.Scope.user, places(), endpoint(LoginTool.NPM), "k1.t",
        "acme", LoginSetup.NpmTools.UNKNOWN, List.of(), false));

    assertThat(Files.readString(home.resolve(".npmrc"))).startsWith("@acme:registry=" + endpoint(LoginTool.NPM) + "\n");
  }

  @Test
  void mavenAndGradlePrintTheExportLineAndKeepTheTokenOutOfTheirFiles() throws Exception {
    for (LoginTool tool : new LoginTool[] {LoginTool.MAVEN, LoginTool.GRADLE}) {
      LoginSetup.Plan plan = login(tool, LoginSetup.Scope.user);
      assertThat(plan.notes()).contains("  export CODEARTIFACT_AUTH_TOKEN=k1.token");
      assertThat(plan.files().getFirst().content()).doesNotContain("k1.token");
    }
    // What Gradle 4.4.1's Groovy DSL reads (GradleClientIT runs that block); over http, what Gradle 7+ needs too.
    assertThat(login(LoginTool.GRADLE, LoginSetup.Scope.user).notes()).contains("    url codeartifactUrl",
        "    credentials { username 'aws'; password System.env.CODEARTIFACT_AUTH_TOKEN }")
        .anyMatch(line -> line.startsWith("    allowInsecureProtocol = true"))
        .noneMatch(line -> line.contains("providers.gradleProperty"));
    assertThat(login(LoginTool.NPM, LoginSetup.Scope.user).notes()).noneMatch(line -> line.contains("k1.token"));
  }

  @Test
  void mavenOverPlainHttpBeyondLocalhostIsToldOfMavensHttpBlockerAndTheMirrorItAllows() throws Exception {
    String remote = "http://wharf.internal:8080/acme-123456789012/maven/shared/";
    LoginSetup.Plan plan = LoginSetup.login(LoginTool.MAVEN, LoginSetup.Scope.user, places(), remote, "k1.token", null,
        LoginSetup.NpmTools.UNKNOWN, List.of(), false);
    assertThat(plan.notes()).anyMatch(line -> line.contains("Blocked mirror"))
        .contains("  <mirror><id>codeartifact</id><url>" + remote + "</url><mirrorOf>*</mirrorOf></mirror>");
    for (String allowed : List.of(endpoint(LoginTool.MAVEN), "http://localhost:8080/acme-123456789012/maven/shared/",
        "https://wharf.internal/acme-123456789012/maven/shared/")) {
      assertThat(LoginSetup.login(LoginTool.MAVEN, LoginSetup.Scope.user, places(), allowed, "k1.token", null,
          LoginSetup.NpmTools.UNKNOWN, List.of(), false).notes()).noneMatch(line -> line.contains("Blocked mirror"));
    }
  }

  @Test
  void cargoKeepsTheTokenOutOfItsFileAndNamesTheCommandThatFetchesIt() throws Exception {
    LoginSetup.Plan plan = login(LoginTool.CARGO, LoginSetup.Scope.user);

    assertThat(plan.files().getFirst().content()).doesNotContain("k1.token");
    assertThat(plan.notes()).noneMatch(line -> line.contains("k1.token"))
        .contains("  " + String.join(" ", TOKEN_COMMAND));
  }

  @Test
  void gemWritesItsCredentialsAndItsGemrcBothOwnerOnlyAndPrintsNoToken() throws Exception {
    Files.writeString(home.resolve(".gemrc"), "---\ngem: --no-document\n");
    Files.setPosixFilePermissions(home.resolve(".gemrc"), PosixFilePermissions.fromString("rw-r--r--"));
    LoginSetup.Plan plan = login(LoginTool.GEM, LoginSetup.Scope.user);

    LoginSetup.apply(plan);

    assertThat(plan.files()).extracting(LoginSetup.FileChange::path)
        .containsExactly(home.resolve(".gem/credentials"), home.resolve(".gemrc"));
    for (Path file : List.of(home.resolve(".gem/credentials"), home.resolve(".gemrc"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).contains("k1.token");
    }
    assertThat(Files.readString(home.resolve(".gemrc"))).startsWith("---\ngem: \"--no-document\"\n:sources:\n");
    assertThat(plan.notes()).noneMatch(line -> line.contains("k1.token"))
        .contains("  gem push --host " + endpoint(LoginTool.GEM) + " NAME-VERSION.gem")
        .anyMatch(line -> line.contains("run wharf login again"));

    LoginSetup.apply(LoginSetup.logout(LoginTool.GEM, LoginSetup.Scope.user, places(), null));
    assertThat(home.resolve(".gem/credentials")).doesNotExist();
    assertThat(Files.readString(home.resolve(".gemrc"))).isEqualTo("---\ngem: \"--no-document\"\n");
  }

  @Test
  void bundlerPrintsTheGemfileSourceAndNoToken() throws Exception {
    LoginSetup.Plan plan = login(LoginTool.BUNDLER, LoginSetup.Scope.user);

    assertThat(plan.notes()).noneMatch(line -> line.contains("k1.token"))
        .contains("  source \"" + endpoint(LoginTool.BUNDLER) + "\"")
        .anyMatch(line -> line.contains("run wharf login again"));
    assertThat(plan.files().getFirst().content()).isEqualTo("---\nBUNDLE_127__0__0__1: \"aws:k1.token\"\n");
  }

  @Test
  void cargoReadsItsOlderConfigFileWhenThereIsOne() throws Exception {
    Files.createDirectories(home.resolve(".cargo"));
    Files.writeString(home.resolve(".cargo/config"), "[build]\njobs = 2\n");

    assertThat(places().file(LoginTool.CARGO, LoginSetup.Scope.user)).isEqualTo(home.resolve(".cargo/config"));
  }

  @Test
  void theExpiryIsWordedAsTheAwsCliWordsIt() {
    assertThat(LoginCommand.relativeTime(Duration.ofHours(12).minusSeconds(2))).isEqualTo("12 hours");
    assertThat(LoginCommand.relativeTime(Duration.ofMinutes(90))).isEqualTo("1 hour and 30 minutes");
    assertThat(LoginCommand.relativeTime(Duration.ofMinutes(15))).isEqualTo("15 minutes");
    assertThat(LoginCommand.relativeTime(Duration.ofMinutes(61))).isEqualTo("1 hour and 1 minute");
  }
}
