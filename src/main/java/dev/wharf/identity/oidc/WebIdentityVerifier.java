package dev.wharf.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.wharf.error.WharfException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an OIDC identity token as STS does for AssumeRoleWithWebIdentity: a JWS signed with RS256,
 * RS384, RS512, ES256 or ES384 (never {@code none}, never an HMAC, whatever the header says) by a key
 * of the issuer's published key set, issued by a provider registered in the role's account, for one
 * of the provider's client IDs, and within its validity ({@code exp}, {@code nbf}, {@code iat}, with
 * a small clock skew). The claims are read only after the issuer is known to be registered, so a
 * token can never make Wharf contact a host no administrator named.
 */
public final class WebIdentityVerifier {
  /** STS's bound on the WebIdentityToken parameter. */
  public static final int MAX_TOKEN_LENGTH = 20_000;
  private static final Duration SKEW = Duration.ofSeconds(60);
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  private final OidcProviderService providers;
  private final IssuerKeys keys;
  private final Clock clock;

  /** A verified web identity: its provider, subject, the audience that matched, and its claims. */
  public record WebIdentity(OidcProvider provider, String subject, String audience, List<String> amr,
      JWTClaimsSet claims) {}

  public WebIdentityVerifier(OidcProviderService providers, IssuerKeys keys, Clock clock) {
    this.providers = Objects.requireNonNull(providers, "providers");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Verifies the token for a role in {@code accountId}; throws STS's error for each way it can fail. */
  public WebIdentity verify(String accountId, String token) {
    SignedJWT jwt = parse(token);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw invalid("The claims of the web identity token are not a JSON object");
    }
    String issuer = claims.getIssuer();
    OidcProvider provider = providers.forIssuer(accountId, issuer)
        .orElseThrow(() -> invalid("No OpenIDConnect provider found in your account for " + issuer));
    String audience = claims.getAudience().stream().filter(provider.clientIds()::contains).findFirst()
        .orElseThrow(() -> invalid("Incorrect token audience"));
    checkSignature(jwt, provider);
    checkTimes(claims);
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty()) {
      throw invalid("The web identity token has no sub claim");
    }
    return new WebIdentity(provider, subject, audience, amr(claims), claims);
  }

  private static SignedJWT parse(String token) {
    if (token == null || token.length() < 4) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'webIdentityToken'"
          + " failed to satisfy constraint: Member must have length greater than or equal to 4");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'webIdentityToken'"
          + " failed to satisfy constraint: Member must have length less than or equal to " + MAX_TOKEN_LENGTH);
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(token.strip());
    } catch (ParseException e) {
      throw invalid("The web identity token is not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw invalid("The web identity token is not signed");
    }
    if (!ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
      throw invalid("The web identity token is signed with " + signed.getHeader().getAlgorithm()
          + "; STS accepts RS256, RS384, RS512, ES256 and ES384");
    }
    return signed;
  }

  private void checkSignature(SignedJWT jwt, OidcProvider provider) {
    String keyId = jwt.getHeader().getKeyID();
    try {
      JWKSet set = keys.keys(provider);
      List<JWK> candidates = candidates(set, jwt, keyId);
      if (candidates.isEmpty() && keyId != null) {
        candidates = candidates(keys.refresh(provider), jwt, keyId);
      }
      if (candidates.isEmpty()) {
        throw invalid("The issuer publishes no key " + (keyId == null ? "for " + jwt.getHeader().getAlgorithm()
            : "with key ID " + keyId));
      }
      for (JWK key : candidates) {
        if (jwt.verify(verifier(key))) {
          return;
        }
      }
    } catch (IssuerKeys.IssuerUnavailableException e) {
      throw new WharfException.Invalid("IDPCommunicationError",
          "Couldn't retrieve verification key from your identity provider: " + e.getMessage());
    } catch (JOSEException e) {
      throw invalid("The web identity token's signature cannot be checked with the issuer's key");
    }
    throw invalid("The web identity token's signature is not valid");
  }

  /** Keys of the set that may have signed the token: its key ID if it names one, the algorithm's key type, for signing. */
  private static List<JWK> candidates(JWKSet set, SignedJWT jwt, String keyId) {
    JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
    boolean rsa = JWSAlgorithm.Family.RSA.contains(algorithm);
    List<JWK> found = new ArrayList<>();
    for (JWK key : set.getKeys()) {
      if (keyId != null && !keyId.equals(key.getKeyID())) {
        continue;
      }
      if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
        continue;
      }
      if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
        continue;
      }
      if (rsa ? key instanceof RSAKey : key instanceof ECKey) {
        found.add(key);
      }
    }
    return found;
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
  }

  private void checkTimes(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date expires = claims.getExpirationTime();
    if (expires == null) {
      throw invalid("The web identity token has no exp claim");
    }
    if (!now.isBefore(expires.toInstant().plus(SKEW))) {
      throw new WharfException.Invalid("ExpiredTokenException", "Token expired: current date/time " + now
          + " must be before the expiration date/time " + expires.toInstant());
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(SKEW).isBefore(notBefore.toInstant())) {
      throw invalid("The web identity token is not valid before " + notBefore.toInstant());
    }
    Date issued = claims.getIssueTime();
    if (issued != null && now.plus(SKEW).isBefore(issued.toInstant())) {
      throw invalid("The web identity token was issued in the future (" + issued.toInstant() + ")");
    }
  }

  private static List<String> amr(JWTClaimsSet claims) {
    Object amr = claims.getClaim("amr");
    if (amr instanceof List<?> values) {
      return values.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return amr instanceof String value ? List.of(value) : List.of();
  }

  private static WharfException invalid(String message) {
    return new WharfException.Invalid("InvalidIdentityToken", message);
  }
}
