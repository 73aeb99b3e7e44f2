package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginGradlePropertiesTest {
  static final String ENDPOINT = "http://127.0.0.1:8080/acme-123456789012/maven/shared/";

  @Test
  void theUrlIsWrittenBesideTheOtherPropertiesAndReplacedOnTheNextLogin() {
    String existing = "org.gradle.jvmargs=-Xmx2g\ncodeartifactUrl = http://old/\norg.gradle.caching=true\n";

    String written = GradleProperties.login(GradleProperties.login(existing, "http://other/"), ENDPOINT);

    assertThat(written).isEqualTo("org.gradle.jvmargs=-Xmx2g\ncodeartifactUrl=" + ENDPOINT + "\norg.gradle.caching=true\n")
        .doesNotContain("aws:");
  }

  @Test
  void logoutRemovesTheUrlOnly() {
    String existing = "org.gradle.jvmargs=-Xmx2g\n";

    assertThat(GradleProperties.logout(GradleProperties.login(existing, ENDPOINT))).isEqualTo(existing);
    assertThat(GradleProperties.logout("codeartifactUrlOld=x\n")).isEqualTo("codeartifactUrlOld=x\n");
  }
}
