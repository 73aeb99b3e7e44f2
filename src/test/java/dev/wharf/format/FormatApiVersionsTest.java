package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the CodeArtifact API reads a version member for each format (PackageFormat.apiVersion). */
class FormatApiVersionsTest {
  private final FormatRegistry formats = TestingFormats.registry();

  @Test
  void nugetVersionsAreReadAsCodeArtifactStoresThem() {
    PackageFormat nuget = formats.require("nuget");
    // the example of CodeArtifact's NuGet guide for API inputs (NugetNamesTest has every rule's examples); the
    // pre-release label keeps its case, as NuGet's normalized form does
    assertThat(List.of("12.0.03.0", "2.01.0-Beta.2+sha.5", "1.1.0")).extracting(nuget::apiVersion)
        .containsExactly("12.0.3", "2.1.0-Beta.2", "1.1.0");
  }

  @Test
  void aTextThatIsNoNugetVersionIsLookedUpAsWritten() {
    PackageFormat nuget = formats.require("nuget");
    for (String written : new String[] {"1", "latest", "1.0.0.0.0", "v1.0", "99999999999.0", "1.0-"}) {
      assertThat(nuget.apiVersion(written)).as(written).isEqualTo(written);
    }
  }

  @Test
  void everyOtherFormatReadsVersionsAsWritten() {
    for (PackageFormat format : formats.all()) {
      if (!format.name().equals("nuget")) {
        assertThat(format.apiVersion("1.01.0.0+Build")).as(format.name()).isEqualTo("1.01.0.0+Build");
      }
    }
  }
}
