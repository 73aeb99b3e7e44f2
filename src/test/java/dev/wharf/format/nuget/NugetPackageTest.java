package dev.wharf.format.nuget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NugetPackageTest {
  @TempDir Path directory;

  private Path stored(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(directory, "package", ".nupkg"), bytes);
  }

  @Test
  void aPackageAsDotnetPackWritesItIsReadWithItsNuspecReadmeAndDependencyGroups() throws IOException {
    NugetPackage read = NugetPackage.read(stored(TestingNupkgs.nupkg("Contoso.Utils", "1.0.0-Beta")));

    Nuspec nuspec = read.nuspec();
    assertThat(nuspec.id()).isEqualTo("Contoso.Utils");
    assertThat(nuspec.normalizedVersion()).isEqualTo("1.0.0-Beta");
    assertThat(nuspec.licenseExpression()).isEqualTo("MIT");
    assertThat(nuspec.repositoryUrl()).isEqualTo("https://example.com/contoso.git");
    assertThat(nuspec.dependencyGroups()).extracting(Nuspec.DependencyGroup::targetFramework)
        .containsExactly("net8.0", ".NETStandard2.0");
    assertThat(nuspec.dependencyGroups().get(1).dependencies()).containsExactly(
        new Nuspec.Dependency("System.Text.Json", "[8.0.0, 9.0.0)"), new Nuspec.Dependency("Newtonsoft.Json", "13.0.1"));
    assertThat(read.readme()).startsWith("# Contoso.Utils");
    assertThat(new String(read.nuspecBytes(), StandardCharsets.UTF_8)).contains("<id>Contoso.Utils</id>");
  }

  @Test
  void aFlatDependencyListIsOneGroupWithoutAFramework() {
    Nuspec nuspec = Nuspec.parse(("<package><metadata><id>A</id><version>1.0</version><dependencies>"
        + "<dependency id=\"B\" version=\"1.0\"/><dependency id=\"C\"/></dependencies></metadata></package>")
        .getBytes(StandardCharsets.UTF_8));

    assertThat(nuspec.dependencyGroups()).singleElement().satisfies(group -> {
      assertThat(group.targetFramework()).isNull();
      assertThat(group.dependencies()).containsExactly(new Nuspec.Dependency("B", "1.0"), new Nuspec.Dependency("C", null));
    });
  }

  @Test
  void aNuspecWithADtdAnInvalidIdOrNoVersionIsRefused() {
    Map<String, String> refused = Map.of(
        "<!DOCTYPE package [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><package><metadata><id>&x;</id>"
            + "<version>1.0</version></metadata></package>", "not well-formed XML (or declares a DTD)",
        "<package><metadata><id>a/../b</id><version>1.0</version></metadata></package>", "is not a NuGet package id",
        "<package><metadata><id>A</id></metadata></package>", "is not a NuGet version",
        "<nuspec/>", "not <package>");
    refused.forEach((xml, message) -> assertThatThrownBy(() -> Nuspec.parse(xml.getBytes(StandardCharsets.UTF_8)))
        .as(xml).isInstanceOf(WharfException.Invalid.class).hasMessageContaining(message));
  }

  @Test
  void aReadmeTheNuspecNamesButThePackageLacksIsRefused() throws IOException {
    Map<String, byte[]> files = TestingNupkgs.files("A", TestingNupkgs.nuspec("A", "1.0"));
    files.remove("docs/README.md");

    Path nupkg = stored(TestingNupkgs.zip(files));

    assertThatThrownBy(() -> NugetPackage.read(nupkg)).isInstanceOf(WharfException.Invalid.class)
        .hasMessage("The .nuspec names the readme 'docs\\README.md', which the package does not have");
  }

  @Test
  void twoNuspecsAtTheRootOrANuspecNamedUnlikeItsIdAreRefused() throws IOException {
    Map<String, byte[]> two = TestingNupkgs.files("A", TestingNupkgs.nuspec("A", "1.0"));
    two.put("B.nuspec", TestingNupkgs.nuspec("B", "1.0").getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> renamed = TestingNupkgs.files("A", TestingNupkgs.nuspec("B", "1.0"));
    Path twoNuspecs = stored(TestingNupkgs.zip(two));
    Path misnamed = stored(TestingNupkgs.zip(renamed));

    assertThatThrownBy(() -> NugetPackage.read(twoNuspecs)).hasMessage("The package has more than one .nuspec");
    assertThatThrownBy(() -> NugetPackage.read(misnamed)).hasMessage("The package's A.nuspec has the id 'B': its name"
        + " and its id differ");
  }
}
