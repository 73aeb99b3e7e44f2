package dev.wharf.format.pypi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import org.junit.jupiter.api.Test;

/** PEP 503 names, PEP 440 versions, distribution file names and PEP 691 negotiation. */
class PypiNamesTest {

  @Test
  void namesNormalizePerPep503() {
    assertThat(PypiNames.normalize("Friendly-Bard")).isEqualTo("friendly-bard");
    assertThat(PypiNames.normalize("FRIENDLY-BARD")).isEqualTo("friendly-bard");
    assertThat(PypiNames.normalize("friendly.bard")).isEqualTo("friendly-bard");
    assertThat(PypiNames.normalize("friendly_bard")).isEqualTo("friendly-bard");
    assertThat(PypiNames.normalize("friendly--bard")).isEqualTo("friendly-bard");
    assertThat(PypiNames.normalize("FrIeNdLy-._.-bArD")).isEqualTo("friendly-bard");
    assertThat(PypiNames.validProject("zope.interface")).isTrue();
    assertThat(PypiNames.validProject("-bad")).isFalse();
    assertThat(PypiNames.validProject("../etc")).isFalse();
    assertThat(PypiNames.validProject("a/b")).isFalse();
    assertThat(PypiNames.validProject("")).isFalse();
  }

  @Test
  void versionsFollowPep440() {
    for (String ok : new String[] {"1", "1.0", "1.0.0", "2!1.0", "1.0a1", "1.0.post1", "1.0.dev3", "1.0rc1.post2.dev3",
        "1.0+local.7", "v1.0", "1.0-1", "1.0_alpha2"}) {
      assertThat(PypiNames.validVersion(ok)).as(ok).isTrue();
    }
    for (String bad : new String[] {"", "one", "1.0-beta-gamma", "1..0", "1.0+", "1.0/../x", "latest", "1.0 2"}) {
      assertThat(PypiNames.validVersion(bad)).as(bad).isFalse();
    }
  }

  @Test
  void wheelAndSdistFileNamesAreParsedAndChecked() {
    var wheel = PypiNames.parseFileName("Foo_Bar-1.0-py3-none-any.whl", "bdist_wheel");
    assertThat(wheel.project()).isEqualTo("Foo_Bar");
    assertThat(wheel.version()).isEqualTo("1.0");
    PypiNames.requireMatches(wheel, "foo-bar", "1.0");
    var built = PypiNames.parseFileName("foo-2.0-1-cp311-cp311-manylinux_2_17_x86_64.whl", "bdist_wheel");
    assertThat(built.version()).isEqualTo("2.0");
    var sdist = PypiNames.parseFileName("foo-bar-1.0.tar.gz", "sdist");
    PypiNames.requireMatches(sdist, "Foo.Bar", "1.0");
    assertThatThrownBy(() -> PypiNames.requireMatches(wheel, "other", "1.0")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("project name");
    assertThatThrownBy(() -> PypiNames.requireMatches(wheel, "foo-bar", "1.1")).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> PypiNames.parseFileName("foo-1.0.tar.gz", "bdist_egg"))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("Unsupported filetype");
    assertThatThrownBy(() -> PypiNames.parseFileName("foo-1.0.tar.gz", "bdist_wheel"))
        .isInstanceOf(WharfException.Invalid.class);
    assertThatThrownBy(() -> PypiNames.parseFileName("foo-1.0.whl", "bdist_wheel"))
        .isInstanceOf(WharfException.Invalid.class);
    for (String traversal : new String[] {"../foo-1.0.tar.gz", "a/foo-1.0.tar.gz", "..foo-1.0.tar.gz", "foo-1.0.tar.gz\u0000",
        "%2e%2e-1.0.tar.gz"}) {
      assertThatThrownBy(() -> PypiNames.parseFileName(traversal, "sdist")).as(traversal)
          .isInstanceOf(WharfException.Invalid.class);
    }
  }

  @Test
  void negotiationFollowsQValues() {
    assertThat(PypiFormat.chooseFormat("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1,"
        + " text/html; q=0.01")).contains(PypiFormat.Format.JSON);
    assertThat(PypiFormat.chooseFormat("application/vnd.pypi.simple.v1+json; q=0.2, text/html"))
        .contains(PypiFormat.Format.HTML);
    assertThat(PypiFormat.chooseFormat("application/vnd.pypi.simple.v1+html")).contains(PypiFormat.Format.HTML_V1);
    assertThat(PypiFormat.chooseFormat(null)).contains(PypiFormat.Format.HTML);
    assertThat(PypiFormat.chooseFormat("*/*")).contains(PypiFormat.Format.HTML);
    assertThat(PypiFormat.chooseFormat("application/json")).isEmpty();
    assertThat(PypiFormat.chooseFormat("application/vnd.pypi.simple.v1+json; q=0")).isEmpty();
  }
}
