package dev.wharf.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.crypto.MasterKey;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.identity.IamUser;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.Principal;
import dev.wharf.identity.infrastructure.SqlIdentityStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.token.infrastructure.SqlTokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {
  private static final String ACCOUNT = "111122223333";
  @TempDir Path directory;
  private Database database;
  private TestingClock clock;
  private IdentityService identity;
  private TokenService tokens;
  private Principal.User alice;

  @BeforeEach
  void setUp() {
    database = TestingDatabases.sqlite(directory);
    clock = TestingClock.startingNow();
    SecretCipher cipher = new SecretCipher(MasterKey.random());
    SqlIdentityStore identities = new SqlIdentityStore(database);
    identity = new IdentityService(identities, cipher, clock);
    identity.createAccount(ACCOUNT, "main", true);
    IamUser user = identity.createUser(ACCOUNT, "alice", "/");
    alice = user.principal();
    tokens = new TokenService(new SqlTokenStore(database), identities, cipher, clock, dev.wharf.metrics.Metrics.none());
    identity.onChange(tokens::invalidatePrincipals);
  }

  @AfterEach
  void tearDown() {
    database.close();
  }

  private IssuedToken issue(Duration lifetime) {
    return tokens.issue(alice, ACCOUNT, "acme", clock.instant().plus(lifetime));
  }

  @Test
  void aTokenActsAsItsPrincipalForItsDomainUntilItExpires() throws Exception {
    IssuedToken issued = issue(Duration.ofHours(12));
    AuthorizationToken token = tokens.verify(issued.token());
    assertThat(token.principal()).isEqualTo(alice);
    assertThat(token.domainName()).isEqualTo("acme");
    assertThat(token.tokenId()).isEqualTo(issued.tokenId());
    assertThat(issued.token()).matches("[A-Za-z0-9._-]+").hasSizeLessThan(TokenService.MAX_TOKEN_LENGTH);
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @Test
  void aTokenIsRefusedFromTheSecondItExpires() throws Exception {
    IssuedToken issued = issue(Duration.ofSeconds(900));
    clock.advance(Duration.ofSeconds(899));
    tokens.verify(issued.token());
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> tokens.verify(issued.token())).isInstanceOf(InvalidTokenException.class)
        .hasMessage(InvalidTokenException.MESSAGE);
  }

  @Test
  void tamperedTruncatedOrForeignTokensAreRefusedWithTheSameMessage() {
    String token = issue(Duration.ofHours(1)).token();
    char[] chars = token.toCharArray();
    int last = chars.length - 5;
    chars[last] = chars[last] == 'A' ? 'B' : 'A';
    for (String bad : new String[] {new String(chars), token.substring(0, token.length() - 3), "nokey." + token,
        "x".repeat(3000), "", "no-dot-at-all"}) {
      assertThatThrownBy(() -> tokens.verify(bad)).isInstanceOf(InvalidTokenException.class)
          .hasMessage(InvalidTokenException.MESSAGE);
    }
  }

  @Test
  void anyOtherTextDecodingToTheSameBytesIsRefused() throws Exception {
    // unpadded base64url: a text whose length is not a multiple of 4 ends in a character with unused low bits
    int checked = 0;
    for (String domain : new String[] {"a", "ab", "abc", "abcd"}) {
      String token = tokens.issue(alice, ACCOUNT, domain, clock.instant().plus(Duration.ofHours(1))).token();
      tokens.verify(token);
      String sealed = token.substring(token.indexOf('.') + 1);
      assertThatThrownBy(() -> tokens.verify(token + "=")).isInstanceOf(InvalidTokenException.class);
      assertThatThrownBy(() -> tokens.verify(token + "==")).isInstanceOf(InvalidTokenException.class);
      if (sealed.length() % 4 != 0) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        // the lowest bit of the last character is unused: flipping it gives another text of the same bytes
        String sameBytes = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(java.util.Base64.getUrlDecoder().decode(sameBytes.substring(sameBytes.indexOf('.') + 1)))
            .isEqualTo(java.util.Base64.getUrlDecoder().decode(sealed));
        assertThatThrownBy(() -> tokens.verify(sameBytes)).isInstanceOf(InvalidTokenException.class)
            .hasMessage(InvalidTokenException.MESSAGE);
        checked++;
      }
      tokens.verify(token);
    }
    assertThat(checked).isPositive();
  }

  @Test
  void theListShowsOnlyTokensWhosePrincipalStillExists() {
    IssuedToken alices = issue(Duration.ofHours(1));
    IamUser bob = identity.createUser(ACCOUNT, "bob", "/");
    IssuedToken bobs = tokens.issue(bob.principal(), ACCOUNT, "acme", clock.instant().plus(Duration.ofHours(1)));
    assertThat(tokens.liveTokens(ACCOUNT)).extracting(TokenStore.TokenRecord::tokenId)
        .containsExactlyInAnyOrder(alices.tokenId(), bobs.tokenId());

    identity.deleteUser(ACCOUNT, "bob");

    assertThat(tokens.liveTokens(ACCOUNT)).extracting(TokenStore.TokenRecord::tokenId)
        .containsExactly(alices.tokenId());
  }

  @Test
  void revokingATokenStopsItButNotOthers() throws Exception {
    IssuedToken revoked = issue(Duration.ofHours(1));
    IssuedToken kept = issue(Duration.ofHours(1));
    tokens.verify(revoked.token());
    assertThat(tokens.revoke(revoked.tokenId())).isTrue();
    assertThatThrownBy(() -> tokens.verify(revoked.token())).isInstanceOf(InvalidTokenException.class);
    tokens.verify(kept.token());
  }

  @Test
  void rotationKeepsOldTokensAndRetirementEndsThem() throws Exception {
    String firstKey = tokens.currentKeyId();
    IssuedToken old = issue(Duration.ofHours(1));
    String secondKey = tokens.rotateKey();
    IssuedToken fresh = issue(Duration.ofHours(1));
    assertThat(old.token()).startsWith(firstKey + ".");
    assertThat(fresh.token()).startsWith(secondKey + ".");
    tokens.verify(old.token());
    assertThat(tokens.retireKey(firstKey)).isTrue();
    assertThatThrownBy(() -> tokens.verify(old.token())).isInstanceOf(InvalidTokenException.class);
    tokens.verify(fresh.token());
  }

  @Test
  void retiringTheCurrentKeyRotatesFirstSoNewTokensCanStillBeIssued() throws Exception {
    String current = tokens.currentKeyId();
    assertThat(tokens.retireKey(current)).isTrue();
    assertThat(tokens.currentKeyId()).isNotEqualTo(current);
    tokens.verify(issue(Duration.ofHours(1)).token());
  }

  @Test
  void deletingTheUserEndsItsTokensButRecreatingItDoesNotRevive() throws Exception {
    IssuedToken issued = issue(Duration.ofHours(1));
    tokens.verify(issued.token());
    identity.deleteUser(ACCOUNT, "alice");
    assertThatThrownBy(() -> tokens.verify(issued.token())).isInstanceOf(InvalidTokenException.class);
    identity.createUser(ACCOUNT, "alice", "/");
    assertThatThrownBy(() -> tokens.verify(issued.token())).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void lastUseIsRecordedWhenFlushed() throws Exception {
    IssuedToken issued = issue(Duration.ofHours(1));
    clock.advance(Duration.ofSeconds(30));
    Instant usedAt = clock.instant();
    tokens.verify(issued.token());
    tokens.flushUses();
    assertThat(tokens.find(issued.tokenId())).get().extracting(TokenStore.TokenRecord::lastUsedAt).isEqualTo(usedAt);
    assertThat(tokens.liveTokens(ACCOUNT)).extracting(TokenStore.TokenRecord::tokenId).containsExactly(issued.tokenId());
  }
}
