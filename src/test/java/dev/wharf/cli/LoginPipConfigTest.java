package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginPipConfigTest {
  static final String ENDPOINT = "https://wharf.example.com/acme-123456789012/pypi/shared/";

  @Test
  void theIndexUrlCarriesTheTokenAsThePasswordOfUserAws() {
    assertThat(PipConfig.login("", ENDPOINT, "k1.t")).isEqualTo("""
        [global]
        index-url = https://aws:k1.t@wharf.example.com/acme-123456789012/pypi/shared/simple/
        """);
  }

  @Test
  void otherSettingsAndSectionsAreKeptAndARepeatedLoginReplacesTheIndexUrl() {
    String existing = """
        # team defaults
        [global]
        timeout = 60
        index_url = https://pypi.org/simple/

        [install]
        no-cache-dir = true
        """;
    String again = PipConfig.login(PipConfig.login(existing, ENDPOINT, "k1.a"), ENDPOINT, "k1.b");

    assertThat(again).isEqualTo("""
        # team defaults
        [global]
        timeout = 60
        index-url = https://aws:k1.b@wharf.example.com/acme-123456789012/pypi/shared/simple/

        [install]
        no-cache-dir = true
        """);
  }

  @Test
  void theGlobalSectionIsAddedAfterOtherSections() {
    assertThat(PipConfig.login("[install]\nno-cache-dir = true\n", ENDPOINT, "k1.t")).isEqualTo("""
        [install]
        no-cache-dir = true

        [global]
        index-url = https://aws:k1.t@wharf.example.com/acme-123456789012/pypi/shared/simple/
        """);
  }

  @Test
  void logoutRemovesAWharfIndexUrlAndRestoresTheRest() {
    String existing = """
        [global]
        timeout = 60

        [install]
        no-cache-dir = true
        """;

    assertThat(PipConfig.logout(PipConfig.login(existing, ENDPOINT, "k1.t"), null)).isEqualTo(existing);
    assertThat(PipConfig.logout(PipConfig.login("", ENDPOINT, "k1.t"), null)).isEmpty();
  }

  @Test
  void logoutKeepsAnIndexUrlThatIsNotWharfs() {
    String other = "[global]\nindex-url = https://pypi.org/simple/\n";

    assertThat(PipConfig.logout(other, null)).isEqualTo(other);
  }

  @Test
  void anExtraIndexKeepsTheIndexUrlAndTheOtherExtraIndexesAndARepeatedLoginReplacesItsOwnEntry() {
    String existing = """
        [global]
        index-url = https://pypi.org/simple/
        extra-index-url =
            https://mirror.example.com/simple/
        timeout = 60
        """;
    String again = PipConfig.loginExtraIndex(PipConfig.loginExtraIndex(existing, ENDPOINT, "k1.a"), ENDPOINT, "k1.b");

    assertThat(again).isEqualTo("""
        [global]
        index-url = https://pypi.org/simple/
        extra-index-url =
            https://mirror.example.com/simple/
            https://aws:k1.b@wharf.example.com/acme-123456789012/pypi/shared/simple/
        timeout = 60
        """);
    assertThat(PipConfig.logout(again, null)).isEqualTo(existing);
  }

  @Test
  void anExtraIndexAloneIsOneLineAndLogoutRemovesTheEntry() {
    String login = PipConfig.loginExtraIndex("[install]\nno-cache-dir = true\n", ENDPOINT, "k1.t");
    assertThat(login).isEqualTo("""
        [install]
        no-cache-dir = true

        [global]
        extra-index-url = https://aws:k1.t@wharf.example.com/acme-123456789012/pypi/shared/simple/
        """);
    assertThat(PipConfig.logout(login, "wharf.example.com")).isEqualTo("[install]\nno-cache-dir = true\n");
  }
}
