package dev.wharf.token.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.store.Database;
import dev.wharf.token.TokenStore;
import dev.wharf.token.TokenStore.StoredKey;
import dev.wharf.token.TokenStore.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link TokenStore} must have; run against SQLite and PostgreSQL. */
abstract class TokenStoreContract {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  private Database database;
  private TokenStore store;

  protected abstract Database openDatabase();

  @BeforeEach
  void open() {
    database = openDatabase();
    store = new SqlTokenStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static TokenRecord token(String id, String account, Instant expires) {
    return new TokenRecord(id, account, "arn:aws:iam::" + account + ":root", account, "acme", "k1", NOW, expires, null, null);
  }

  @Test
  void keysAreListedOldestFirstAndRetiredOnce() {
    store.insertKey(new StoredKey("k1", "c1", false, NOW, null));
    store.insertKey(new StoredKey("k2", "c2", false, NOW.plusSeconds(1), null));
    assertThat(store.keys()).extracting(StoredKey::keyId).containsExactly("k1", "k2");
    assertThat(store.retireKey("k1", NOW)).isTrue();
    assertThat(store.retireKey("k1", NOW)).isFalse();
    assertThat(store.keys().get(0).retired()).isTrue();
    assertThat(store.keys().get(0).retiredAt()).isEqualTo(NOW);
  }

  @Test
  void keysCreatedAtOnceFromSeveralThreadsAreAllKept() throws Exception {
    List<String> ids = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "k" + i).toList();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(ids.size())) {
      var start = new java.util.concurrent.CountDownLatch(1);
      var done = ids.stream().map(id -> pool.submit(() -> {
        start.await();
        store.insertKey(new StoredKey(id, "c-" + id, false, NOW, null));
        return id;
      })).toList();
      start.countDown();
      for (var future : done) {
        future.get();
      }
    }
    assertThat(store.keys()).extracting(StoredKey::keyId).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void liveTokensLeaveOutExpiredRevokedAndOtherAccounts() {
    store.insertTokens(List.of(token("live", "111122223333", NOW.plusSeconds(60)),
        token("expired", "111122223333", NOW.minusSeconds(1)), token("revoked", "111122223333", NOW.plusSeconds(60))));
    store.insertTokens(List.of(token("other", "999999999999", NOW.plusSeconds(60))));
    assertThat(store.revokeToken("revoked", NOW)).isTrue();
    assertThat(store.revokeToken("revoked", NOW)).isFalse();
    assertThat(store.revokeToken("absent", NOW)).isFalse();
    assertThat(store.liveTokens("111122223333", NOW)).extracting(TokenRecord::tokenId).containsExactly("live");
    assertThat(store.revokedTokenIds(NOW)).containsExactly("revoked");
    assertThat(store.revokedTokenIds(NOW.plusSeconds(61))).isEmpty();
  }

  @Test
  void lastUseIsRecordedInBatchesAndExpiredRecordsAreDropped() {
    store.insertTokens(List.of(token("a", "111122223333", NOW.plusSeconds(60)), token("b", "111122223333", NOW.minusSeconds(60))));
    store.recordUses(Map.of("a", NOW.plusSeconds(5)));
    assertThat(store.findToken("a")).get().extracting(TokenRecord::lastUsedAt).isEqualTo(NOW.plusSeconds(5));
    assertThat(store.countLiveTokensSignedWith(List.of("k1"), NOW)).isEqualTo(1);
    assertThat(store.deleteExpired(NOW)).isEqualTo(1);
    assertThat(store.findToken("b")).isEmpty();
  }
}
