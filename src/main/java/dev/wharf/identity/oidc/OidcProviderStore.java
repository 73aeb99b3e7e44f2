package dev.wharf.identity.oidc;

import java.util.List;
import java.util.Optional;

/** Persistence of OpenID Connect providers; one row a provider, keyed by its ARN. */
public interface OidcProviderStore {

  /** Inserts the provider unless one with its ARN exists or the account holds {@code maxPerAccount}; false then. */
  InsertOutcome insert(OidcProvider provider, int maxPerAccount);

  /** How an insert ended. */
  enum InsertOutcome {
    INSERTED,
    ALREADY_EXISTS,
    LIMIT_REACHED
  }

  Optional<OidcProvider> find(String providerArn);

  /** The account's providers, by ARN. */
  List<OidcProvider> list(String accountId);

  /** Replaces the client IDs and thumbprints of an existing provider; false when it does not exist. */
  boolean update(OidcProvider provider);

  /** Deletes the provider and its tags; false when it does not exist. */
  boolean delete(String providerArn);
}
