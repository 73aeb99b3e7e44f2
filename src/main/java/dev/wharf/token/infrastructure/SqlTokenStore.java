package dev.wharf.token.infrastructure;

import dev.wharf.store.Database;
import dev.wharf.store.SqlBatch;
import dev.wharf.token.TokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link TokenStore} on JDBC (SQLite and PostgreSQL). */
public final class SqlTokenStore implements TokenStore {
  private final Jdbi jdbi;

  public SqlTokenStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  /** Runs an update of one row by :id at the instant :at; true when it changed the row (false: gone or already done). */
  private boolean updatesOneRow(String sql, String id, Instant at) {
    return jdbi.withHandle(h -> h.createUpdate(sql).bind("at", at.toEpochMilli()).bind("id", id).execute()) == 1;
  }

  @Override
  public List<StoredKey> keys() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM token_keys ORDER BY seq")
        .map((rs, ctx) -> new StoredKey(rs.getString("key_id"), rs.getString("key_ciphertext"),
            "retired".equals(rs.getString("status")), instant(rs, "created_at"), instant(rs, "retired_at")))
        .list());
  }

  @Override
  public void insertKey(StoredKey key) {
    // Two nodes rotating at once read the same MAX(seq): the loser's insert does nothing and takes the next number.
    for (int attempt = 0; attempt < 20; attempt++) {
      int inserted = jdbi.inTransaction(h -> h.createUpdate("INSERT INTO token_keys (key_id, seq, key_ciphertext, status,"
              + " created_at) VALUES (:id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM token_keys), :ciphertext, 'active',"
              + " :created) ON CONFLICT DO NOTHING")
          .bind("id", key.keyId()).bind("ciphertext", key.keyCiphertext()).bind("created", key.createdAt().toEpochMilli())
          .execute());
      if (inserted == 1) {
        return;
      }
    }
    throw new IllegalStateException("token key " + key.keyId() + " could not be stored: key numbers kept colliding");
  }

  @Override
  public boolean retireKey(String keyId, Instant at) {
    return updatesOneRow("UPDATE token_keys SET status = 'retired', retired_at = :at WHERE key_id = :id AND status = 'active'",
        keyId, at);
  }

  @Override
  public void insertTokens(List<TokenRecord> tokens) {
    SqlBatch.execute(jdbi, "INSERT INTO authorization_tokens (token_id, principal_account, principal_arn,"
        + " domain_owner, domain_name, key_id, issued_at, expires_at) VALUES (:id, :account, :arn, :owner, :domain,"
        + " :key, :issued, :expires)", tokens, (batch, token) -> batch
        .bind("id", token.tokenId()).bind("account", token.principalAccount()).bind("arn", token.principalArn())
        .bind("owner", token.domainOwner()).bind("domain", token.domainName()).bind("key", token.keyId())
        .bind("issued", token.issuedAt().toEpochMilli()).bind("expires", token.expiresAt().toEpochMilli()));
  }

  private static TokenRecord token(ResultSet rs) throws SQLException {
    return new TokenRecord(rs.getString("token_id"), rs.getString("principal_account"), rs.getString("principal_arn"),
        rs.getString("domain_owner"), rs.getString("domain_name"), rs.getString("key_id"), instant(rs, "issued_at"),
        instant(rs, "expires_at"), instant(rs, "revoked_at"), instant(rs, "last_used_at"));
  }

  @Override
  public Optional<TokenRecord> findToken(String tokenId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM authorization_tokens WHERE token_id = :id")
        .bind("id", tokenId).map((rs, ctx) -> token(rs)).findOne());
  }

  @Override
  public List<TokenRecord> liveTokens(String principalAccount, Instant now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM authorization_tokens WHERE principal_account = :account"
            + " AND expires_at > :now AND revoked_at IS NULL ORDER BY issued_at DESC, token_id")
        .bind("account", principalAccount).bind("now", now.toEpochMilli()).map((rs, ctx) -> token(rs)).list());
  }

  @Override
  public List<String> revokedTokenIds(Instant now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT token_id FROM authorization_tokens WHERE revoked_at IS NOT NULL"
            + " AND expires_at > :now")
        .bind("now", now.toEpochMilli()).mapTo(String.class).list());
  }

  @Override
  public boolean revokeToken(String tokenId, Instant at) {
    return updatesOneRow("UPDATE authorization_tokens SET revoked_at = :at WHERE token_id = :id AND revoked_at IS NULL",
        tokenId, at);
  }

  @Override
  public void recordUses(Map<String, Instant> lastUses) {
    if (lastUses.isEmpty()) {
      return;
    }
    SqlBatch.execute(jdbi, "UPDATE authorization_tokens SET last_used_at = :at WHERE token_id = :id", lastUses.entrySet(),
        (batch, use) -> batch.bind("id", use.getKey()).bind("at", use.getValue().toEpochMilli()));
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM authorization_tokens WHERE expires_at < :before")
        .bind("before", before.toEpochMilli()).execute());
  }

  @Override
  public long countLiveTokensSignedWith(Collection<String> keyIds, Instant now) {
    if (keyIds.isEmpty()) {
      return 0;
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM authorization_tokens WHERE key_id IN (<ids>)"
            + " AND expires_at > :now")
        .bindList("ids", List.copyOf(keyIds)).bind("now", now.toEpochMilli()).mapTo(Long.class).one());
  }
}
