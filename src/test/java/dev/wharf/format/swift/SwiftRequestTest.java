package dev.wharf.format.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.format.FormatErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swift's paths, identifiers, URL comparison and archive layout, as the registry specification states them. */
class SwiftRequestTest {
  @TempDir Path scratch;

  @Test
  void scopesNamesAndVersionsFollowSection3Point6() {
    assertThat(SwiftNames.validScope("mona")).isTrue();
    assertThat(SwiftNames.validScope("a-b-c")).isTrue();
    assertThat(SwiftNames.validScope("a".repeat(39))).isTrue();
    for (String bad : List.of("", "-mona", "mona-", "mo--na", "mo_na", "mo.na", "a".repeat(40), "mönа")) {
      assertThat(SwiftNames.validScope(bad)).as(bad).isFalse();
    }
    assertThat(SwiftNames.validName("Linked_List-2")).isTrue();
    assertThat(SwiftNames.validName("a".repeat(100))).isTrue();
    for (String bad : List.of("", "_x", "x-", "x__y", "x-_y", "x.y", "a".repeat(101))) {
      assertThat(SwiftNames.validName(bad)).as(bad).isFalse();
    }
    assertThat(SwiftNames.validVersion("1.0.0-beta.1+build.5")).isTrue();
    for (String bad : List.of("1.0", "v1.0.0", "01.0.0", "1.0.0-", "")) {
      assertThat(SwiftNames.validVersion(bad)).as(bad).isFalse();
    }
  }

  @Test
  void pathsParseToTheSpecificationsEndpoints() {
    assertThat(SwiftRequestPath.parse("mona/LinkedList")).isEqualTo(new SwiftRequestPath.Releases("mona", "LinkedList"));
    assertThat(SwiftRequestPath.parse("mona/LinkedList.json"))
        .isEqualTo(new SwiftRequestPath.Releases("mona", "LinkedList"));
    assertThat(SwiftRequestPath.parse("mona/LinkedList/1.1.1"))
        .isEqualTo(new SwiftRequestPath.Release("mona", "LinkedList", "1.1.1"));
    assertThat(SwiftRequestPath.parse("mona/LinkedList/1.1.1.json"))
        .isEqualTo(new SwiftRequestPath.Release("mona", "LinkedList", "1.1.1"));
    assertThat(SwiftRequestPath.parse("mona/LinkedList/1.1.1.zip"))
        .isEqualTo(new SwiftRequestPath.Archive("mona", "LinkedList", "1.1.1"));
    assertThat(SwiftRequestPath.parse("mona/LinkedList/1.1.1/Package.swift"))
        .isEqualTo(new SwiftRequestPath.Manifest("mona", "LinkedList", "1.1.1"));
    assertThat(SwiftRequestPath.parse("identifiers")).isEqualTo(new SwiftRequestPath.Identifiers());
    assertThat(SwiftRequestPath.parse("login")).isEqualTo(new SwiftRequestPath.Login());
    assertThat(SwiftRequestPath.parse("")).isEqualTo(new SwiftRequestPath.Other());
    assertThat(SwiftRequestPath.parse("mona/LinkedList/1.1.1/Other.swift")).isEqualTo(new SwiftRequestPath.Other());
    assertThat(SwiftRequestPath.parse("a/b/c/d/e")).isEqualTo(new SwiftRequestPath.Other());
    for (String bad : List.of("-mona/LinkedList", "mona/..", "mona/%2e%2e/1.0.0", "mona/LinkedList/1.0",
        "mona/LinkedList/../Package.swift", "mona/Linked%20List")) {
      assertThatThrownBy(() -> SwiftRequestPath.parse(bad)).as(bad).isInstanceOf(WharfException.Invalid.class);
    }
  }

  @Test
  void repositoryUrlsCompareWhateverTheirSpelling() {
    String https = SwiftRegistry.comparableUrl("https://github.com/mona/LinkedList");
    assertThat(https).isEqualTo("github.com/mona/linkedlist");
    for (String same : List.of("https://github.com/mona/LinkedList.git", "git@github.com:mona/LinkedList.git",
        "ssh://git@github.com/mona/LinkedList", "HTTPS://GitHub.com/mona/LinkedList/", "http://github.com/mona/linkedlist")) {
      assertThat(SwiftRegistry.comparableUrl(same)).as(same).isEqualTo(https);
    }
    assertThat(SwiftRegistry.comparableUrl("https://git.example.com:8443/mona/LinkedList"))
        .isEqualTo("git.example.com:8443/mona/linkedlist");
  }

  @Test
  void anArchiveIsReadForItsManifestsInItsOneTopLevelFolder() throws IOException {
    Path archive = zip("LinkedList/Package.swift", "// swift-tools-version:5.9\nimport PackageDescription\n",
        "LinkedList/Package@swift-5.8.swift", "// swift-tools-version: 5.8\n",
        "LinkedList/Sources/LinkedList/Package.swift", "not a manifest of the package\n");
    List<SwiftArchive.Manifest> manifests = SwiftArchive.manifests(archive);
    assertThat(manifests).extracting(SwiftArchive.Manifest::fileName)
        .containsExactly("Package.swift", "Package@swift-5.8.swift");
    assertThat(manifests).extracting(SwiftArchive.Manifest::toolsVersion).containsExactly("5.9", "5.8");
    assertThat(manifests).extracting(SwiftArchive.Manifest::swiftVersion).containsExactly(null, "5.8");

    assertUnprocessable(zip("Package.swift", "// swift-tools-version:5.9\n"));
    assertUnprocessable(zip("A/Package.swift", "x", "B/README.md", "y"));
    assertUnprocessable(zip("A/Sources/a.swift", "x"));
  }

  private void assertUnprocessable(Path archive) {
    assertThatThrownBy(() -> SwiftArchive.manifests(archive)).isInstanceOfSatisfying(WharfException.Invalid.class,
        e -> assertThat(FormatErrors.status(e)).isEqualTo(422));
  }

  private Path zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return Files.write(Files.createTempFile(scratch, "archive", ".zip"), out.toByteArray());
  }
}
