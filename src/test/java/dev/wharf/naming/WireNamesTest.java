package dev.wharf.naming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.identity.PrincipalType;
import dev.wharf.identity.TaggedEntity;
import dev.wharf.limits.LimitSettings;
import dev.wharf.metrics.RequestProtocol;
import dev.wharf.packages.VersionStatus;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WireNamesTest {
  @Test
  void kebabCaseLowersTheNameAndJoinsItsWordsWithHyphens() {
    assertThat(WireNames.kebabCase(RequestProtocol.AWS_QUERY)).isEqualTo("aws-query");
    assertThat(WireNames.kebabCase(RequestProtocol.NONE)).isEqualTo("none");
  }

  @Test
  void pascalCaseCapitalizesEachWordOfTheNameAndJoinsThem() {
    assertThat(WireNames.pascalCase(VersionStatus.PUBLISHED)).isEqualTo("Published");
    assertThat(WireNames.pascalCase(TaggedEntity.OIDC_PROVIDER)).isEqualTo("OidcProvider");
  }

  @Test
  void findReturnsTheConstantSpelledSoAndNothingForAnyOtherSpelling() {
    assertThat(WireNames.find(VersionStatus.class, VersionStatus::wireName, "Unlisted"))
        .contains(VersionStatus.UNLISTED);
    assertThat(WireNames.find(VersionStatus.class, VersionStatus::wireName, "UNLISTED")).isEmpty();
    assertThat(WireNames.find(VersionStatus.class, VersionStatus::wireName, "unlisted")).isEmpty();
    assertThat(WireNames.find(VersionStatus.class, VersionStatus::wireName, null)).isEmpty();
  }

  @Test
  void theDerivedNamesAreSpelledAsTheAPIsTheStoreTheSettingsAndTheMetricsExpect() {
    assertThat(spelled(VersionStatus.values(), VersionStatus::wireName))
        .containsExactly("Published", "Unfinished", "Unlisted", "Archived", "Disposed");
    assertThat(spelled(RequestProtocol.values(), RequestProtocol::tag))
        .containsExactly("aws-query", "aws-rest", "package", "console", "health", "metrics", "none");
    assertThat(spelled(LimitSettings.Scope.values(), LimitSettings.Scope::key))
        .containsExactly("anonymous", "address", "token", "access-key", "account-reads", "account-writes");
    assertThat(spelled(PrincipalType.values(), PrincipalType::column)).containsExactly("user", "role", "group");
    assertThat(spelled(PrincipalType.values(), PrincipalType::operationName)).containsExactly("User", "Role", "Group");
    assertThat(spelled(TaggedEntity.values(), TaggedEntity::column))
        .containsExactly("user", "role", "policy", "oidc-provider");
    assertThat(spelled(TaggedEntity.values(), TaggedEntity::operationName))
        .containsExactly("User", "Role", "Policy", "OpenIDConnectProvider");
  }

  private static <E> List<String> spelled(E[] constants, Function<E, String> spelling) {
    return Stream.of(constants).map(spelling).toList();
  }
}
