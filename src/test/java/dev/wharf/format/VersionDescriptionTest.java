package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each format reads from its own version documents for the API, malformed ones included. */
class VersionDescriptionTest {
  private static final FormatRegistry FORMATS = TestingFormats.registry();

  private static VersionDescription of(String format, String metadata) {
    return FORMATS.require(format).describe(new PackageVersion(new PackageKey("111122223333", "acme", "app", format,
        "", "p"), "1", VersionStatus.PUBLISHED, "r", java.time.Instant.EPOCH, java.time.Instant.EPOCH, null, metadata,
        "INTERNAL"));
  }

  @Test
  void pep508RequirementsGiveTheNameAndTheRestAsTheVersionRequirement() {
    assertThat(of("pypi", "{\"requires_dist\":[\"requests[socks,security] (>=2.0,<3)\","
        + "\"Foo.Bar_baz==1.0 ; extra == 'test'\",\"pip @ https://example.test/pip-1.0.whl\",\"attrs\",\"   \","
        + "\"-bad\"]}").dependencies()).containsExactly(
            new VersionDescription.Dependency(null, "requests", "Requires-Dist", ">=2.0,<3"),
            new VersionDescription.Dependency(null, "Foo.Bar_baz", "Requires-Dist", "==1.0; extra == 'test'"),
            new VersionDescription.Dependency(null, "pip", "Requires-Dist", "@ https://example.test/pip-1.0.whl"),
            new VersionDescription.Dependency(null, "attrs", "Requires-Dist", null));
  }

  @Test
  void malformedOrForeignDocumentsGiveEmptyAnswersNotErrors() {
    for (String format : List.of("npm", "pypi", "maven", "generic", "cargo")) {
      for (String document : new String[] {"not json", "[1,2]", "null", "{\"licenses\":\"MIT\",\"dependencies\":{}}"}) {
        VersionDescription description = of(format, document);
        assertThat(description.licenses()).as(format + " " + document).isEmpty();
        assertThat(description.dependencies()).as(format + " " + document).isEmpty();
        assertThat(description.readme()).as(format + " " + document).isNull();
        assertThat(description.homePage()).as(format + " " + document).isNull();
      }
    }
    assertThat(of("maven", "{\"dependencies\":[{\"namespace\":\"g\"},{\"package\":\"a\"}]}").dependencies())
        .containsExactly(new VersionDescription.Dependency(null, "a", null, null));
  }

  @Test
  void npmLicensesMayBeAStringAnObjectOrTheOldList() {
    assertThat(of("npm", "{\"license\":{\"type\":\"MIT\",\"url\":\"https://x.test/l\"}}").licenses())
        .containsExactly(new VersionDescription.License("MIT", "https://x.test/l"));
    assertThat(of("npm", "{\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"Apache-2.0\"}]}").licenses())
        .extracting(VersionDescription.License::name).containsExactly("MIT", "Apache-2.0");
    assertThat(of("pypi", "{\"classifiers\":[\"License :: OSI Approved :: BSD License\"]}").licenses())
        .extracting(VersionDescription.License::name).containsExactly("BSD License");
  }

  @Test
  void onlyNpmNamesADisplayVersionTag() {
    assertThat(FORMATS.all()).filteredOn(f -> f.displayVersionTag().isPresent()).extracting(PackageFormat::name)
        .containsExactly("npm");
    assertThat(FORMATS.require("npm").displayVersionTag()).isEqualTo(Optional.of("latest"));
  }
}
