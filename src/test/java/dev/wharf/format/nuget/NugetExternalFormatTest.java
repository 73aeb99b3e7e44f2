package dev.wharf.format.nuget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class NugetExternalFormatTest {
  private static final NugetExternalFormat FORMAT = new NugetExternalFormat();
  private static final PackageKey KEY = new PackageKey("111122223333", "acme", "dotnet", "nuget", "", "contoso.ext");
  private static final URI BASE = URI.create("https://api.nuget.org/v3/registration5-gz-semver2/");
  private static final String UPSTREAM = "public:nuget-org";

  private static String leaf(String id, String version, boolean listed) {
    String lower = version.toLowerCase();
    return """
        {"@id":"https://api.nuget.org/v3/registration5-gz-semver2/contoso.ext/%2$s.json",
         "catalogEntry":{"@id":"https://api.nuget.org/v3/catalog0/data/x/contoso.ext.%2$s.json","id":"%1$s",
           "version":"%3$s","listed":%4$s,"description":"Helpers","tags":["a","b"],
           "published":"2026-11-01T10:00:00+00:00",
           "dependencyGroups":[{"targetFramework":"net8.0","dependencies":[{"id":"Newtonsoft.Json","range":"[13.0.3, )"},
             {"id":"../bad id"}]}],
           "packageContent":"https://api.nuget.org/v3-flatcontainer/contoso.ext/%2$s/contoso.ext.%2$s.nupkg"}}
        """.formatted(id, lower, version, listed);
  }

  private static PackageDocument parse(String json) {
    return FORMAT.parse(KEY, FORMAT.metadataUri(BASE, KEY), json.getBytes(StandardCharsets.UTF_8), UPSTREAM).orElseThrow();
  }

  @Test
  void theRegistrationIndexOfTheLowerCaseIdIsTheMetadata() {
    assertThat(FORMAT.metadataUri(URI.create("https://api.nuget.org/v3/registration5-gz-semver2"), KEY))
        .isEqualTo(URI.create("https://api.nuget.org/v3/registration5-gz-semver2/contoso.ext/index.json"));
  }

  @Test
  void versionsAreNormalizedUnlistedOnesAreKeptAsUnlistedAndForeignOrUnreadableLeavesAreLeftOut() {
    PackageDocument document = parse("{\"items\":[{\"items\":[" + leaf("Contoso.Ext", "1.0", true) + ","
        + leaf("Contoso.Ext", "2.0.0-Beta+build.1", false) + "," + leaf("Other.Package", "3.0.0", true) + ","
        + leaf("Contoso.Ext", "not-a-version", true) + "]}]}");

    assertThat(document.versions()).extracting(v -> v.version().version()).containsExactly("1.0.0", "2.0.0-Beta");
    assertThat(document.versions()).extracting(v -> v.version().status())
        .containsExactly(VersionStatus.PUBLISHED, VersionStatus.UNLISTED);
    assertThat(document.versions()).allSatisfy(v -> {
      assertThat(v.assets()).isEmpty();
      assertThat(v.version().origin()).isEqualTo("EXTERNAL");
    });
    String metadata = document.versions().getFirst().version().metadata();
    assertThat(metadata).contains("\"tags\":\"a b\"", "Newtonsoft.Json").doesNotContain("bad id");
  }

  @Test
  void aPackageWithNoReadableVersionIsNotThereAndAMalformedIndexIsTheUpstreamsFault() {
    assertThat(FORMAT.parse(KEY, BASE, "{\"items\":[{\"items\":[]}]}".getBytes(StandardCharsets.UTF_8), UPSTREAM))
        .isEmpty();
    assertThatThrownBy(() -> parse("<html>")).isInstanceOf(UpstreamUnavailableException.class)
        .hasMessageContaining("malformed registration index");
    assertThatThrownBy(() -> parse("{\"items\":{}}")).isInstanceOf(UpstreamUnavailableException.class);
    assertThatThrownBy(() -> parse("{\"items\":[{\"@id\":\"https://x/page.json\"}]}"))
        .isInstanceOf(UpstreamUnavailableException.class).hasMessageContaining("a page has no items");
  }

  @Test
  void pagesTheIndexLinksAreAskedForAndPutBackInOrder() {
    byte[] index = ("{\"items\":[{\"items\":[" + leaf("Contoso.Ext", "1.0.0", true) + "]},"
        + "{\"@id\":\"https://api.nuget.org/p/2.json\"},{\"@id\":\"https://api.nuget.org/p/3.json\"}]}")
        .getBytes(StandardCharsets.UTF_8);

    assertThat(FORMAT.linked(KEY, BASE, index, UPSTREAM)).containsExactly(URI.create("https://api.nuget.org/p/2.json"),
        URI.create("https://api.nuget.org/p/3.json"));
    byte[] complete = FORMAT.complete(KEY, index, List.of(
        ("{\"items\":[" + leaf("Contoso.Ext", "2.0.0", true) + "]}").getBytes(StandardCharsets.UTF_8),
        ("{\"items\":[" + leaf("Contoso.Ext", "3.0.0", true) + "]}").getBytes(StandardCharsets.UTF_8)), UPSTREAM);
    assertThat(FORMAT.parse(KEY, BASE, complete, UPSTREAM).orElseThrow().versions())
        .extracting(v -> v.version().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
    assertThatThrownBy(() -> FORMAT.linked(KEY, BASE, "{\"items\":[{\"count\":3}]}".getBytes(StandardCharsets.UTF_8),
        UPSTREAM)).isInstanceOf(UpstreamUnavailableException.class);
    assertThatThrownBy(() -> FORMAT.complete(KEY, index, List.of("{}".getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8)), UPSTREAM)).isInstanceOf(UpstreamUnavailableException.class);
  }

  @Test
  void theNupkgIsNamedAsAPushedOneAndCheckedAgainstTheCatalogLeafsSha512() {
    PackageDocument.VersionWithAssets version = parse("{\"items\":[{\"items\":[" + leaf("Contoso.Ext", "1.1.0-Beta", true)
        + "]}]}").versions().getFirst();

    ExternalFormat.NamedFile file = FORMAT.namedFile(BASE, version, "contoso.ext.1.1.0-beta.nupkg").orElseThrow();
    assertThat(file.url()).hasToString(
        "https://api.nuget.org/v3-flatcontainer/contoso.ext/1.1.0-beta/contoso.ext.1.1.0-beta.nupkg");
    assertThat(file.checksums()).singleElement().satisfies(c -> {
      assertThat(c.algorithm()).isEqualTo(ExternalFormat.Algorithm.SHA512);
      assertThat(c.url()).hasToString("https://api.nuget.org/v3/catalog0/data/x/contoso.ext.1.1.0-beta.json");
    });
    assertThat(FORMAT.namedFile(BASE, version, "contoso.ext.nuspec")).isEmpty();
    assertThat(FORMAT.namedFile(BASE, version, "contoso.ext.9.9.9.nupkg")).isEmpty();

    byte[] hash = new byte[64];
    hash[0] = (byte) 0xab;
    ExternalFormat.ChecksumFile checksum = file.checksums().getFirst();
    String leaf = "{\"packageHash\":\"" + Base64.getEncoder().encodeToString(hash) + "\",\"packageHashAlgorithm\":\"SHA512\"}";
    assertThat(FORMAT.checksum(checksum, leaf.getBytes(StandardCharsets.UTF_8))).hasValue("ab" + "00".repeat(63));
    assertThat(FORMAT.checksum(checksum, leaf.replace("SHA512", "SHA256").getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(FORMAT.checksum(checksum, "{\"packageHash\":\"!!\",\"packageHashAlgorithm\":\"SHA512\"}"
        .getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(FORMAT.checksum(checksum, "{\"packageHash\":\"AAAA\",\"packageHashAlgorithm\":\"SHA512\"}"
        .getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(FORMAT.checksum(checksum, "not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
