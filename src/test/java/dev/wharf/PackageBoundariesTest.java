package dev.wharf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which Wharf packages the lower layers may name (in an import, a static import or a fully
 * qualified name): the policy language knows no feature, and the error kernel knows nothing else; and that the
 * catalog and the package core name no package format.
 */
class PackageBoundariesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/wharf");
  /** A reference to a Wharf package; group 1 is its top-level package under dev.wharf. */
  private static final Pattern WHARF_REFERENCE = Pattern.compile("\\bdev\\.wharf\\.([a-z][a-z0-9]*)[\\w.]*");

  @Test
  void thePolicyLanguageNamesNoFeaturePackage() throws IOException {
    assertThat(referencesOutside("policy", Set.of("policy", "error"))).isEmpty();
  }

  @Test
  void theErrorKernelNamesNoOtherWharfPackage() throws IOException {
    assertThat(referencesOutside("error", Set.of("error"))).isEmpty();
  }

  @Test
  void theCatalogAndThePackageCoreNameNoPackageFormat() throws IOException {
    // what a format does differently is asked of the format (PackageFormat, its Spec), never decided on its name
    Pattern literal = Pattern.compile("\"([a-z]+)\"");
    java.util.Set<String> formats = dev.wharf.format.FormatRegistry.standardStoredNames().keySet();
    List<String> named = new ArrayList<>();
    for (String name : List.of("catalog", "packages")) {
      try (Stream<Path> walk = Files.walk(SOURCES.resolve(name))) {
        for (Path file : walk.filter(file -> file.toString().endsWith(".java")
            && !file.startsWith(SOURCES.resolve("catalog/http"))).sorted().toList()) {
          Matcher found = literal.matcher(Files.readString(file));
          while (found.find()) {
            if (formats.contains(found.group(1))) {
              named.add(SOURCES.relativize(file) + ": " + found.group());
            }
          }
        }
      }
    }
    assertThat(named).isEmpty();
  }

  /** Each reference in the sources of {@code dev.wharf.<name>} to a package outside {@code allowed}, with its file. */
  private static List<String> referencesOutside(String name, Set<String> allowed) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES.resolve(name))) {
      files = walk.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files).as("sources of dev.wharf." + name).isNotEmpty();
    List<String> outside = new ArrayList<>();
    for (Path file : files) {
      Matcher reference = WHARF_REFERENCE.matcher(Files.readString(file));
      while (reference.find()) {
        if (!allowed.contains(reference.group(1))) {
          outside.add(SOURCES.relativize(file) + ": " + reference.group());
        }
      }
    }
    return outside;
  }
}
