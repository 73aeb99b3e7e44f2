package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoginBundlerConfigTest {
  static final String ENDPOINT = "http://wharf-1.example.com:8080/acme-123456789012/ruby/shared/";

  @Test
  void theKeyIsTheHostWithoutItsPortAsBundlerSpellsIt() {
    assertThat(BundlerConfig.key(ENDPOINT)).isEqualTo("BUNDLE_WHARF___1__EXAMPLE__COM");
    assertThat(BundlerConfig.key("http://127.0.0.1:1234/acme-123456789012/ruby/gems/")).isEqualTo("BUNDLE_127__0__0__1");
    assertThat(BundlerConfig.host("BUNDLE_WHARF___1__EXAMPLE__COM")).isEqualTo("wharf-1.example.com");
  }

  @Test
  void anEmptyConfigGetsTheCredential() {
    assertThat(BundlerConfig.login("", ENDPOINT, "k1.token"))
        .isEqualTo("---\nBUNDLE_WHARF___1__EXAMPLE__COM: \"aws:k1.token\"\n");
  }

  @Test
  void theOtherLinesStayAndANewTokenReplacesTheOldOneInPlace() {
    String existing = """
        ---
        BUNDLE_PATH: "vendor/bundle"
        BUNDLE_WHARF___1__EXAMPLE__COM: "aws:k1.old"
        BUNDLE_MIRROR__HTTPS://RUBYGEMS__ORG/: "https://mirror.example.com"
        BUNDLE_WITHOUT: "development:test"
        """;

    String written = BundlerConfig.login(existing, ENDPOINT, "k1.token");

    assertThat(written).isEqualTo(existing.replace("aws:k1.old", "aws:k1.token"));
    assertThat(BundlerConfig.login(written, ENDPOINT, "k1.token")).isEqualTo(written);
  }

  @Test
  void logoutRemovesTheCredentialAndLeavesTheRest() {
    String existing = "---\nBUNDLE_PATH: \"vendor/bundle\"\n";

    assertThat(BundlerConfig.logout(BundlerConfig.login(existing, ENDPOINT, "k1.t"), null)).isEqualTo(existing);
    assertThat(BundlerConfig.logout(BundlerConfig.login("", ENDPOINT, "k1.t"), null)).isEmpty();
  }

  @Test
  void logoutLeavesOtherCredentialsAndOtherHosts() {
    String others = """
        ---
        BUNDLE_GEMS__EXAMPLE__COM: "user:secret"
        BUNDLE_ACME___123456789012__D__CODEARTIFACT__US___EAST___1__AMAZONAWS__COM: "aws:eyJ2"
        """;
    String written = BundlerConfig.login(others, ENDPOINT, "k1.t");

    assertThat(BundlerConfig.logout(others, null)).isEqualTo(others);
    assertThat(BundlerConfig.logout(written, "other.example.com")).isEqualTo(written);
    assertThat(BundlerConfig.logout(written, "wharf-1.example.com:8080")).isEqualTo(others);
  }

  @Test
  void aTokenBundlersFileCannotHoldIsRefused() {
    assertThatThrownBy(() -> BundlerConfig.login("", ENDPOINT, "k1.\"x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
