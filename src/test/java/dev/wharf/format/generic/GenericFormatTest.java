package dev.wharf.format.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageNames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenericFormatTest {

  @ParameterizedTest
  @ValueSource(strings = {"app.tar.gz", "résumé-ñ.txt", "A b", "x~!@^&()-_+[]{};,.y", "日本語.bin", "..x", "a.."})
  void genericAssetNamesThatCodeArtifactAllowsAreAccepted(String name) {
    assertThat(GenericFormat.requireAssetName(name, "assetName")).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "../x", "a/b", "a\\b", " a", "a ", "a  b", "a\tb", "a\nb", "a:b", "a*b", "a?b",
      "a%2fb", "a\u0000b", "a\u202eb", "", "x#y"})
  void genericAssetNamesOutsideTheRulesAreRefused(String name) {
    assertThatThrownBy(() -> GenericFormat.requireAssetName(name, "assetName"))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("assetName");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "a/b", "a#b", "a b", "a\tb", "a\u0000b", ""})
  void genericNamespacesNamesAndVersionsOutsideTheModelOrClimbingAreRefused(String name) {
    assertThatThrownBy(() -> GenericFormat.requireName(name, "package"))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("package");
  }

  @ParameterizedTest
  @ValueSource(strings = {"my-ns", "1.0.0-rc.1+build.5", "@scope", "..a", "ü"})
  void genericNamesWithinTheModelAreAccepted(String name) {
    assertThat(GenericFormat.requireName(name, "package")).isEqualTo(name);
  }

  @org.junit.jupiter.api.Test
  void anEmptyNameIsTooShortNotMissing() {
    assertThatThrownBy(() -> PackageNames.requireModelName("", "namespace"))
        .hasMessage("1 validation error detected: Value '' at 'namespace' failed to satisfy constraint: Member must"
            + " have length greater than or equal to 1");
    assertThatThrownBy(() -> PackageNames.requireModelName(null, "namespace")).hasMessageContaining("Value null at"
        + " 'namespace'").hasMessageContaining("must not be null");
  }

  @org.junit.jupiter.api.Test
  void namesLongerThan255CharactersAreRefused() {
    assertThat(GenericFormat.requireName("a".repeat(255), "package")).hasSize(255);
    assertThatThrownBy(() -> GenericFormat.requireName("a".repeat(256), "package"))
        .hasMessageContaining("length less than or equal to 255");
    assertThatThrownBy(() -> GenericFormat.requireAssetName("a".repeat(256), "assetName"))
        .hasMessageContaining("length less than or equal to 255");
  }
}
