package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginPoetryConfigTest {
  static final String ENDPOINT = "https://wharf.example.com/acme-123456789012/pypi/shared/";

  @Test
  void theRepositoryAndItsCredentialsAreTablesAsPoetryConfigWritesThemAndOtherSettingsSurvive() throws Exception {
    String config = "# mine\n[virtualenvs]\nin-project = true\n";
    String auth = "[http-basic.other]\nusername = \"me\"\npassword = \"secret\"\n";

    String repository = PoetryConfig.loginRepository(config, ENDPOINT);
    String credentials = PoetryConfig.loginCredentials(PoetryConfig.loginCredentials(auth, "k1.a"), "k1.b");

    assertThat(repository).isEqualTo(config + "\n[repositories.codeartifact]\nurl = \"" + ENDPOINT + "\"\n");
    assertThat(credentials).isEqualTo(auth + "\n[http-basic.codeartifact]\nusername = \"aws\"\npassword = \"k1.b\"\n");
    assertThat(PoetryConfig.logoutRepository(repository, "wharf.example.com")).isEqualTo(config);
    assertThat(PoetryConfig.logoutRepository(repository, "elsewhere.example.com")).isEqualTo(repository);
    assertThat(PoetryConfig.logoutCredentials(credentials)).isEqualTo(auth);
  }
}
