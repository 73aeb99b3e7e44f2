package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginPypircTest {
  static final String ENDPOINT = "https://wharf.example.com/acme-123456789012/pypi/shared/";

  @Test
  void aFreshLoginListsPypiAndCodeartifactAndWritesTheServer() {
    assertThat(PypircConfig.login("", ENDPOINT, "k1.t")).isEqualTo("""
        [distutils]
        index-servers =
            pypi
            codeartifact

        [codeartifact]
        repository = https://wharf.example.com/acme-123456789012/pypi/shared/
        username = aws
        password = k1.t
        """);
  }

  @Test
  void otherServersAreKeptAndARepeatedLoginReplacesThePassword() {
    String existing = """
        [distutils]
        index-servers =
          pypi
          testpypi

        [pypi]
        username = __token__
        password = pypi-abc

        [testpypi]
        repository: https://test.pypi.org/legacy/
        """;
    String again = PypircConfig.login(PypircConfig.login(existing, ENDPOINT, "k1.a"), ENDPOINT, "k1.b");

    assertThat(again).isEqualTo("""
        [distutils]
        index-servers =
          pypi
          testpypi
          codeartifact

        [pypi]
        username = __token__
        password = pypi-abc

        [testpypi]
        repository: https://test.pypi.org/legacy/

        [codeartifact]
        repository = https://wharf.example.com/acme-123456789012/pypi/shared/
        username = aws
        password = k1.b
        """);
  }

  @Test
  void logoutRemovesTheServerAndItsIndexEntryAndRestoresTheRest() {
    String existing = """
        [distutils]
        index-servers =
            pypi
            testpypi

        [pypi]
        username = __token__
        password = pypi-abc

        [testpypi]
        repository: https://test.pypi.org/legacy/
        """;

    assertThat(PypircConfig.logout(PypircConfig.login(existing, ENDPOINT, "k1.t"), null)).isEqualTo(existing);
  }

  @Test
  void logoutForAnotherHostKeepsTheServer() {
    String loggedIn = PypircConfig.login("", ENDPOINT, "k1.t");

    assertThat(PypircConfig.logout(loggedIn, "other.example.com")).isEqualTo(loggedIn);
    assertThat(PypircConfig.logout(loggedIn, "wharf.example.com")).doesNotContain("codeartifact");
  }

  @Test
  void aSectionInTheMiddleIsRemovedWithoutGluingItsNeighbours() {
    String text = """
        [distutils]
        index-servers =
            codeartifact
            pypi

        [codeartifact]
        repository = https://wharf.example.com/acme-123456789012/pypi/shared/
        password = x

        [pypi]
        username = __token__
        """;

    assertThat(PypircConfig.logout(text, null)).isEqualTo("""
        [distutils]
        index-servers =
            pypi

        [pypi]
        username = __token__
        """);
  }
}
