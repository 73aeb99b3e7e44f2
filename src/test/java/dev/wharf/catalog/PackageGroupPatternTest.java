package dev.wharf.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.StoredNames;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PackageGroupPatternTest {
  private static final Map<String, StoredNames> FORMATS = FormatRegistry.standardStoredNames();

  private static PackageGroupPattern parse(String text) {
    return PackageGroupPattern.parse(text, FORMATS);
  }

  @Test
  void everyShapeAwsDocumentsParsesAndKeepsItsText() {
    for (String text : List.of("/*", "/npm/*", "/maven/com.example~", "/npm/scope/*", "/npm/scope/ui-~",
        "/maven/com.example/core$", "/pypi//*", "/pypi//requests$", "/pypi//req~")) {
      assertThat(parse(text).toString()).isEqualTo(text);
    }
  }

  @Test
  void anNpmScopeWrittenWithItsAtNamesTheStoredScope() {
    assertThat(parse("/npm/@scope/*").toString()).isEqualTo("/npm/scope/*");
    assertThat(parse("/npm/@scope/name$").matches("npm", "scope", "name")).isTrue();
  }

  @Test
  void malformedPatternsAreValidationExceptions() {
    for (String text : List.of("", "/", "npm/*", "/npm", "/npm/", "/cobol/*", "/npm/scope", "/npm/scope/name",
        "/npm/scope/na*me$", "/npm/a/b/c$", "/npm/~", "/npm/scope/$", "/npm/ scope/*", "/*/*", "/npm/sc$ope/*",
        "/" + "a".repeat(520))) {
      assertThatThrownBy(() -> parse(text)).as(text).isInstanceOfSatisfying(WharfException.Invalid.class,
          e -> assertThat(e.code()).isEqualTo("ValidationException"));
    }
  }

  @Test
  void patternsMatchTheirPackagesOnly() {
    assertThat(parse("/*").matches("pypi", "", "x")).isTrue();
    assertThat(parse("/npm/*").matches("npm", "", "x")).isTrue();
    assertThat(parse("/npm/*").matches("pypi", "", "x")).isFalse();
    assertThat(parse("/maven/com.example~").matches("maven", "com.example.sub", "x")).isTrue();
    assertThat(parse("/maven/com.example~").matches("maven", "org.example", "x")).isFalse();
    assertThat(parse("/npm/scope/*").matches("npm", "scope", "x")).isTrue();
    assertThat(parse("/npm/scope/*").matches("npm", "scopes", "x")).isFalse();
    assertThat(parse("/pypi//*").matches("pypi", "", "x")).isTrue();
    assertThat(parse("/pypi//requests$").matches("pypi", null, "requests")).isTrue();
    assertThat(parse("/pypi//requests$").matches("pypi", "", "requests2")).isFalse();
    assertThat(parse("/npm/scope/ui-~").matches("npm", "scope", "ui-kit")).isTrue();
    assertThat(parse("/npm/scope/ui-~").matches("npm", "other", "ui-kit")).isFalse();
  }

  @Test
  void theMostSpecificPatternComesFirst() {
    List<String> sorted = Stream.of("/*", "/npm/*", "/npm/sc~", "/npm/scope~", "/npm/scope/*", "/npm/scope/u~",
            "/npm/scope/ui~", "/npm/scope/ui$").map(PackageGroupPatternTest::parse)
        .sorted(PackageGroupPattern.MOST_SPECIFIC_FIRST).map(PackageGroupPattern::toString).toList();
    assertThat(sorted).containsExactly("/npm/scope/ui$", "/npm/scope/ui~", "/npm/scope/u~", "/npm/scope/*",
        "/npm/scope~", "/npm/sc~", "/npm/*", "/*");
  }

  @Test
  void aPatternIsCoveredByTheBroaderPatternsThatContainItOnly() {
    assertThat(parse("/npm/scope/ui$").isCoveredBy(parse("/npm/scope/u~"))).isTrue();
    assertThat(parse("/npm/scope/ui~").isCoveredBy(parse("/npm/scope/*"))).isTrue();
    assertThat(parse("/npm/scope/*").isCoveredBy(parse("/npm/sc~"))).isTrue();
    assertThat(parse("/npm/scope~").isCoveredBy(parse("/npm/sc~"))).isTrue();
    assertThat(parse("/npm/sc~").isCoveredBy(parse("/npm/scope~"))).isFalse();
    assertThat(parse("/npm/*").isCoveredBy(parse("/*"))).isTrue();
    assertThat(parse("/npm/*").isCoveredBy(parse("/pypi/*"))).isFalse();
    assertThat(parse("/npm/scope/*").isCoveredBy(parse("/npm/scope/*"))).isFalse();
    assertThat(parse("/*").isCoveredBy(parse("/npm/*"))).isFalse();
  }

  @Test
  void aPypiNameOrPrefixIsNormalizedAsPyPiNamesAreSoItMatchesTheStoredName() {
    assertThat(parse("/pypi//Foo_Bar$")).hasToString("/pypi//foo-bar$");
    assertThat(parse("/pypi//Foo_Bar$").matches("pypi", "", "foo-bar")).isTrue();
    assertThat(parse("/pypi//Zope.._~")).hasToString("/pypi//zope-~");
    assertThat(parse("/pypi//Zope.._~").matches("pypi", "", "zope-interface")).isTrue();
    assertThat(parse("/pypi//Zope.._~")).isEqualTo(parse("/pypi//zope-~"));
    assertThat(parse("/maven/org.Example/Core_X$")).as("other formats keep what is written")
        .hasToString("/maven/org.Example/Core_X$");
  }

  @Test
  void cargoNugetAndSwiftPatternsAreLowerCasedAsThoseFormatsStoreTheirNames() {
    // a BLOCK on a pattern written with capitals must still match the packages, which are stored in lower case
    assertThat(parse("/nuget//Contoso.Internal~")).hasToString("/nuget//contoso.internal~");
    assertThat(parse("/nuget//Contoso.Internal~").matches("nuget", "", "contoso.internal.utils")).isTrue();
    assertThat(parse("/swift/Mona/*").matches("swift", "mona", "linkedlist")).isTrue();
    assertThat(parse("/swift/Mona/LinkedList$").matches("swift", "mona", "linkedlist")).isTrue();
    assertThat(parse("/swift/Mo~").matches("swift", "mona", "x")).isTrue();
    assertThat(parse("/cargo//Serde$")).isEqualTo(parse("/cargo//serde$"));
    assertThat(parse("/npm/Scope/UI-~")).as("npm keeps what is written").hasToString("/npm/Scope/UI-~");
  }
}
