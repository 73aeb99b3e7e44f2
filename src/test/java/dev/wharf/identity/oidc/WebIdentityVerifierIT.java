package dev.wharf.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.wharf.error.WharfException;
import dev.wharf.identity.Account;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.identity.infrastructure.SqlOidcProviderStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingOidcIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web identity tokens checked against a real HTTPS issuer (its own certificate, trusted by the
 * registered thumbprint): the good ones pass, and each bad one is refused with STS's error, without
 * Wharf contacting anyone it should not or waiting longer than its timeout.
 */
class WebIdentityVerifierIT {
  private static final String ACCOUNT = "111122223333";
  private static final String AUDIENCE = "sts.amazonaws.com";
  private static final String SUBJECT = "repo:org/repo:ref:refs/heads/main";

  @TempDir static Path scratch;
  static TestingOidcIssuer issuer;
  static Database database;
  static OidcProviderService providers;
  WebIdentityVerifier verifier;

  @BeforeAll
  static void start() {
    issuer = TestingOidcIssuer.start(scratch);
    database = TestingDatabases.sqlite(scratch);
    new SqlIdentityStore(database).insertAccount(new Account(ACCOUNT, "main", true, Instant.now()));
    providers = new OidcProviderService(new SqlOidcProviderStore(database), Clock.systemUTC());
    providers.create(ACCOUNT, issuer.issuer(), List.of(AUDIENCE), List.of(issuer.thumbprint()));
  }

  @AfterAll
  static void stop() {
    issuer.close();
    database.close();
  }

  @BeforeEach
  void freshKeyCache() {
    verifier = verifier(Duration.ofHours(1));
  }

  @AfterEach
  void issuerBehavesAgain() {
    issuer.delay(Duration.ZERO);
    issuer.status(200);
    issuer.jwksBody(null);
  }

  private static WebIdentityVerifier verifier(Duration refreshInterval) {
    return new WebIdentityVerifier(providers,
        new IssuerKeys(Duration.ofSeconds(5), 16 * 1024, Duration.ofMinutes(15), refreshInterval, Clock.systemUTC()),
        Clock.systemUTC());
  }

  private static JWTClaimsSet good() {
    return issuer.claims(SUBJECT, AUDIENCE).claim("amr", List.of("pwd", "mfa")).build();
  }

  private void refused(String token, String code, String message) {
    assertThatThrownBy(() -> verifier.verify(ACCOUNT, token))
        .isInstanceOfSatisfying(WharfException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }

  @Test
  void anRs256TokenOfTheRegisteredIssuerIsVerifiedWithItsClaims() {
    WebIdentityVerifier.WebIdentity identity = verifier.verify(ACCOUNT, issuer.rsaToken(good()));
    assertThat(identity.subject()).isEqualTo(SUBJECT);
    assertThat(identity.audience()).isEqualTo(AUDIENCE);
    assertThat(identity.amr()).containsExactly("pwd", "mfa");
    assertThat(identity.provider().arn())
        .isEqualTo("arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + issuer.issuer().substring("https://".length()));
  }

  @Test
  void anEs256TokenIsVerifiedAndATrailingNewlineFromATokenFileIsIgnored() {
    assertThat(verifier.verify(ACCOUNT, issuer.ecToken(good()) + "\n").subject()).isEqualTo(SUBJECT);
  }

  @Test
  void aTokenSignedByAnotherKeyUnderTheIssuersKeyIdIsRefused() throws JOSEException {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(TestingOidcIssuer.RSA_KEY_ID).keyUse(KeyUse.SIGNATURE).generate();
    refused(TestingOidcIssuer.sign(good(), JWSAlgorithm.RS256, impostor, h -> { }), "InvalidIdentityToken",
        "signature is not valid");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    refused(new PlainJWT(good()).serialize(), "InvalidIdentityToken", "not signed");
  }

  @Test
  void anHs256TokenKeyedWithTheIssuersPublicKeyIsRefused() throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(TestingOidcIssuer.RSA_KEY_ID).build(),
        good());
    jwt.sign(new MACSigner(issuer.rsaKey().toRSAPublicKey().getEncoded()));
    refused(jwt.serialize(), "InvalidIdentityToken", "HS256");
  }

  @Test
  void anUnknownKeyIdTriggersOneRefreshAndRepeatedOnesNoMore() throws JOSEException {
    verifier.verify(ACCOUNT, issuer.rsaToken(good()));
    int before = issuer.jwksFetches();
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("rsa-unknown").generate();
    String token = TestingOidcIssuer.sign(good(), JWSAlgorithm.RS256, unknown, h -> { });
    refused(token, "InvalidIdentityToken", "no key with key ID rsa-unknown");
    refused(token, "InvalidIdentityToken", "no key with key ID rsa-unknown");
    refused(token, "InvalidIdentityToken", "no key with key ID rsa-unknown");
    assertThat(issuer.jwksFetches()).isEqualTo(before + 1);
  }

