package dev.wharf.token;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of token keys (encrypted) and of the record of issued tokens. */
public interface TokenStore {

  /** A sealing key as stored: its material is encrypted under the master key. */
  record StoredKey(String keyId, String keyCiphertext, boolean retired, Instant createdAt, Instant retiredAt) {}

  /** What is kept about an issued token (never the token itself). */
  record TokenRecord(String tokenId, String principalAccount, String principalArn, String domainOwner, String domainName,
      String keyId, Instant issuedAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {}

  /** All keys, in the order they were made (the last active one seals new tokens). */
  List<StoredKey> keys();

  void insertKey(StoredKey key);

  /** Marks a key retired; false when no such active key exists. */
  boolean retireKey(String keyId, Instant at);

  /** Records issued tokens, in one transaction. */
  void insertTokens(List<TokenRecord> tokens);

  Optional<TokenRecord> findToken(String tokenId);

  /** Tokens of principals of an account that have not expired by {@code now}, newest first. */
  List<TokenRecord> liveTokens(String principalAccount, Instant now);

  /** Ids of revoked tokens that have not expired by {@code now}. */
  List<String> revokedTokenIds(Instant now);

  /** Marks a token revoked; false when it does not exist or was revoked already. */
  boolean revokeToken(String tokenId, Instant at);

  /** Records last-use times (batched by the caller). */
  void recordUses(Map<String, Instant> lastUses);

  /** Drops records of tokens that expired before the given time. */
  int deleteExpired(Instant before);

  /** Ids of tokens signed with these keys (for reporting a retirement). */
  long countLiveTokensSignedWith(Collection<String> keyIds, Instant now);
}
