package dev.wharf.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The caches of IAM data (resolved access keys, users, roles, a principal's policies). Any IAM change clears
 * them, here and, through the change bus, on every node; an entry also expires after {@link #MAX_AGE}, so that
 * a node whose bus went deaf is not left on stale keys or policies for longer than that (docs/cluster.md).
 * Credentials and permissions share the bound, so a principal's keys and its policies are never of different ages.
 */
final class IdentityCaches {
  static final Duration MAX_AGE = Duration.ofSeconds(30);

  private IdentityCaches() {}

  static <K, V> Cache<K, V> newCache() {
    return Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(MAX_AGE).recordStats().build();
  }
}
