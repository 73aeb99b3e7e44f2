package dev.wharf.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The limiter's decisions, on a clock the test moves by hand (no sleeping, no timing). */
class RequestLimiterTest {
  /** A time source that moves only when told. */
  static final class TestingTime implements TimeMeter {
    private long nanos = 1_000_000_000L;

    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }

    void advance(Duration by) {
      nanos += by.toNanos();
    }
  }

  private final TestingTime time = new TestingTime();

  private RequestLimiter limiter(String preset, String... entries) {
    return new RequestLimiter(LimitSettings.parse(preset, List.of(entries)), time);
  }

  @Test
  void requestsWithoutAValidCredentialAreLimitedPerAddressAndTheRetryAfterSaysWhenOneMoreFits() {
    RequestLimiter limits = limiter("none", "anonymous=2/s,burst=3");
    for (int i = 0; i < 3; i++) {
      limits.admitAnonymous("10.0.0.1");
    }
    assertThatThrownBy(() -> limits.admitAnonymous("10.0.0.1"))
        .isInstanceOfSatisfying(WharfException.Throttled.class, throttled -> {
          assertThat(throttled.retryAfterSeconds()).isEqualTo(1);
          assertThat(throttled.getMessage()).contains("Rate exceeded").contains("without a valid credential");
        });
    limits.admitAnonymous("10.0.0.2"); // another address has its own budget

    time.advance(Duration.ofMillis(500)); // one request's worth refilled at 2/s
    limits.admitAnonymous("10.0.0.1");
    assertThatThrownBy(() -> limits.admitAnonymous("10.0.0.1")).isInstanceOf(WharfException.Throttled.class);
  }

  @Test
  void aSlowRateTellsTheClientToWaitSeveralSeconds() {
    RequestLimiter limits = limiter("none", "token=6/min,burst=1");
    limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", false);
    assertThatThrownBy(() -> limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", false))
        .isInstanceOfSatisfying(WharfException.Throttled.class,
            throttled -> assertThat(throttled.retryAfterSeconds()).isEqualTo(10));
  }

  @Test
  void byDefaultAuthenticatedTrafficIsNeverLimitedWhileAnonymousTrafficIs() {
    RequestLimiter limits = new RequestLimiter(LimitSettings.defaults(), time);
    // an npm install of thousands of packages, all at once, with one token from one address
    for (int i = 0; i < 20_000; i++) {
      limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", i % 10 == 0);
      limits.admitApiCall("10.0.0.1", "AKIAEXAMPLE", "111111111111", "GetAuthorizationToken");
    }
    for (int i = 0; i < LimitSettings.DEFAULT_ANONYMOUS.burst(); i++) {
      limits.admitAnonymous("10.0.0.1");
    }
    assertThatThrownBy(() -> limits.admitAnonymous("10.0.0.1")).isInstanceOf(WharfException.Throttled.class);
    limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", false); // its own token still works
  }

  @Test
  void eachTokenHasItsOwnBudgetAndReadsAndWritesCountPerAccount() {
    RequestLimiter limits = limiter("none", "token=1/min,burst=2", "account-writes=1/min,burst=1");
    limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", false);
    limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", true);
    assertThatThrownBy(() -> limits.admitPackageRequest("10.0.0.1", "token-a", "111111111111", false))
        .hasMessageContaining("authorization token");
    // another token of the same account: its own token budget, but the account's one write is spent
    limits.admitPackageRequest("10.0.0.1", "token-b", "111111111111", false);
    assertThatThrownBy(() -> limits.admitPackageRequest("10.0.0.1", "token-b", "111111111111", true))
        .hasMessageContaining("package writes");
    limits.admitPackageRequest("10.0.0.1", "token-c", "222222222222", true); // another account
  }

  @Test
  void anOperationIsLimitedPerCallingAccountAndOtherOperationsAreNot() {
    RequestLimiter limits = limiter("none", "operation:GetAuthorizationToken=40/s,burst=2");
    limits.admitApiCall("10.0.0.1", "AKIAONE", "111111111111", "GetAuthorizationToken");
    limits.admitApiCall("10.0.0.2", "AKIATWO", "111111111111", "GetAuthorizationToken");
    assertThatThrownBy(() -> limits.admitApiCall("10.0.0.3", "AKIATHREE", "111111111111", "GetAuthorizationToken"))
        .hasMessageContaining("GetAuthorizationToken");
    limits.admitApiCall("10.0.0.1", "AKIAONE", "111111111111", "ListDomains");
    limits.admitApiCall("10.0.0.1", "AKIAONE", "111111111111", null);
    limits.admitApiCall("10.0.0.1", "AKIAFOUR", "222222222222", "GetAuthorizationToken");
  }

  @Test
  void aRequestRefusedByOneLimitDoesNotSpendTheOthers() {
    RequestLimiter limits = limiter("none", "access-key=1/min,burst=1", "address=1/min,burst=2");
    limits.admitApiCall("10.0.0.1", "AKIAONE", "111111111111", "ListDomains");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> limits.admitApiCall("10.0.0.1", "AKIAONE", "111111111111", "ListDomains"))
          .hasMessageContaining("access key");
    }
    limits.admitApiCall("10.0.0.1", "AKIATWO", "111111111111", "ListDomains"); // the address's second request
    assertThatThrownBy(() -> limits.admitApiCall("10.0.0.1", "AKIATHREE", "111111111111", "ListDomains"))
        .hasMessageContaining("from this address");
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    RequestLimiter limits = limiter("none", "anonymous=1/min,burst=1");
    limits.admitAnonymous("2001:db8:0:1::1");
    assertThatThrownBy(() -> limits.admitAnonymous("[2001:db8:0:1:ffff:ffff:ffff:fffe]"))
        .isInstanceOf(WharfException.Throttled.class);
    limits.admitAnonymous("2001:db8:0:2::1");
    assertThat(RequestLimiter.addressKey("0:0:0:0:0:0:0:1")).isEqualTo(RequestLimiter.addressKey("::1"));
    assertThat(RequestLimiter.addressKey("127.0.0.1")).isEqualTo("127.0.0.1");
  }

  @Test
  void aFloodOfDistinctAddressesCannotGrowTheMapBeyondItsBoundAndIdleKeysExpire() {
    RequestLimiter limits = limiter("none", "anonymous=1/s,burst=2");
    for (int i = 0; i < RequestLimiter.MAX_KEYS_PER_SCOPE * 2; i++) {
      limits.admitAnonymous("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }
    assertThat(limits.keys(LimitSettings.Scope.ANONYMOUS)).isLessThanOrEqualTo(RequestLimiter.MAX_KEYS_PER_SCOPE);

    time.advance(Duration.ofSeconds(3)); // every bucket is full again: keeping it would change nothing
    // Caffeine drops expired keys a bounded number per maintenance run, so each run stays short
    long left = limits.keys(LimitSettings.Scope.ANONYMOUS);
    for (int run = 0; run < 200 && left > 0; run++) {
      left = limits.keys(LimitSettings.Scope.ANONYMOUS);
    }
    assertThat(left).isZero();
  }

  @Test
  void uploadsBeyondTheBoundAreRefusedAtOnceAndAFinishedUploadFreesItsPlace() {
    RequestLimiter limits = limiter("none", "uploads=2");
    RequestLimiter.Upload first = limits.upload();
    RequestLimiter.Upload second = limits.upload();
    assertThatThrownBy(limits::upload).isInstanceOfSatisfying(WharfException.Throttled.class,
        throttled -> assertThat(throttled.getMessage()).contains("Too many uploads"));
    first.close();
    first.close(); // closing twice frees one place, not two
    RequestLimiter.Upload third = limits.upload();
    assertThatThrownBy(limits::upload).isInstanceOf(WharfException.Throttled.class);
    second.close();
    third.close();

    RequestLimiter unbounded = limiter("none");
    for (int i = 0; i < 1_000; i++) {
      unbounded.upload();
    }
  }

  @Test
  void anOperationLimitMustNameAnOperationTheServerServes() {
    RequestLimiter limits = limiter("none", "operation:GetAuthorisationToken=40/s");
    assertThatThrownBy(() -> limits.requireKnownOperations(Set.of("GetAuthorizationToken", "ListDomains")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("operation:GetAuthorisationToken");
    limiter("codeartifact").requireKnownOperations(Set.copyOf(LimitSettings.CODEARTIFACT_OPERATIONS.keySet()));
  }
}
