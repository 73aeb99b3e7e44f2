package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routes and the registry fail closed: what declares nothing, or the wrong thing, does not start. */
class PackageRouteTest {
  private static final PackageRoute.Handler<String> NOTHING = (call, request) -> { };

  @Test
  void aRouteThatDeclaresNoNeedCannotBeMade() {
    assertThatThrownBy(() -> new PackageRoute<>("r", Set.of("GET"), "x", Optional::of, null, NOTHING))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("declares no need");
  }

  @Test
  void aRouteMustTakeItsOwnExampleAndNameUpperCaseMethods() {
    assertThatThrownBy(() -> PackageRoute.get("r", "x", rest -> Optional.<String>empty(), Need.read(), NOTHING))
        .hasMessageContaining("does not take its own example");
    assertThatThrownBy(() -> new PackageRoute<>("r", Set.of("get"), "x", Optional::of, Need.read(), NOTHING))
        .hasMessageContaining("upper-case");
    assertThatThrownBy(() -> new PackageRoute<>("r", Set.of(), "x", Optional::of, Need.read(), NOTHING))
        .hasMessageContaining("upper-case");
  }

  @Test
  void aBodyDecidedNeedNamesTheActionsItMayNeed() {
    assertThatThrownBy(() -> Need.decidedByBody("why", request -> Optional.empty()))
        .hasMessageContaining("names the actions");
  }

  @Test
  void theRegistryRefusesAFormatTwiceOrARouteNameTwice() {
    PackageRoute<String> route = PackageRoute.get("r", "x", Optional::of, Need.read(), NOTHING);
    PackageFormat twice = new UnservedFormat("cargo", PackageFormat.Namespaces.NONE, List.of());
    assertThatThrownBy(() -> new FormatRegistry(List.of(twice, twice))).hasMessageContaining("registered twice");
    PackageFormat sameRouteTwice = new PackageFormat() {
      @Override
      public Spec spec() {
        return new Spec("ruby", Namespaces.NONE, ErrorBody.JSON, Spec.ANY_SCHEME_HINT, List.of());
      }

      @Override
      public List<PackageRoute<?>> routes() {
        return List.of(route, route);
      }
    };
    assertThatThrownBy(() -> new FormatRegistry(List.of(sameRouteTwice))).hasMessageContaining("route r twice");
  }

  @Test
  void theStandardRegistryListsCodeArtifactsFormatsInTheOrderOfItsEnum() {
    assertThat(TestingFormats.registry().names())
        .containsExactly("npm", "pypi", "maven", "nuget", "generic", "ruby", "swift", "cargo");
  }

  @Test
  void acceptHeadersAreReadByQualityInTheClientsOrder() {
    AcceptHeader accept = AcceptHeader.parse("text/html;q=0.5, application/json; q=0.9, text/plain;q=0, x/y;q=abc");
    assertThat(accept.choose(type -> type.startsWith("text/") || type.equals("application/json") ? type : null))
        .contains("application/json");
    assertThat(accept.accepts("text/plain")).isFalse();
    assertThat(accept.accepts("x/y")).isFalse();
    assertThat(accept.accepts("TEXT/HTML")).isTrue();
    assertThat(AcceptHeader.parse(null).isEmpty()).isTrue();
  }

  @Test
  void byteRangesAreReadAsOneRangeOrIgnored() {
    assertThat(AssetDownloads.span("bytes=0-9", 100)).containsExactly(0, 9);
    assertThat(AssetDownloads.span("bytes=90-", 100)).containsExactly(90, 99);
    assertThat(AssetDownloads.span("bytes=-10", 100)).containsExactly(90, 99);
    assertThat(AssetDownloads.span("bytes=-500", 100)).containsExactly(0, 99);
    assertThat(AssetDownloads.span("bytes=95-200", 100)).containsExactly(95, 99);
    assertThat(AssetDownloads.span("bytes=100-", 100)).isEmpty();
    assertThat(AssetDownloads.span("bytes=-0", 100)).isEmpty();
    assertThat(AssetDownloads.span("bytes=9-0", 100)).isNull();
    assertThat(AssetDownloads.span("bytes=0-1,5-6", 100)).isNull();
    assertThat(AssetDownloads.span("items=0-1", 100)).isNull();
    assertThat(AssetDownloads.span("bytes=99999999999999999999-", 100)).isNull();
  }
}
