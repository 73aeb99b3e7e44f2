package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.Test;

/**
 * uv.toml as uv documents a named index (uv is not installed here, so the file is checked against that format:
 * {@code [[index]]} with name, url, publish-url and default, credentials from UV_INDEX_<NAME>_USERNAME/_PASSWORD).
 */
class LoginUvConfigTest {
  static final String ENDPOINT = "https://wharf.example.com/acme-123456789012/pypi/shared/";

  @Test
  void theIndexIsUvsDefaultWithItsPublishUrlAndNoToken() throws Exception {
    String text = UvConfig.login("", ENDPOINT);

    assertThat(text).isEqualTo("""
        [[index]]
        name = "codeartifact"
        url = "https://wharf.example.com/acme-123456789012/pypi/shared/simple/"
        publish-url = "https://wharf.example.com/acme-123456789012/pypi/shared/"
        default = true
        """);
    JsonNode index = new TomlMapper().readTree(text).path("index").get(0);
    assertThat(index.path("default").asBoolean()).isTrue();
    assertThat(UvConfig.credentialVariable(UvConfig.INDEX, "PASSWORD")).isEqualTo("UV_INDEX_CODEARTIFACT_PASSWORD");
    assertThat(UvConfig.credentialVariable("internal-proxy.eu", "USERNAME")).isEqualTo("UV_INDEX_INTERNAL_PROXY_EU_USERNAME");
  }

  @Test
  void otherSettingsAndIndexesSurviveAndARepeatedLoginReplacesItsOwnIndex() throws Exception {
    String existing = """
        # team settings
        native-tls = true

        [[index]]
        name = "mirror"
        url = "https://mirror.example.com/simple/"

        [pip]
        index-strategy = "first-index"
        """;
    String again = UvConfig.login(UvConfig.login(existing, "http://old.example.com/acme-123456789012/pypi/old/"), ENDPOINT);

    assertThat(again).startsWith(existing.strip()).containsOnlyOnce("name = \"codeartifact\"")
        .contains("url = \"" + ENDPOINT + "simple/\"").doesNotContain("old.example.com");
    assertThat(UvConfig.logout(again, "wharf.example.com")).isEqualTo(existing);
    assertThat(UvConfig.logout(again, "elsewhere.example.com")).isEqualTo(again);
  }

  @Test
  void anIndexOfTheSameNameWrittenInlineIsRefusedRatherThanDuplicated() {
    assertThatThrownBy(() -> UvConfig.login("index = [{ name = \"codeartifact\", url = \"https://x/simple/\" }]\n", ENDPOINT))
        .isInstanceOf(UvConfig.InvalidConfigException.class).hasMessageContaining("[[index]]");
    assertThatThrownBy(() -> UvConfig.login("not = = toml\n", ENDPOINT))
        .isInstanceOf(UvConfig.InvalidConfigException.class).hasMessageContaining("not valid TOML");
  }
}
