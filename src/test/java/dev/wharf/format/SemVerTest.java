package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemVerTest {
  @Test
  void versionsSortAsSemVerSaysInItsOwnExample() {
    List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0", "10.0.0");
    List<String> shuffled = new ArrayList<>(ordered);
    Collections.reverse(shuffled);
    shuffled.sort(SemVer::compare);
    assertThat(shuffled).isEqualTo(ordered);
    assertThat(SemVer.compare("1.0.0+build.1", "1.0.0+build.2")).isZero();
    assertThat(SemVer.matches("1.0.0-rc.1+b")).isTrue();
    assertThat(SemVer.matches("1.0")).isFalse();
  }
}
