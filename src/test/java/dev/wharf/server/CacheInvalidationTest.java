package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.PackageKey;
import org.junit.jupiter.api.Test;

class CacheInvalidationTest {
  @Test
  void aPackageKeySurvivesTheTripThroughANotification() {
    PackageKey scoped = new PackageKey("111122223333", "acme", "app", "npm", "acme", "util");
    PackageKey plain = new PackageKey("111122223333", "acme", "app", "pypi", "", "requests");
    assertThat(CacheInvalidation.decode(CacheInvalidation.encode(scoped))).contains(scoped);
    assertThat(CacheInvalidation.decode(CacheInvalidation.encode(plain))).contains(plain);
  }

  @Test
  void anythingElseMeansEveryPackage() {
    assertThat(CacheInvalidation.decode("*")).isEmpty();
    assertThat(CacheInvalidation.decode("a\u001fb")).isEmpty();
  }
}
