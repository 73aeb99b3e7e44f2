package dev.wharf.format.nuget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NugetNamesTest {
  @Test
  void versionsAreNormalizedAsNugetAndCodeArtifactNormalizeThem() {
    // CodeArtifact's and NuGet's documented examples
    assertThat(NugetNames.normalize("1.00")).hasValue("1.0.0");
    assertThat(NugetNames.normalize("1.01.1")).hasValue("1.1.1");
    assertThat(NugetNames.normalize("1.00.0.1")).hasValue("1.0.0.1");
    assertThat(NugetNames.normalize("1.0.0.0")).hasValue("1.0.0");
    assertThat(NugetNames.normalize("1.0.01.0")).hasValue("1.0.1");
    assertThat(NugetNames.normalize("1.0.7+r3456")).hasValue("1.0.7");
    assertThat(NugetNames.normalize("12.0.03.0")).hasValue("12.0.3");
    assertThat(NugetNames.normalize("1.0")).hasValue("1.0.0");
    assertThat(NugetNames.normalize("2.0.0-Beta.01")).hasValue("2.0.0-Beta.01");
  }

  @Test
  void whatIsNotANugetVersionIsRefused() {
    for (String bad : new String[] {"1", "1.0.0.0.0", "1..0", "v1.0", "1.0-", "1.0+", "1.0.0-be ta", "99999999999.0",
        "", "1.0/../x"}) {
      assertThat(NugetNames.normalize(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void idsAreLetterDigitAndUnderscoreWordsJoinedByDotsAndDashes() {
    assertThat(NugetNames.validId("Newtonsoft.Json")).isTrue();
    assertThat(NugetNames.validId("Microsoft.Extensions.DependencyInjection-Abstractions_2")).isTrue();
    for (String bad : new String[] {"", ".x", "x.", "a..b", "a/b", "../x", "a b", "x".repeat(101)}) {
      assertThat(NugetNames.validId(bad)).as(bad).isFalse();
    }
    assertThat(NugetNames.key("Newtonsoft.Json")).isEqualTo("newtonsoft.json");
  }

  @Test
  void versionsSortNumericallyWithPrereleasesBeforeTheirReleaseCaseInsensitively() {
    List<String> versions = new ArrayList<>(List.of("1.10.0", "1.2.0", "1.2.0.1", "1.2.0-rc.1", "1.2.0-RC.10",
        "1.2.0-beta", "1.2.0-alpha.2", "1.2.0-alpha.10"));

    versions.sort(NugetNames::compare);

    assertThat(versions).containsExactly("1.2.0-alpha.2", "1.2.0-alpha.10", "1.2.0-beta", "1.2.0-rc.1", "1.2.0-RC.10",
        "1.2.0", "1.2.0.1", "1.10.0");
    assertThat(NugetNames.compare("1.0.0-Beta", "1.0.0-beta")).isZero();
  }
}
