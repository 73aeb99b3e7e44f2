package dev.wharf.identity.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An OpenID Connect identity provider registered in an account: the issuer whose tokens roles may
 * trust, the audiences (client IDs) it accepts, and the SHA-1 thumbprints of the certificates that
 * may vouch for the issuer's TLS when the system trust store does not.
 *
 * @param url the issuer without {@code https://}: {@code host[:port][/path]}, as IAM reports it
 */
public record OidcProvider(String accountId, String url, List<String> clientIds, List<String> thumbprints,
    Instant createdAt) {

  public OidcProvider {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(url, "url");
    clientIds = List.copyOf(clientIds);
    thumbprints = List.copyOf(thumbprints);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** {@code arn:aws:iam::ACCOUNT:oidc-provider/URL}, as in AWS. */
  public String arn() {
    return arn(accountId, url);
  }

  public static String arn(String accountId, String url) {
    return "arn:aws:iam::" + accountId + ":oidc-provider/" + url;
  }

  /** The value the tokens' {@code iss} claim holds. */
  public String issuer() {
    return "https://" + url;
  }

  public OidcProvider withClientIds(List<String> ids) {
    return new OidcProvider(accountId, url, ids, thumbprints, createdAt);
  }

  public OidcProvider withThumbprints(List<String> prints) {
    return new OidcProvider(accountId, url, clientIds, prints, createdAt);
  }
}
