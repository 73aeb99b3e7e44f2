package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import org.junit.jupiter.api.Test;

class CargoNamesTest {
  @Test
  void indexPathsFollowCargosLayoutInLowerCase() {
    assertThat(CargoNames.indexPath("a")).isEqualTo("1/a");
    assertThat(CargoNames.indexPath("AB")).isEqualTo("2/ab");
    assertThat(CargoNames.indexPath("Syn")).isEqualTo("3/s/syn");
    assertThat(CargoNames.indexPath("serde_json")).isEqualTo("se/rd/serde_json");
    assertThat(CargoNames.indexPath("Cargo-Foo")).isEqualTo("ca/rg/cargo-foo");
  }

  @Test
  void anIndexPathNamesItsCrateOnlyWhereCargoLooksForIt() {
    assertThat(CargoNames.fromIndexPath("se/rd/serde_json")).contains("serde_json");
    assertThat(CargoNames.fromIndexPath("SE/RD/Serde_JSON")).contains("Serde_JSON");
    assertThat(CargoNames.fromIndexPath("3/s/syn")).contains("syn");
    assertThat(CargoNames.fromIndexPath("1/a")).contains("a");
    assertThat(CargoNames.fromIndexPath("se/rx/serde_json")).isEmpty();
    assertThat(CargoNames.fromIndexPath("2/abc")).isEmpty();
    assertThat(CargoNames.fromIndexPath("se/rd/../serde")).isEmpty();
    assertThat(CargoNames.fromIndexPath("config.json")).isEmpty();
  }

  @Test
  void namesFollowCratesIoRules() {
    assertThat(CargoNames.validName("serde_json")).isTrue();
    assertThat(CargoNames.validName("a-b_C9")).isTrue();
    assertThat(CargoNames.validName("9lives")).isFalse();
    assertThat(CargoNames.validName("_x")).isFalse();
    assertThat(CargoNames.validName("with space")).isFalse();
    assertThat(CargoNames.validName("ünïcode")).isFalse();
    assertThat(CargoNames.validName("a".repeat(64))).isTrue();
    assertThat(CargoNames.validName("a".repeat(65))).isFalse();
    assertThatThrownBy(() -> CargoNames.requireName("../etc")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("beginning with a letter");
  }

  @Test
  void versionsAreSemVer() {
    assertThat(CargoNames.validVersion("1.0.0")).isTrue();
    assertThat(CargoNames.validVersion("0.1.0-alpha.5")).isTrue();
    assertThat(CargoNames.validVersion("1.0.0+debian.1")).isTrue();
    assertThat(CargoNames.validVersion("1.0")).isFalse();
    assertThat(CargoNames.validVersion("01.0.0")).isFalse();
    assertThat(CargoNames.validVersion("1.0.0-")).isFalse();
    assertThat(CargoNames.validVersion("1.0.0/../x")).isFalse();
  }

  @Test
  void requestPathsParseToTheirKinds() {
    assertThat(CargoRequestPath.parse("config.json")).isInstanceOf(CargoRequestPath.Config.class);
    assertThat(CargoRequestPath.parse("api/v1/crates/new")).isInstanceOf(CargoRequestPath.Publish.class);
    assertThat(CargoRequestPath.parse("api/v1/crates")).isInstanceOf(CargoRequestPath.Search.class);
    assertThat(CargoRequestPath.parse("api/v1/crates/Serde/1.0.0/download"))
        .isEqualTo(new CargoRequestPath.Download("Serde", "1.0.0"));
    assertThat(CargoRequestPath.parse("api/v1/crates/serde/1.0.0/yank"))
        .isEqualTo(new CargoRequestPath.Yank("serde", "1.0.0", true));
    assertThat(CargoRequestPath.parse("api/v1/crates/serde/1.0.0/unyank"))
        .isEqualTo(new CargoRequestPath.Yank("serde", "1.0.0", false));
    assertThat(CargoRequestPath.parse("api/v1/crates/serde/owners")).isEqualTo(new CargoRequestPath.Owners("serde"));
    assertThat(CargoRequestPath.parse("se/rd/serde")).isEqualTo(new CargoRequestPath.IndexFile("serde"));
    assertThat(CargoRequestPath.parse("se/rd/serde/x")).isInstanceOf(CargoRequestPath.Other.class);
    assertThatThrownBy(() -> CargoRequestPath.parse("api/v1/crates/%2e%2e/1.0.0/download"))
        .isInstanceOf(WharfException.NotFound.class);
    assertThatThrownBy(() -> CargoRequestPath.parse("api/v1/crates/serde/..%2f/download"))
        .isInstanceOf(WharfException.NotFound.class);
  }
}
