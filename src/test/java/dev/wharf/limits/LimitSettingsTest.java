package dev.wharf.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitSettingsTest {
  @Test
  void theDefaultsLimitOnlyRequestsWithoutACredentialAndConcurrentUploads() {
    LimitSettings defaults = LimitSettings.defaults();
    assertThat(defaults.preset()).isEqualTo("default");
    assertThat(defaults.rates()).containsOnlyKeys(LimitSettings.Scope.ANONYMOUS);
    assertThat(defaults.rate(LimitSettings.Scope.ANONYMOUS)).contains(Rate.perSecond(300, 600));
    assertThat(defaults.operations()).isEmpty();
    assertThat(defaults.uploads()).isEqualTo(64);
    assertThat(defaults.describe()).isEqualTo("preset default: anonymous=300/s,burst=600, uploads=64");
  }

  @Test
  void theCodeArtifactPresetHasAwsPublishedQuotas() {
    LimitSettings aws = LimitSettings.preset("codeartifact");
    assertThat(aws.rate(LimitSettings.Scope.ANONYMOUS)).contains(Rate.perSecond(600));
    assertThat(aws.rate(LimitSettings.Scope.TOKEN)).contains(Rate.perSecond(1200));
    assertThat(aws.rate(LimitSettings.Scope.ACCOUNT_READS)).contains(Rate.perSecond(800));
    assertThat(aws.rate(LimitSettings.Scope.ACCOUNT_WRITES)).contains(Rate.perSecond(100));
    assertThat(aws.rate(LimitSettings.Scope.ACCESS_KEY)).isEmpty();
    assertThat(aws.operations()).containsEntry("GetAuthorizationToken", Rate.perSecond(40))
        .containsEntry("PublishPackageVersion", Rate.perSecond(10))
        .containsEntry("CopyPackageVersions", Rate.perSecond(5))
        .containsEntry("GetPackageVersionAsset", Rate.perSecond(50))
        .containsEntry("ListPackages", Rate.perSecond(200))
        .containsEntry("ListPackageVersions", Rate.perSecond(200))
        .containsEntry("ListPackageVersionAssets", Rate.perSecond(200))
        .hasSize(7);
    assertThat(LimitSettings.preset("none").rates()).isEmpty();
    assertThat(LimitSettings.preset("none").uploads()).isZero();
  }

  @Test
  void entriesGoOverThePresetAndALaterOneWins() {
    LimitSettings settings = LimitSettings.parse("codeartifact", List.of(
        "token=50/s,burst=100", "operation:GetAuthorizationToken=2/min; anonymous=off", "uploads=8",
        "operation:ListPackages=off", "token=60/s"));
    assertThat(settings.preset()).isEqualTo("codeartifact");
    assertThat(settings.rate(LimitSettings.Scope.TOKEN)).contains(Rate.perSecond(60));
    assertThat(settings.rate(LimitSettings.Scope.ANONYMOUS)).isEmpty();
    assertThat(settings.operations()).containsEntry("GetAuthorizationToken", new Rate(2, Duration.ofMinutes(1), 2))
        .doesNotContainKey("ListPackages");
    assertThat(settings.uploads()).isEqualTo(8);
    assertThat(LimitSettings.parse("default", List.of("uploads=off")).uploads()).isZero();
    assertThat(LimitSettings.parse("DEFAULT", List.of("access-key=10/s", "address=1000/s,burst=2000", "account-reads=5/s"))
        .rates()).containsKeys(LimitSettings.Scope.ACCESS_KEY, LimitSettings.Scope.ADDRESS,
            LimitSettings.Scope.ACCOUNT_READS, LimitSettings.Scope.ANONYMOUS);
  }

  @Test
  void ratesAreReadWithTheirBurstAndWrittenBackTheSameWay() {
    assertThat(Rate.parse("50/s")).isEqualTo(new Rate(50, Duration.ofSeconds(1), 50));
    assertThat(Rate.parse("50/s,burst=100")).isEqualTo(new Rate(50, Duration.ofSeconds(1), 100));
    assertThat(Rate.parse(" 600/min ")).isEqualTo(new Rate(600, Duration.ofMinutes(1), 600));
    assertThat(Rate.parse("50/s,burst=100").toString()).isEqualTo("50/s,burst=100");
    assertThat(Rate.parse("600/min").toString()).isEqualTo("600/min");
    assertThat(Rate.perSecond(2, 6).refillTime()).isGreaterThan(Duration.ofSeconds(3)).isLessThan(Duration.ofMillis(3001));
  }

  @Test
  void badEntriesAreRefusedSayingWhatWasExpected() {
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("token"))).hasMessageContaining("'token' is not KEY=RATE");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("token=50")))
        .hasMessageContaining("'token=50'").hasMessageContaining("50/s");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("token=0/s"))).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("token=5/s,burst=0"))).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("token=5/hour"))).hasMessageContaining("not a rate");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("tokens=5/s")))
        .hasMessageContaining("unknown limit 'tokens'").hasMessageContaining("access-key");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("operation:get-token=5/s")))
        .hasMessageContaining("not an AWS operation name");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("uploads=0"))).hasMessageContaining("uploads");
    assertThatThrownBy(() -> LimitSettings.parse("default", List.of("uploads=many"))).hasMessageContaining("uploads");
    assertThatThrownBy(() -> LimitSettings.parse("aws", List.of()))
        .hasMessageContaining("unknown preset 'aws'").hasMessageContaining("codeartifact");
  }
}
