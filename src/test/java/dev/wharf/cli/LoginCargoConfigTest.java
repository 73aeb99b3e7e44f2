package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCargoConfigTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/cargo/shared/";
  static final List<String> TOKEN_COMMAND = List.of("/opt/wharf/wharf", "get-authorization-token", "--domain", "acme",
      "--endpoint-url", "http://127.0.0.1:8080", "--query", "authorizationToken", "--output", "text");
  static final String WRITTEN = """
      [registries.codeartifact]
      index = "sparse+http://127.0.0.1:8080/acme-123456789012/cargo/shared/"
      credential-provider = ["cargo:token-from-stdout", "/opt/wharf/wharf", "get-authorization-token", "--domain", \
      "acme", "--endpoint-url", "http://127.0.0.1:8080", "--query", "authorizationToken", "--output", "text"]

      [registry]
      default = "codeartifact"

      [source.crates-io]
      replace-with = "codeartifact"
      """;

  @TempDir Path folder;

  static JsonNode toml(String text) throws Exception {
    return new TomlMapper().readTree(text);
  }

  @Test
  void anEmptyConfigGetsTheRegistryAsDefaultAndReplacementOfCratesIo() throws Exception {
    String written = CargoConfig.login("", ENDPOINT, TOKEN_COMMAND);

    assertThat(written).isEqualTo(WRITTEN);
    JsonNode config = toml(written);
    assertThat(config.at("/registries/codeartifact/index").asText()).isEqualTo("sparse+" + ENDPOINT);
    assertThat(config.at("/registries/codeartifact/credential-provider").get(0).asText())
        .isEqualTo("cargo:token-from-stdout");
    assertThat(config.at("/registry/default").asText()).isEqualTo("codeartifact");
    assertThat(config.at("/source/crates-io/replace-with").asText()).isEqualTo("codeartifact");
  }

  @Test
  void theOtherSettingsAndCommentsStayAndOurKeysAreReplacedInTheirTables() throws Exception {
    String existing = """
        # my cargo settings
        [build]
        jobs = 4 # half the cores

        [registries.codeartifact]
        index = "sparse+http://old:8080/acme-123456789012/cargo/old/"
        protocol = "sparse"

        [registries.other]
        index = "sparse+https://example.com/index/"

        [registry]
        global-credential-providers = ["cargo:token"]

        [source.crates-io]
        replace-with = "vendored"

        # vendored crates
        [source.vendored]
        directory = "vendor"
        rustflags = [
          "-C", # a comment inside an array
          "target-cpu=native",
        ]
        """;

    String written = CargoConfig.login(existing, ENDPOINT, TOKEN_COMMAND);

    assertThat(written).isEqualTo("""
        # my cargo settings
        [build]
        jobs = 4 # half the cores

        [registries.codeartifact]
        index = "sparse+http://127.0.0.1:8080/acme-123456789012/cargo/shared/"
        protocol = "sparse"
        credential-provider = ["cargo:token-from-stdout", "/opt/wharf/wharf", "get-authorization-token", "--domain", \
        "acme", "--endpoint-url", "http://127.0.0.1:8080", "--query", "authorizationToken", "--output", "text"]

        [registries.other]
        index = "sparse+https://example.com/index/"

        [registry]
        global-credential-providers = ["cargo:token"]
        default = "codeartifact"

        [source.crates-io]
        replace-with = "codeartifact"

        # vendored crates
        [source.vendored]
        directory = "vendor"
        rustflags = [
          "-C", # a comment inside an array
          "target-cpu=native",
        ]
        """);
  }

  @Test
  void aSecondLoginChangesNothing() throws Exception {
    String existing = "[net]\ngit-fetch-with-cli = true\n";
    String once = CargoConfig.login(existing, ENDPOINT, TOKEN_COMMAND);

    assertThat(CargoConfig.login(once, ENDPOINT, TOKEN_COMMAND)).isEqualTo(once);
    assertThat(once).startsWith(existing + "\n[registries.codeartifact]\n");
  }

  @Test
  void commandWordsAreQuotedAsTomlStrings() throws Exception {
    List<String> command = List.of("C:\\Program Files\\wharf\\wharf.cmd", "get-authorization-token", "--domain", "a\"b");

    JsonNode provider = toml(CargoConfig.login("", ENDPOINT, command)).at("/registries/codeartifact/credential-provider");

    assertThat(provider).hasSize(5);
    assertThat(provider.get(1).asText()).isEqualTo("C:\\Program Files\\wharf\\wharf.cmd");
    assertThat(provider.get(4).asText()).isEqualTo("a\"b");
  }

  @Test
  void aRegistryWrittenAsAnInlineTableOrADottedKeyIsRefusedNotDuplicated() {
    for (String existing : List.of("registries.codeartifact = { index = \"sparse+https://x/\" }\n",
        "[registries]\ncodeartifact.index = \"sparse+https://x/\"\n", "registry = { default = \"other\" }\n")) {
      assertThatThrownBy(() -> CargoConfig.login(existing, ENDPOINT, TOKEN_COMMAND))
          .as(existing).isInstanceOf(TomlFile.InvalidTomlException.class).hasMessageContaining("make it a [table]");
    }
  }

  @Test
  void aFileThatIsNotTomlIsRefused() {
    assertThatThrownBy(() -> CargoConfig.login("[build\njobs = 4\n", ENDPOINT, TOKEN_COMMAND))
        .isInstanceOf(TomlFile.InvalidTomlException.class).hasMessageStartingWith("it is not valid TOML");
  }

  @Test
  void logoutRemovesTheRegistryAndWhatNamesItAndKeepsTheRest() throws Exception {
    String existing = "# mine\n[build]\njobs = 4\n\n[registry]\nglobal-credential-providers = [\"cargo:token\"]\n";

    String loggedOut = CargoConfig.logout(CargoConfig.login(existing, ENDPOINT, TOKEN_COMMAND), null);

    assertThat(loggedOut).isEqualTo(existing);
    assertThat(CargoConfig.logout(WRITTEN, null)).isEmpty();
  }

  @Test
  void logoutLeavesRegistriesThatAreNotWharfsOrOnAnotherHost() throws Exception {
    String aws = WRITTEN.replace("http://127.0.0.1:8080/acme-123456789012/cargo/shared/",
        "https://acme-123456789012.d.codeartifact.us-east-1.amazonaws.com/cargo/shared/");

    assertThat(CargoConfig.logout(aws, null)).isEqualTo(aws);
    assertThat(CargoConfig.logout(WRITTEN, "wharf.example.com")).isEqualTo(WRITTEN);
    assertThat(CargoConfig.logout(WRITTEN, "127.0.0.1")).isEmpty();
    assertThat(CargoConfig.logout("[registry]\ndefault = \"codeartifact\"\n", null))
        .isEqualTo("[registry]\ndefault = \"codeartifact\"\n");
  }

  @Test
  void wharfRunsAgainThroughItsLauncherWhenItRunsFromTheCheckoutsJar() throws Exception {
    Path target = Files.createDirectories(folder.resolve("checkout/target"));
    Path jar = Files.writeString(target.resolve("wharf.jar"), "jar");
    Path java = Path.of("/jdk/bin/java");

    assertThat(WharfExecutable.command(jar, java, "ignored")).containsExactly(java.toString(), "-jar", jar.toString());
    Path launcher = Files.writeString(folder.resolve("checkout/wharf"), "#!/bin/sh\n");
    launcher.toFile().setExecutable(true);
    assertThat(WharfExecutable.command(jar, java, "ignored")).containsExactly(launcher.toString());
    assertThat(WharfExecutable.command(folder.resolve("classes"), java, "a.jar:b.jar"))
        .containsExactly("/jdk/bin/java", "-cp", "a.jar:b.jar", "dev.wharf.cli.WharfCommand");
  }
}