  @Test
  void aRotatedKeyIsFetchedWhenATokenNamesIt() {
    WebIdentityVerifier eager = verifier(Duration.ZERO);
    eager.verify(ACCOUNT, issuer.rsaToken(good()));
    issuer.rotateRsaKey("rsa-2");
    try {
      assertThat(eager.verify(ACCOUNT, issuer.rsaToken(good())).subject()).isEqualTo(SUBJECT);
    } finally {
      issuer.rotateRsaKey(TestingOidcIssuer.RSA_KEY_ID);
    }
  }

  @Test
  void anExpiredTokenGetsExpiredTokenException() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    refused(issuer.rsaToken(issuer.claims(SUBJECT, AUDIENCE).issueTime(Date.from(past.minusSeconds(600)))
            .notBeforeTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past)).build()),
        "ExpiredTokenException", "Token expired");
  }

  @Test
  void aTokenNotValidYetIsRefused() {
    refused(issuer.rsaToken(issuer.claims(SUBJECT, AUDIENCE)
        .notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10)))).build()), "InvalidIdentityToken",
        "not valid before");
  }

  @Test
  void aTokenWithoutExpiryIsRefused() {
    refused(issuer.rsaToken(issuer.claims(SUBJECT, AUDIENCE).expirationTime(null).build()), "InvalidIdentityToken",
        "no exp");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() {
    refused(issuer.rsaToken(issuer.claims(SUBJECT, "another-client").build()), "InvalidIdentityToken",
        "Incorrect token audience");
  }

  @Test
  void aTokenOfAnotherIssuerIsRefusedWithoutAskingIt() {
    int before = issuer.jwksFetches();
    refused(issuer.rsaToken(issuer.claims(SUBJECT, AUDIENCE).issuer("https://attacker.example").build()),
        "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://attacker.example");
    assertThat(issuer.jwksFetches()).isEqualTo(before);
  }

  @Test
  void theIssuerIsNotRegisteredInAnotherAccount() {
    assertThatThrownBy(() -> verifier.verify("444455556666", issuer.rsaToken(good())))
        .isInstanceOfSatisfying(WharfException.class, e -> assertThat(e.code()).isEqualTo("InvalidIdentityToken"))
        .hasMessageContaining("No OpenIDConnect provider");
  }

  @Test
  void anIssuerWhoseCertificateMatchesNoThumbprintIsNotTrusted() {
    String account = "999988887777";
    new SqlIdentityStore(database).insertAccount(new Account(account, "other", false, Instant.now()));
    providers.create(account, issuer.issuer(), List.of(AUDIENCE), List.of("0".repeat(40)));
    assertThatThrownBy(() -> verifier.verify(account, issuer.rsaToken(good())))
        .isInstanceOfSatisfying(WharfException.class, e -> assertThat(e.code()).isEqualTo("IDPCommunicationError"))
        .hasMessageContaining("not trusted");
  }

  @Test
  void anIssuerThatIsDownGetsIdpCommunicationError() {
    issuer.status(500);
    refused(issuer.rsaToken(good()), "IDPCommunicationError", "HTTP 500");
  }

  @Test
  void aSlowIssuerIsGivenUpOnAfterTheTimeout() {
    // the issuer would answer after 30 s; the verifier's 1 s timeout must end the wait first
    issuer.delay(Duration.ofSeconds(30));
    refused(issuer.rsaToken(good()), "IDPCommunicationError", "did not answer in time");
  }

  @Test
  void anOversizedKeySetIsRefused() {
    issuer.jwksBody("{\"keys\":[],\"padding\":\"" + "x".repeat(20 * 1024) + "\"}");
    refused(issuer.rsaToken(good()), "IDPCommunicationError", "more than 16384 bytes");
  }

  @Test
  void aMalformedKeySetIsRefused() {
    issuer.jwksBody("{\"keys\": [ {\"kty\": \"RSA\", \"n\": 12 ");
    refused(issuer.rsaToken(good()), "IDPCommunicationError", "malformed");
  }

  @Test
  void aTokenOf100KilobytesIsRefusedBeforeItIsParsed() {
    refused("e" + "x".repeat(100 * 1024), "ValidationError", "less than or equal to 20000");
  }

  @Test
  void garbageIsNotAJwt() {
    refused("not.a.jwt", "InvalidIdentityToken", "not a JWT");
  }
}
