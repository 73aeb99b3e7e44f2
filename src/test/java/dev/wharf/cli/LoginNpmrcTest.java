package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoginNpmrcTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/npm/shared/";

  @Test
  void aFreshLoginWritesTheRegistryAndTheTokenForTheEndpointWithoutItsScheme() {
    assertThat(NpmrcConfig.login("", ENDPOINT, "k1.secret", null, true)).isEqualTo("""
        registry=http://127.0.0.1:8080/acme-123456789012/npm/shared/
        //127.0.0.1:8080/acme-123456789012/npm/shared/:_authToken=k1.secret
        //127.0.0.1:8080/acme-123456789012/npm/shared/:always-auth=true
        """);
  }

  @Test
  void alwaysAuthIsLeftOutWhenNpmWouldRejectIt() {
    assertThat(NpmrcConfig.login("", ENDPOINT, "k1.secret", null, false)).doesNotContain("always-auth");
  }

  @Test
  void otherLinesAreKeptInPlaceAndOurLinesAreReplacedNotDuplicated() {
    String existing = """
        # my settings
        fund=false
        registry=https://registry.npmjs.org/
        //registry.npmjs.org/:_authToken=npm_abc
        """;
    String first = NpmrcConfig.login(existing, ENDPOINT, "k1.first", null, true);
    String second = NpmrcConfig.login(first, ENDPOINT, "k1.second", null, true);

    assertThat(second).isEqualTo("""
        # my settings
        fund=false
        registry=http://127.0.0.1:8080/acme-123456789012/npm/shared/
        //registry.npmjs.org/:_authToken=npm_abc
        //127.0.0.1:8080/acme-123456789012/npm/shared/:_authToken=k1.second
        //127.0.0.1:8080/acme-123456789012/npm/shared/:always-auth=true
        """);
  }

  @Test
  void aNamespaceSetsTheScopedRegistryAndLeavesTheDefaultRegistryAlone() {
    String written = NpmrcConfig.login("registry=https://registry.npmjs.org/\n", ENDPOINT, "k1.t",
        NpmrcConfig.scope("acme"), false);

    assertThat(written).isEqualTo("""
        registry=https://registry.npmjs.org/
        @acme:registry=http://127.0.0.1:8080/acme-123456789012/npm/shared/
        //127.0.0.1:8080/acme-123456789012/npm/shared/:_authToken=k1.t
        """);
    assertThat(NpmrcConfig.scope("@acme")).isEqualTo("@acme");
  }

  @Test
  void aNamespaceNpmCouldNotUseIsRefused() {
    assertThatThrownBy(() -> NpmrcConfig.scope("_private")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid scope name");
  }

  @Test
  void logoutRemovesWharfRegistriesAndCredentialsAndRestoresTheRest() {
    String existing = """
        fund=false
        //registry.npmjs.org/:_authToken=npm_abc
        """;
    String loggedIn = NpmrcConfig.login(NpmrcConfig.login(existing, ENDPOINT, "k1.t", null, true), ENDPOINT, "k1.u",
        NpmrcConfig.scope("acme"), true);

    assertThat(NpmrcConfig.logout(loggedIn, null)).isEqualTo(existing);
  }

  @Test
  void logoutForAnotherHostLeavesTheLoginInPlace() {
    String loggedIn = NpmrcConfig.login("", ENDPOINT, "k1.t", null, true);

    assertThat(NpmrcConfig.logout(loggedIn, "wharf.example.com")).isEqualTo(loggedIn);
    assertThat(NpmrcConfig.logout(loggedIn, "127.0.0.1")).isEmpty();
    assertThat(NpmrcConfig.logout(loggedIn, "127.0.0.1:8080")).isEmpty();
  }

  @Test
  void logoutFindsEndpointsBehindAPublicUrlWithAPath() {
    String endpoint = "https://tools.example.com/wharf/acme-123456789012/npm/shared/";

    assertThat(NpmrcConfig.logout(NpmrcConfig.login("fund=false\n", endpoint, "k1.t", null, true), null))
        .isEqualTo("fund=false\n");
  }

  @Test
  void logoutLeavesRegistriesThatAreNotWharfEndpoints() {
    String other = """
        registry=https://acme-123456789012.d.codeartifact.us-east-1.amazonaws.com/npm/shared/
        //acme-123456789012.d.codeartifact.us-east-1.amazonaws.com/npm/shared/:_authToken=aws
        """;

    assertThat(NpmrcConfig.logout(other, null)).isEqualTo(other);
  }

  @Test
  void defaultPortsAreNeverWrittenIntoUrls() {
    assertThat(LoginUrls.withoutDefaultPort("https://wharf.example.com:443/acme-123456789012/npm/shared/"))
        .isEqualTo("https://wharf.example.com/acme-123456789012/npm/shared/");
    assertThat(LoginUrls.withoutDefaultPort("http://wharf.example.com:80/acme-123456789012/npm/shared/"))
        .isEqualTo("http://wharf.example.com/acme-123456789012/npm/shared/");
    assertThat(LoginUrls.withoutDefaultPort("http://wharf.example.com:8443/x/")).isEqualTo("http://wharf.example.com:8443/x/");
  }
}
