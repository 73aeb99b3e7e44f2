package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wharf login --tool pip|poetry --keyring}: no token in any file, wharf-keyring's keyring.json instead. */
class LoginKeyringTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/pypi/shared/";
  static final List<String> TOKEN_COMMAND = List.of("/opt/wharf/wharf", "get-authorization-token", "--domain", "acme",
      "--endpoint-url", "http://127.0.0.1:8080", "--output", "json");
  static final String KEYRING_JSON = """
      {
        "endpoints" : [ {
          "url" : "http://127.0.0.1:8080/acme-123456789012/pypi/shared/",
          "command" : [ "/opt/wharf/wharf", "get-authorization-token", "--domain", "acme", "--endpoint-url", \
      "http://127.0.0.1:8080", "--output", "json" ]
        } ]
      }
      """;

  @TempDir Path home;
  @TempDir Path project;

  LoginSetup.Places places() {
    return new LoginSetup.Places(home, project, Map.of(), true);
  }

  LoginSetup.Plan keyringLogin(LoginTool tool) throws Exception {
    return LoginSetup.keyringLogin(tool, LoginSetup.Scope.user, places(), ENDPOINT, TOKEN_COMMAND, false, "/src/wharf-keyring");
  }

  static String content(LoginSetup.Plan plan, Path file) {
    return plan.files().stream().filter(change -> change.path().equals(file)).findFirst().orElseThrow().content();
  }

  @Test
  void keyringJsonListsTheEndpointWithItsCommandAndALaterLoginReplacesTheEntry() throws Exception {
    String written = KeyringConfig.login("", ENDPOINT, TOKEN_COMMAND);
    assertThat(written).isEqualTo(KEYRING_JSON);

    String other = ENDPOINT.replace("shared", "other");
    String two = KeyringConfig.login(written, other, TOKEN_COMMAND);
    assertThat(KeyringConfig.login(two, ENDPOINT, TOKEN_COMMAND)).isEqualTo(two);
    var replaced = new ObjectMapper().readTree(KeyringConfig.login(two, ENDPOINT, List.of("aws", "codeartifact")));
    assertThat(replaced.get("endpoints")).hasSize(2);
    assertThat(replaced.at("/endpoints/0/url").asText()).isEqualTo(ENDPOINT);
    assertThat(replaced.at("/endpoints/0/command").toString()).isEqualTo("[\"aws\",\"codeartifact\"]");
    assertThat(replaced.at("/endpoints/1/url").asText()).isEqualTo(other);
  }

  @Test
  void logoutRemovesTheWharfEndpointsOfTheHostAndTheFileWhenNothingElseIsLeft() throws Exception {
    String withOther = KeyringConfig.login(KEYRING_JSON, "https://pypi.example.com/simple/", List.of("printer"));
    String otherHost = KeyringConfig.login(withOther, "http://wharf.example.com/acme-123456789012/pypi/shared/", TOKEN_COMMAND);

    assertThat(KeyringConfig.logout(otherHost, "127.0.0.1")).doesNotContain("127.0.0.1:8080/acme")
        .contains("https://pypi.example.com/simple/").contains("wharf.example.com");
    assertThat(KeyringConfig.logout(KEYRING_JSON, null)).isEmpty();
    assertThat(KeyringConfig.logout("{\"mine\": 1, \"endpoints\": []}", null)).contains("\"mine\" : 1");
  }

  @Test
  void aKeyringJsonThatIsNotTheBackendsShapeIsRefused() {
    assertThatThrownBy(() -> KeyringConfig.login("{", ENDPOINT, TOKEN_COMMAND))
        .isInstanceOf(KeyringConfig.InvalidConfigException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> KeyringConfig.login("{\"endpoints\": {}}", ENDPOINT, TOKEN_COMMAND))
        .isInstanceOf(KeyringConfig.InvalidConfigException.class).hasMessageContaining("not a list");
  }

  @Test
  void pipGetsTheIndexWithTheUserAloneAndTheSubprocessKeyringInPlaceOfALoginWithAToken() throws Exception {
    LoginSetup.apply(LoginSetup.login(LoginTool.PIP, LoginSetup.Scope.user, places(), ENDPOINT, "k1.token", null,
        LoginSetup.NpmTools.UNKNOWN, List.of(), false));

    LoginSetup.Plan plan = keyringLogin(LoginTool.PIP);

    assertThat(content(plan, home.resolve(".config/pip/pip.conf"))).isEqualTo("[global]\n"
        + "index-url = http://aws@127.0.0.1:8080/acme-123456789012/pypi/shared/simple/\nkeyring-provider = subprocess\n");
    assertThat(content(plan, home.resolve(".config/wharf/keyring.json"))).isEqualTo(KEYRING_JSON);
    assertThat(String.join("\n", plan.notes())).contains("pipx install keyring && pipx inject keyring /src/wharf-keyring")
        .contains("  /opt/wharf/wharf get-authorization-token --domain acme").doesNotContain("k1.token");
  }

  @Test
  void pipWithAnExtraIndexGetsTheEntryWithTheUserAloneAndTheRiskNotes() throws Exception {
    LoginSetup.Plan plan = LoginSetup.keyringLogin(LoginTool.PIP, LoginSetup.Scope.user, places(), ENDPOINT, TOKEN_COMMAND,
        true, "/src/wharf-keyring");

    assertThat(content(plan, home.resolve(".config/pip/pip.conf"))).contains(
        "extra-index-url = http://aws@127.0.0.1:8080/acme-123456789012/pypi/shared/simple/\n");
    assertThat(String.join("\n", plan.notes())).contains("Risk (dependency confusion)");
  }

  @Test
  void poetryLosesItsStoredTokenAndGetsTheRepositoryAndTheEndpointInKeyringJson() throws Exception {
    LoginSetup.apply(LoginSetup.login(LoginTool.POETRY, LoginSetup.Scope.user, places(), ENDPOINT, "k1.token", null,
        LoginSetup.NpmTools.UNKNOWN, List.of(), false));

    LoginSetup.Plan plan = keyringLogin(LoginTool.POETRY);
    LoginSetup.apply(plan);

    assertThat(home.resolve(".config/pypoetry/auth.toml")).doesNotExist();
    assertThat(Files.readString(home.resolve(".config/pypoetry/config.toml"))).contains("url = \"" + ENDPOINT + "\"");
    assertThat(Files.readString(home.resolve(".config/wharf/keyring.json"))).isEqualTo(KEYRING_JSON);
    assertThat(String.join("\n", plan.notes())).contains("PYTHON_KEYRING_BACKEND=wharf_keyring.WharfKeyring")
        .contains("poetry source add --default codeartifact " + ENDPOINT + "simple/").doesNotContain("k1.token");
  }

  @Test
  void onlyPipAndPoetryAskKeyring() {
    assertThatThrownBy(() -> keyringLogin(LoginTool.TWINE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pip and poetry only");
  }

  @Test
  void logoutOfPipRemovesTheIndexAndTheKeyringEntry() throws Exception {
    LoginSetup.apply(keyringLogin(LoginTool.PIP));

    LoginSetup.apply(LoginSetup.logout(LoginTool.PIP, LoginSetup.Scope.user, places(), null));

    assertThat(Files.readString(home.resolve(".config/pip/pip.conf"))).doesNotContain("index-url");
    assertThat(home.resolve(".config/wharf/keyring.json")).doesNotExist();
  }

  @Test
  void keyringJsonIsWhereTheBackendLooks() {
    assertThat(places().keyringConfig()).isEqualTo(home.resolve(".config/wharf/keyring.json"));
    assertThat(new LoginSetup.Places(home, project, Map.of("XDG_CONFIG_HOME", "/xdg"), false).keyringConfig())
        .isEqualTo(Path.of("/xdg/wharf/keyring.json"));
    assertThat(new LoginSetup.Places(home, project, Map.of("WHARF_KEYRING_CONFIG", "/etc/k.json"), false).keyringConfig())
        .isEqualTo(Path.of("/etc/k.json"));
  }
}
