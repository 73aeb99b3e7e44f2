package dev.wharf.identity.infrastructure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.identity.oidc.OidcProvider;
import dev.wharf.identity.oidc.OidcProviderStore;
import dev.wharf.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link OidcProviderStore} on JDBC; the same SQL runs on SQLite and PostgreSQL. */
public final class SqlOidcProviderStore implements OidcProviderStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Jdbi jdbi;

  public SqlOidcProviderStore(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  @Override
  public InsertOutcome insert(OidcProvider provider, int maxPerAccount) {
    return jdbi.inTransaction(h -> {
      if (h.createQuery("SELECT 1 FROM oidc_providers WHERE provider_arn = :arn").bind("arn", provider.arn())
          .mapTo(Integer.class).findOne().isPresent()) {
        return InsertOutcome.ALREADY_EXISTS;
      }
      int count = h.createQuery("SELECT COUNT(*) FROM oidc_providers WHERE account_id = :account")
          .bind("account", provider.accountId()).mapTo(Integer.class).one();
      if (count >= maxPerAccount) {
        return InsertOutcome.LIMIT_REACHED;
      }
      int inserted = h.createUpdate("INSERT INTO oidc_providers (provider_arn, account_id, url, client_ids, thumbprints,"
              + " created_at) VALUES (:arn, :account, :url, :clients, :prints, :created) ON CONFLICT DO NOTHING")
          .bind("arn", provider.arn()).bind("account", provider.accountId()).bind("url", provider.url())
          .bind("clients", json(provider.clientIds())).bind("prints", json(provider.thumbprints()))
          .bind("created", provider.createdAt().toEpochMilli()).execute();
      return inserted == 1 ? InsertOutcome.INSERTED : InsertOutcome.ALREADY_EXISTS;
    });
  }

  @Override
  public Optional<OidcProvider> find(String providerArn) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM oidc_providers WHERE provider_arn = :arn")
        .bind("arn", providerArn).map((rs, ctx) -> provider(rs)).findOne());
  }

  @Override
  public List<OidcProvider> list(String accountId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM oidc_providers WHERE account_id = :account"
            + " ORDER BY provider_arn").bind("account", accountId).map((rs, ctx) -> provider(rs)).list());
  }

  @Override
  public boolean update(OidcProvider provider) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE oidc_providers SET client_ids = :clients, thumbprints = :prints"
            + " WHERE provider_arn = :arn")
        .bind("clients", json(provider.clientIds())).bind("prints", json(provider.thumbprints()))
        .bind("arn", provider.arn()).execute()) == 1;
  }

  @Override
  public boolean delete(String providerArn) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("DELETE FROM iam_tags WHERE entity_type = 'oidc-provider' AND entity_key = :arn")
          .bind("arn", providerArn).execute();
      return h.createUpdate("DELETE FROM oidc_providers WHERE provider_arn = :arn").bind("arn", providerArn).execute() == 1;
    });
  }

  private static OidcProvider provider(ResultSet rs) throws SQLException {
    return new OidcProvider(rs.getString("account_id"), rs.getString("url"), strings(rs.getString("client_ids")),
        strings(rs.getString("thumbprints")), Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> strings(String json) throws SQLException {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("oidc_providers holds a list that is not JSON", e);
    }
  }
}
