package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoginNugetConfigTest {
  static final String ENDPOINT = "http://wharf.example.com:8080/acme-123456789012/nuget/shared/";

  @Test
  void theSourceIsNamedDomainSlashRepositoryAsAwsCodeartifactLoginNamesIt() {
    assertThat(NugetConfig.sourceName(ENDPOINT)).isEqualTo("acme/shared");
    assertThat(NugetConfig.encodedName("acme/shared")).isEqualTo("acme_x002F_shared");
    assertThat(NugetConfig.encodedName("my-domain/repo.1")).isEqualTo("my-domain_x002F_repo.1");
  }

  @Test
  void anEmptyConfigGetsTheSourceAndItsCredentials() throws Exception {
    assertThat(NugetConfig.login("", ENDPOINT, "k1.token")).isEqualTo("""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="acme/shared" value="http://wharf.example.com:8080/acme-123456789012/nuget/shared/v3/index.json"/>
          </packageSources>
          <packageSourceCredentials>
            <acme_x002F_shared>
              <add key="Username" value="aws"/>
              <add key="ClearTextPassword" value="k1.token"/>
            </acme_x002F_shared>
          </packageSourceCredentials>
        </configuration>
        """);
  }

  @Test
  void aNewLoginReplacesTheSourceAndKeepsEverythingElse() throws Exception {
    String existing = """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- mine -->
        <configuration>
          <packageSources>
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json"/>
          </packageSources>
          <config>
            <add key="globalPackagesFolder" value="/cache"/>
          </config>
        </configuration>
        """;

    String first = NugetConfig.login(existing, ENDPOINT, "k1.old");
    String second = NugetConfig.login(first, ENDPOINT, "k1.new");

    assertThat(second).contains("<!-- mine -->", "key=\"nuget.org\"", "globalPackagesFolder", "value=\"k1.new\"")
        .doesNotContain("k1.old");
    assertThat(second.split("key=\"acme/shared\"", -1)).hasSize(2);
    assertThat(NugetConfig.logout(second, "wharf.example.com")).isEqualTo(existing);
    assertThat(NugetConfig.logout(second, "other.example.com")).isEqualTo(second);
    assertThat(NugetConfig.logout(second, null)).isEqualTo(existing);
  }

  @Test
  void aFileThatIsNotANugetConfigIsLeftAlone() {
    assertThatThrownBy(() -> NugetConfig.login("<settings/>", ENDPOINT, "t"))
        .isInstanceOf(NugetConfig.InvalidConfigException.class).hasMessageContaining("<configuration>");
    assertThatThrownBy(() -> NugetConfig.login("<configuration>", ENDPOINT, "t"))
        .isInstanceOf(NugetConfig.InvalidConfigException.class);
  }
}
