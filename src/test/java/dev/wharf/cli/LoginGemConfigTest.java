package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoginGemConfigTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/ruby/shared/";
  static final String CREDENTIALS = """
      ---
      "http://127.0.0.1:8080/acme-123456789012/ruby/shared/": "Bearer k1.token"
      "http://127.0.0.1:8080/acme-123456789012/ruby/shared": "Bearer k1.token"
      """;

  @Test
  void theKeyIsStoredUnderTheEndpointWithAndWithoutItsSlashAsGemPushHostLooksItUp() throws Exception {
    assertThat(GemConfig.loginCredentials("", ENDPOINT, "k1.token")).isEqualTo(CREDENTIALS);
  }

  @Test
  void otherKeysStayWithTheirSymbolsAndANewTokenReplacesTheOldOne() throws Exception {
    String existing = """
        ---
        :rubygems_api_key: rubygems_0123
        "http://127.0.0.1:8080/acme-123456789012/ruby/shared/": Bearer k1.old
        :github: Bearer ghp_abc
        """;

    assertThat(GemConfig.loginCredentials(existing, ENDPOINT, "k1.token")).isEqualTo("""
        ---
        :rubygems_api_key: "rubygems_0123"
        "http://127.0.0.1:8080/acme-123456789012/ruby/shared/": "Bearer k1.token"
        :github: "Bearer ghp_abc"
        "http://127.0.0.1:8080/acme-123456789012/ruby/shared": "Bearer k1.token"
        """);
  }

  @Test
  void aSecondLoginChangesNothing() throws Exception {
    String gemrc = GemConfig.loginGemrc("gem: --no-document\n", ENDPOINT, "k1.token");

    assertThat(GemConfig.loginGemrc(gemrc, ENDPOINT, "k1.token")).isEqualTo(gemrc);
    assertThat(GemConfig.loginCredentials(CREDENTIALS, ENDPOINT, "k1.token")).isEqualTo(CREDENTIALS);
  }

  @Test
  void theSourceWithTheTokenHeadsTheSourcesInPlaceOfEarlierWharfSourcesAndTheRestStays() throws Exception {
    String existing = """
        ---
        # comments are lost
        :backtrace: false
        :bulk_threshold: 1000
        :verbose: :really
        :sources:
        - https://rubygems.org/
        - http://aws:k1.old@wharf.example.com/acme-123456789012/ruby/other/
        gem: --no-document --env-shebang
        install: "--user-install"
        :concurrent_downloads: 8
        """;

    assertThat(GemConfig.loginGemrc(existing, ENDPOINT, "k1.token")).isEqualTo("""
        ---
        :backtrace: false
        :bulk_threshold: 1000
        :verbose: :really
        :sources:
        - "http://aws:k1.token@127.0.0.1:8080/acme-123456789012/ruby/shared/"
        - "https://rubygems.org/"
        gem: "--no-document --env-shebang"
        install: "--user-install"
        :concurrent_downloads: 8
        """);
    assertThat(GemConfig.otherSourcesForDisplay(GemConfig.loginGemrc(existing, ENDPOINT, "k1.token")))
        .containsExactly("https://rubygems.org/");
  }

  @Test
  void anEmptyGemrcGetsTheRepositoryAsItsOnlySource() throws Exception {
    assertThat(GemConfig.loginGemrc("", ENDPOINT, "k1.token"))
        .isEqualTo("---\n:sources:\n- \"http://aws:k1.token@127.0.0.1:8080/acme-123456789012/ruby/shared/\"\n");
  }

  @Test
  void logoutRemovesWharfsKeysAndSourcesAndLeavesTheRest() throws Exception {
    String credentials = "---\n:rubygems_api_key: \"rubygems_0123\"\n";
    String gemrc = "---\n:sources:\n- \"https://rubygems.org/\"\ngem: \"--no-document\"\n";

    assertThat(GemConfig.logoutCredentials(GemConfig.loginCredentials(credentials, ENDPOINT, "k1.t"), null))
        .isEqualTo(credentials);
    assertThat(GemConfig.logoutGemrc(GemConfig.loginGemrc(gemrc, ENDPOINT, "k1.t"), null)).isEqualTo(gemrc);
    assertThat(GemConfig.logoutGemrc(GemConfig.loginGemrc("gem: \"--no-document\"\n", ENDPOINT, "k1.t"), null))
        .as(":sources: left empty goes, so gem's default source is back").isEqualTo("---\ngem: \"--no-document\"\n");
    assertThat(GemConfig.logoutCredentials(CREDENTIALS, null)).isEmpty();
  }

  @Test
  void logoutLeavesWhatIsNotWharfsOrOnAnotherHostUntouched() throws Exception {
    String aws = """
        :sources:
        - https://aws:tok@acme-123456789012.d.codeartifact.us-east-1.amazonaws.com/ruby/shared/
        """;
    String written = GemConfig.loginGemrc("", ENDPOINT, "k1.t");

    assertThat(GemConfig.logoutGemrc(aws, null)).isEqualTo(aws);
    assertThat(GemConfig.logoutGemrc(written, "wharf.example.com")).isEqualTo(written);
    assertThat(GemConfig.logoutGemrc(written, "127.0.0.1:8080")).isEmpty();
    assertThat(GemConfig.logoutCredentials(CREDENTIALS, "wharf.example.com")).isEqualTo(CREDENTIALS);
    assertThat(GemConfig.logoutCredentials("# only a comment\n", null)).isEqualTo("# only a comment\n");
  }

  @Test
  void stringsThatYamlWouldReadAsSomethingElseStayQuoted() throws Exception {
    String written = GemConfig.loginCredentials("---\n\"yes\": \"on\"\nempty:\nlist: []\nnested:\n  a: \"1.0\"\n",
        ENDPOINT, "k1.t");

    assertThat(written).startsWith("---\n\"yes\": \"on\"\nempty: null\nlist: []\nnested:\n  a: \"1.0\"\n");
  }

  @Test
  void aFileThatIsNotAYamlMappingIsRefused() {
    for (String existing : List.of("- a\n- b\n", "key: [unclosed\n")) {
      assertThatThrownBy(() -> GemConfig.loginGemrc(existing, ENDPOINT, "k1.t"))
          .as(existing).isInstanceOf(GemConfig.InvalidConfigException.class);
    }
  }
}
