package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoginMavenSettingsTest {
  static final String SETTINGS = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!-- the team's settings -->
      <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
        <localRepository>/data/m2</localRepository>
        <servers>
          <server>
            <id>internal</id>
            <username>deploy</username>
            <password>secret</password>
          </server>
        </servers>
      </settings>
      """;

  @Test
  void withoutASettingsFileAMinimalValidOneIsWritten() throws Exception {
    String written = MavenSettings.login("");

    assertThat(written).startsWith("<?xml").contains("<id>codeartifact</id>", "<username>aws</username>",
        "<password>${env.CODEARTIFACT_AUTH_TOKEN}</password>");
    assertThat(MavenSettings.login(written)).isEqualTo(written);
  }

  @Test
  void theServerIsAddedBesideTheOthersInTheDocumentsNamespaceAndTheRestIsKept() throws Exception {
    String written = MavenSettings.login(SETTINGS);

    assertThat(written).isEqualTo("""
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- the team's settings -->
        <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
          <localRepository>/data/m2</localRepository>
          <servers>
            <server>
              <id>internal</id>
              <username>deploy</username>
              <password>secret</password>
            </server>
            <server>
              <id>codeartifact</id>
              <username>aws</username>
              <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>
            </server>
          </servers>
        </settings>
        """);
  }

  @Test
  void aRepeatedLoginUpdatesTheServerInsteadOfAddingAnother() throws Exception {
    String stale = MavenSettings.login(SETTINGS).replace("<username>aws</username>", "<username>someone</username>");

    String again = MavenSettings.login(stale);

    assertThat(again).isEqualTo(MavenSettings.login(SETTINGS));
  }

  @Test
  void serversAreCreatedWhenTheSettingsHaveNone() throws Exception {
    String written = MavenSettings.login("""
        <settings>
          <offline>false</offline>
        </settings>
        """);

    assertThat(written).isEqualTo("""
        <settings>
          <offline>false</offline>
          <servers>
            <server>
              <id>codeartifact</id>
              <username>aws</username>
              <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>
            </server>
          </servers>
        </settings>
        """);
  }

  @Test
  void logoutRemovesTheServerAndRestoresTheFile() throws Exception {
    assertThat(MavenSettings.logout(MavenSettings.login(SETTINGS))).isEqualTo(SETTINGS);
  }

  @Test
  void aFileThatIsNotSettingsIsLeftAloneWithTheReason() {
    assertThatThrownBy(() -> MavenSettings.login("<settings><servers>")).isInstanceOf(MavenSettings.InvalidSettingsException.class)
        .hasMessageContaining("not well-formed");
    assertThatThrownBy(() -> MavenSettings.login("<project/>")).hasMessageContaining("<project>");
  }

  @Test
  void theRootStartTagKeepsItsLayout() throws Exception {
    String multiLine = """
        <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <servers>
            <server><id>codeartifact</id><username>old</username></server>
          </servers>
        </settings>
        """;

    assertThat(MavenSettings.login(multiLine)).startsWith("""
        <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        """).contains("<username>aws</username>").doesNotContain("old");
  }
}
