package dev.wharf.identity.oidc;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.identity.Account;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.identity.infrastructure.SqlOidcProviderStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingFuzzFiles;
import dev.wharf.testing.TestingOidcIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the web identity token of AssumeRoleWithWebIdentity (a JWT: its compact form, header and claims JSON)
 * through {@link WebIdentityVerifier#verify}, against a registered provider whose issuer serves its keys from this
 * JVM. An input of three lines is a token's header JSON, claims JSON (where {@code $ISSUER} stands for that
 * issuer's URL) and signature, encoded here; any other input is the token's text as sent. Only
 * {@link WharfException} (STS's 400) may come out, and the only connection allowed is to that issuer.
 */
class WebIdentityTokenFuzzTest {
  private static final String ACCOUNT = "111122223333";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** One issuer, database and verifier for the whole run: set up once, when the first input arrives. */
  private static final class Issuer {
    static final TestingOidcIssuer ISSUER =
        TestingOidcIssuer.start(TestingFiles.directory(TestingFuzzFiles.scratch(), "issuer"));
    static final WebIdentityVerifier VERIFIER = verifier();

    private static WebIdentityVerifier verifier() {
      Database database = TestingDatabases.sqlite(TestingFiles.directory(TestingFuzzFiles.scratch(), "database"));
      new SqlIdentityStore(database).insertAccount(new Account(ACCOUNT, "main", true, Instant.now()));
      OidcProviderService providers = new OidcProviderService(new SqlOidcProviderStore(database), Clock.systemUTC());
      providers.create(ACCOUNT, ISSUER.issuer(), List.of("sts.amazonaws.com"), List.of(ISSUER.thumbprint()));
      return new WebIdentityVerifier(providers,
          new IssuerKeys(Duration.ofSeconds(1), 16 * 1024, Duration.ofMinutes(15), Duration.ofSeconds(10),
              Clock.systemUTC()),
          Clock.systemUTC());
    }
  }

  @FuzzTest(maxDuration = "10s")
  void tokensAreVerifiedOrRefusedWithA4xx(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    String token = lines.size() != 3 ? text : BASE64URL.encodeToString(lines.get(0).getBytes(StandardCharsets.UTF_8))
        + "." + BASE64URL.encodeToString(lines.get(1).replace("$ISSUER", Issuer.ISSUER.issuer())
            .getBytes(StandardCharsets.UTF_8))
        + "." + lines.get(2);
    // Jazzer's SSRF detector refuses every connection; the registered issuer's keys are fetched by design
    URI issuer = URI.create(Issuer.ISSUER.issuer());
    SilentCloseable issuerOnly = BugDetectors.allowNetworkConnections(
        (host, port) -> port == issuer.getPort() && (host.equals("127.0.0.1") || host.equals("localhost")));
    try {
      Issuer.VERIFIER.verify(ACCOUNT, token);
    } catch (WharfException refused) {
      // the documented refusal
    } finally {
      issuerOnly.close();
    }
  }
}
