package dev.wharf.packages.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionMetadataTest {
  private static VersionMetadata of(String format, String metadata) {
    return new VersionMetadata(new PackageVersion(new PackageKey("111122223333", "acme", "app", format, "", "p"), "1",
        VersionStatus.PUBLISHED, "r", Instant.EPOCH, Instant.EPOCH, null, metadata, "INTERNAL"));
  }

  @Test
  void pep508RequirementsGiveTheNameAndTheRestAsTheVersionRequirement() {
    assertThat(VersionMetadata.pythonRequirement("requests[socks,security] (>=2.0,<3)"))
        .isEqualTo(new VersionMetadata.Dependency(null, "requests", "Requires-Dist", ">=2.0,<3"));
    assertThat(VersionMetadata.pythonRequirement("Foo.Bar_baz==1.0 ; extra == 'test'").versionRequirement())
        .isEqualTo("==1.0; extra == 'test'");
    assertThat(VersionMetadata.pythonRequirement("pip @ https://example.test/pip-1.0.whl").versionRequirement())
        .isEqualTo("@ https://example.test/pip-1.0.whl");
    assertThat(VersionMetadata.pythonRequirement("attrs").versionRequirement()).isNull();
    assertThat(VersionMetadata.pythonRequirement("   ")).isNull();
    assertThat(VersionMetadata.pythonRequirement("-bad")).isNull();
  }

  @Test
  void malformedOrForeignDocumentsGiveEmptyAnswersNotErrors() {
    for (String document : new String[] {"not json", "[1,2]", "null", "{\"licenses\":\"MIT\",\"dependencies\":{}}"}) {
      VersionMetadata metadata = of("npm", document);
      assertThat(metadata.licenses()).isEmpty();
      assertThat(metadata.dependencies()).isEmpty();
      assertThat(metadata.readme()).isNull();
      assertThat(metadata.homePage()).isNull();
    }
    assertThat(of("maven", "{\"dependencies\":[{\"namespace\":\"g\"},{\"package\":\"a\"}]}").dependencies())
        .containsExactly(new VersionMetadata.Dependency(null, "a", null, null));
  }

  @Test
  void npmLicensesMayBeAStringAnObjectOrTheOldList() {
    assertThat(of("npm", "{\"license\":{\"type\":\"MIT\",\"url\":\"https://x.test/l\"}}").licenses())
        .containsExactly(new VersionMetadata.License("MIT", "https://x.test/l"));
    assertThat(of("npm", "{\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache-2.0\"}]}").licenses())
        .extracting(VersionMetadata.License::name).containsExactly("MIT", "Apache-2.0");
    assertThat(of("pypi", "{\"classifiers\":[\"License :: OSI Approved :: BSD License\"]}").licenses())
        .extracting(VersionMetadata.License::name).containsExactly("BSD License");
  }
}
