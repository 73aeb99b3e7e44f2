package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginYarnrcTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/npm/shared/";

  @TempDir Path home;
  @TempDir Path project;

  @Test
  void aFreshLoginSetsTheRegistryTheTokenAlwaysAuthAndAllowsPlainHttpForTheHost() throws Exception {
    assertThat(YarnrcConfig.login("", ENDPOINT, "k1.secret", null)).isEqualTo("""
        npmRegistryServer: http://127.0.0.1:8080/acme-123456789012/npm/shared/
        npmAuthToken: k1.secret
        npmAlwaysAuth: true
        unsafeHttpWhitelist:
        - 127.0.0.1
        """);
    assertThat(YarnrcConfig.login("", "https://wharf.example/acme-123456789012/npm/shared/", "k1.s", null))
        .doesNotContain("unsafeHttpWhitelist");
  }

  @Test
  void otherSettingsStayAndALoginAgainReplacesTheToken() throws Exception {
    String existing = """
        nodeLinker: node-modules
        unsafeHttpWhitelist:
          - localhost
        npmMinimalAgeGate: 0
        """;
    String first = YarnrcConfig.login(existing, ENDPOINT, "k1.first", null);
    String second = YarnrcConfig.login(first, ENDPOINT, "k1.second", null);

    assertThat(second).isEqualTo("""
        nodeLinker: node-modules
        unsafeHttpWhitelist:
        - localhost
        - 127.0.0.1
        npmMinimalAgeGate: 0
        npmRegistryServer: http://127.0.0.1:8080/acme-123456789012/npm/shared/
        npmAuthToken: k1.second
        npmAlwaysAuth: true
        """);
  }

  @Test
  void namespacesGoUnderNpmScopesAndLogoutRemovesEachWharfLogin() throws Exception {
    String other = ENDPOINT.replace("/shared/", "/tools/");
    String written = YarnrcConfig.login(YarnrcConfig.login("enableTelemetry: false\n", ENDPOINT, "k1.a", "@acme"),
        other, "k1.b", "@tools");

    assertThat(written).isEqualTo("""
        enableTelemetry: false
        npmScopes:
          acme:
            npmRegistryServer: http://127.0.0.1:8080/acme-123456789012/npm/shared/
            npmAuthToken: k1.a
            npmAlwaysAuth: true
          tools:
            npmRegistryServer: http://127.0.0.1:8080/acme-123456789012/npm/tools/
            npmAuthToken: k1.b
            npmAlwaysAuth: true
        unsafeHttpWhitelist:
        - 127.0.0.1
        """);
    assertThat(YarnrcConfig.logout(written, null)).isEqualTo("""
        enableTelemetry: false
        unsafeHttpWhitelist:
        - 127.0.0.1
        """);
    assertThat(YarnrcConfig.logout("npmRegistryServer: https://registry.yarnpkg.com\n", null))
        .isEqualTo("npmRegistryServer: https://registry.yarnpkg.com\n");
  }

  @Test
  void aFileThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> YarnrcConfig.login("- a\n- b\n", ENDPOINT, "k1.t", null))
        .isInstanceOf(YarnrcConfig.InvalidConfigException.class).hasMessageContaining("not a YAML mapping");
  }

  @Test
  void yarnBerryGetsYarnrcYmlAndYarnClassicGetsAnNpmrcWithAlwaysAuthWhateverTheNpm() throws Exception {
    var places = new LoginSetup.Places(home, project, Map.of(), true);
    var berry = LoginSetup.login(LoginTool.YARN, LoginSetup.Scope.project, places, ENDPOINT, "k1.t", null,
        new LoginSetup.NpmTools(11, 4), List.of(), false);
    var classic = LoginSetup.login(LoginTool.YARN, LoginSetup.Scope.user, places, ENDPOINT, "k1.t", null,
        new LoginSetup.NpmTools(11, 1), List.of(), false);
    var npm = LoginSetup.login(LoginTool.NPM, LoginSetup.Scope.user, places, ENDPOINT, "k1.t", null,
        new LoginSetup.NpmTools(11, 1), List.of(), false);

    assertThat(berry.files().getFirst().path()).isEqualTo(project.resolve(".yarnrc.yml"));
    assertThat(berry.files().getFirst().content()).contains("npmAuthToken: k1.t");
    assertThat(classic.files().getFirst().path()).isEqualTo(home.resolve(".npmrc"));
    assertThat(classic.files().getFirst().content()).contains(":always-auth=true\n");
    assertThat(classic.notes()).anyMatch(note -> note.contains("npm 11 does not know the key"));
    assertThat(npm.files().getFirst().content()).doesNotContain("always-auth");
  }
}
