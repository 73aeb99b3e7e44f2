package dev.wharf.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.identity.IdentityStore;
import dev.wharf.identity.Principal;
import dev.wharf.identity.PrincipalCodec;
import dev.wharf.identity.Role;
import dev.wharf.metrics.Metrics;
import dev.wharf.store.BatchWriter;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and verifies CodeArtifact authorization tokens.
 *
 * <p>A token is {@code <keyId>.<sealed payload>}: the payload (token id, the principal it acts as,
 * domain, issue and expiry times) is sealed with AES-256-GCM under a token key, itself kept
 * encrypted under the master key. Verification is local: the key ring, the revocation list and
 * the principals' existence are in memory, so no database read happens per request. Keys rotate
 * (new tokens use the newest key; older keys keep verifying) and can be retired, which invalidates
 * every token they sealed at once.
 */
public final class TokenService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
  private static final String KEY_CONTEXT = "token-key:";
  private static final String TOKEN_CONTEXT = "wharf-authorization-token:";
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  /** Tokens longer than this are refused unread (real ones are a few hundred bytes; AWS's limit is 2,000). */
  public static final int MAX_TOKEN_LENGTH = 2000;

  private final TokenStore store;
  private final IdentityStore identities;
  private final SecretCipher masterCipher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ObjectMapper json = new ObjectMapper();

  private volatile KeyRing ring;
  private volatile Set<String> revoked = Set.of();
  private final Cache<String, AuthorizationToken> verified =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).recordStats().build();
  private final Cache<String, Boolean> principalsAlive =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(30)).recordStats().build();
  private final List<java.util.function.Consumer<Optional<String>>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, Instant> pendingUses = new ConcurrentHashMap<>();
  /** Records of issued tokens are written in batches, off the request path (for listing and revocation). */
  private final BatchWriter<TokenStore.TokenRecord> records;

  private record KeyRing(Map<String, SecretCipher> active, String currentKeyId) {}

  private final Metrics metrics;

  public TokenService(TokenStore store, IdentityStore identities, SecretCipher masterCipher, Clock clock,
      Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.store = Objects.requireNonNull(store, "store");
    this.identities = Objects.requireNonNull(identities, "identities");
    this.masterCipher = Objects.requireNonNull(masterCipher, "masterCipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.records = new BatchWriter<>("token-records", 100_000, 1_000, store::insertTokens);
    reload();
    if (ring.currentKeyId() == null) {
      try {
        rotateKey();
      } catch (RuntimeException raced) {
        // nodes of a cluster starting together: another one created the first key a moment ago
        reload();
        if (ring.currentKeyId() == null) {
          throw raced;
        }
      }
    }
  }

  /** Re-reads keys and revocations from the store (after a change here, or made by another node). */
  public synchronized void reload() {
    Map<String, SecretCipher> active = new HashMap<>();
    String current = null;
    for (TokenStore.StoredKey key : store.keys()) {
      if (key.retired()) {
        continue;
      }
      try {
        active.put(key.keyId(), new SecretCipher(masterCipher.decrypt(key.keyCiphertext(), KEY_CONTEXT + key.keyId())));
      } catch (SecretCipher.DecryptionException e) {
        throw new IllegalStateException("token key " + key.keyId() + " does not decrypt under this master key");
      }
      current = key.keyId();
    }
    ring = new KeyRing(Map.copyOf(active), current);
    revoked = Set.copyOf(store.revokedTokenIds(clock.instant()));
    verified.invalidateAll();
  }

  /**
   * Registers a callback run after a committed revocation (with the token id) or key rotation or
   * retirement (empty).
   */
  public void onChange(java.util.function.Consumer<Optional<String>> listener) {
    changeListeners.add(Objects.requireNonNull(listener));
  }

  private void changed(Optional<String> revokedTokenId) {
    changeListeners.forEach(listener -> listener.accept(revokedTokenId));
  }

  /** Adds a token another node revoked to the in-memory revocation list (no database read). */
  public synchronized void noteRevoked(String tokenId) {
    Set<String> more = new java.util.HashSet<>(revoked);
    more.add(Objects.requireNonNull(tokenId, "tokenId"));
    revoked = Set.copyOf(more);
  }

  /** Its caches by metric name, for hit rates (built with {@code recordStats}). */
  public Map<String, Cache<?, ?>> caches() {
    return Map.of("tokens.verified", verified, "tokens.principals", principalsAlive);
  }

  /** Drops cached principal checks (called on any IAM change). */
  public void invalidatePrincipals() {
    principalsAlive.invalidateAll();
  }

  // ---------------------------------------------------------------- keys

  /** Creates a new key that seals new tokens from now on; older keys keep verifying. Returns its id. */
  public synchronized String rotateKey() {
    byte[] material = new byte[32];
    random.nextBytes(material);
    String keyId = "k" + randomBase32(7);
    store.insertKey(new TokenStore.StoredKey(keyId, masterCipher.encrypt(material, KEY_CONTEXT + keyId), false,
        clock.instant(), null));
    reload();
    changed(Optional.empty());
    LOG.info("Token key {} created; new tokens are sealed with it", keyId);
    return keyId;
  }

  /** Retires a key: every token it sealed stops working at once. Retiring the current key rotates first. */
  public synchronized boolean retireKey(String keyId) {
    if (!ring.active().containsKey(keyId)) {
      return false;
    }
    if (keyId.equals(ring.currentKeyId())) {
      rotateKey();
    }
    boolean retired = store.retireKey(keyId, clock.instant());
    reload();
    changed(Optional.empty());
    LOG.info("Token key {} retired; tokens sealed with it are no longer valid", keyId);
    return retired;
  }

  public List<TokenStore.StoredKey> keys() {
    return store.keys();
  }

  public String currentKeyId() {
    return ring.currentKeyId();
  }

  // ---------------------------------------------------------------- issue and verify

  /** Seals a token for the principal and domain, valid until expiresAt, and records it. */
  public IssuedToken issue(Principal principal, String domainOwner, String domainName, Instant expiresAt) {
    KeyRing keys = ring;
    String tokenId = randomBase32(20);
    Instant issuedAt = clock.instant();
    ObjectNode payload = json.createObjectNode()
        .put("t", tokenId)
        .put("do", domainOwner)
        .put("d", domainName)
        .put("ia", issuedAt.toEpochMilli())
        .put("ea", expiresAt.toEpochMilli());
    PrincipalCodec.write(principal, payload);
    String keyId = keys.currentKeyId();
    String token = keyId + "." + keys.active().get(keyId).encrypt(payload.toString(), TOKEN_CONTEXT + keyId);
    records.submit(new TokenStore.TokenRecord(tokenId, principal.accountId(), principal.arn(), domainOwner, domainName,
        keyId, issuedAt, expiresAt, null, null));
    metrics.tokenIssued();
    LOG.debug("issued token {} for {} on domain {}/{}", tokenId, principal.arn(), domainOwner, domainName);
    return new IssuedToken(tokenId, token, expiresAt);
  }

  /** Checks a presented token: seal, key, expiry, revocation and that its principal still exists. */
  public AuthorizationToken verify(String token) throws InvalidTokenException {
    AuthorizationToken known = check(token);
    metrics.tokenVerified();
    return known;
  }

  /** {@link #verify}, and that the token was issued for this domain (else it is refused like any invalid one). */
  public AuthorizationToken verifyFor(String token, String domainOwner, String domainName) throws InvalidTokenException {
    AuthorizationToken known = check(token);
    if (!known.domainOwner().equals(domainOwner) || !known.domainName().equals(domainName)) {
      throw refused(Metrics.TokenRefusal.OTHER_DOMAIN);
    }
    metrics.tokenVerified();
    return known;
  }

  private AuthorizationToken check(String token) throws InvalidTokenException {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw refused(Metrics.TokenRefusal.MALFORMED);
    }
    AuthorizationToken known = verified.getIfPresent(token);
    if (known == null) {
      known = open(token);
      verified.put(token, known);
    }
    Instant now = clock.instant();
    if (!now.isBefore(known.expiresAt())) {
      throw refused(Metrics.TokenRefusal.EXPIRED);
    }
    if (revoked.contains(known.tokenId())) {
      throw refused(Metrics.TokenRefusal.REVOKED);
    }
    if (!ring.active().containsKey(known.keyId())) {
      throw refused(Metrics.TokenRefusal.UNKNOWN_KEY);
    }
    if (!principalAlive(known.principal())) {
      throw refused(Metrics.TokenRefusal.PRINCIPAL_GONE);
    }
    pendingUses.put(known.tokenId(), now);
    return known;
  }

  /** Counts a refusal by its reason; the caller is told only that the token is invalid. */
  private InvalidTokenException refused(Metrics.TokenRefusal reason) {
    metrics.tokenRefused(reason);
    return new InvalidTokenException();
  }

  private AuthorizationToken open(String token) throws InvalidTokenException {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      throw refused(Metrics.TokenRefusal.MALFORMED);
    }
    String keyId = token.substring(0, dot);
    SecretCipher cipher = ring.active().get(keyId);
    if (cipher == null) {
      throw refused(Metrics.TokenRefusal.UNKNOWN_KEY);
    }
    JsonNode payload;
    try {
      payload = json.readTree(cipher.decrypt(token.substring(dot + 1), TOKEN_CONTEXT + keyId));
    } catch (SecretCipher.DecryptionException | IOException e) {
      throw refused(Metrics.TokenRefusal.TAMPERED);
    }
    Principal principal = PrincipalCodec.read(payload).orElseThrow(() -> refused(Metrics.TokenRefusal.TAMPERED));
    return new AuthorizationToken(payload.path("t").asText(), principal, payload.path("do").asText(),
        payload.path("d").asText(), Instant.ofEpochMilli(payload.path("ia").asLong()),
        Instant.ofEpochMilli(payload.path("ea").asLong()), keyId);
  }

  /**
   * Deleting the user (or role, or account) ends its tokens; deleting only the access key used does not. So does
   * renaming or moving a user (UpdateUser): a token names the user as it was, and acts only while a user of that
   * name, path and id exists (the cache key holds the ARN, so a renamed user's new tokens are not mistaken for
   * its old ones). The web console asks the same of a session's principal on every request. Cached, and
   * dropped on any IAM change on every node.
   */
  public boolean principalAlive(Principal principal) {
    String key = principal.accountId() + "/" + principal.userId() + "/" + principal.arn();
    return principalsAlive.get(key, k -> switch (principal) {
      case Principal.Root root -> identities.findAccount(root.accountId()).isPresent();
      case Principal.User user -> userAlive(user);
      case Principal.FederatedUser federated -> userAlive(federated.user());
      case Principal.AssumedRole session -> identities.findRole(session.accountId(), session.roleName())
          .map(Role::roleId).map(id -> id.equals(session.roleId())).orElse(false);
    });
  }

  private boolean userAlive(Principal.User user) {
    return identities.findUser(user.accountId(), user.userName())
        .map(found -> found.userId().equals(user.userId()) && found.arn().equals(user.arn())).orElse(false);
  }

  // ---------------------------------------------------------------- revocation and listing

  /** Revokes one token by id; it stops working at its next use. */
  public boolean revoke(String tokenId) {
    records.flush();
    boolean done = store.revokeToken(tokenId, clock.instant());
    if (done) {
      synchronized (this) { // not to lose a revocation another node announced meanwhile (noteRevoked)
        revoked = Set.copyOf(store.revokedTokenIds(clock.instant()));
      }
      changed(Optional.of(tokenId));
      LOG.info("Token {} revoked", tokenId);
    }
    return done;
  }

  public Optional<TokenStore.TokenRecord> find(String tokenId) {
    records.flush();
    return store.findToken(tokenId);
  }

  /**
   * The tokens of the account that still work: not expired, not revoked, sealed by an active key, and whose
   * principal still exists (a deleted user's, role's or account's tokens are refused, so they are not listed).
   * A record names its principal by ARN: a principal deleted and made again under the same name counts as
   * existing here, though its old tokens are refused (they name the old user's or role's id).
   */
  public List<TokenStore.TokenRecord> liveTokens(String principalAccount) {
    records.flush();
    flushUses();
    Set<String> activeKeys = ring.active().keySet();
    return store.liveTokens(principalAccount, clock.instant()).stream()
        .filter(token -> activeKeys.contains(token.keyId()) && principalNamedAlive(token.principalAccount(),
            token.principalArn()))
        .toList();
  }

  /** Whether a principal of this ARN exists (by name: a record keeps no user or role id). */
  private boolean principalNamedAlive(String accountId, String arn) {
    if (identities.findAccount(accountId).isEmpty()) {
      return false;
    }
    String iamPrefix = "arn:aws:iam::" + accountId + ":";
    String stsPrefix = "arn:aws:sts::" + accountId + ":";
    if (arn.equals(iamPrefix + "root")) {
      return true;
    }
    if (arn.startsWith(iamPrefix + "user/")) {
      String name = arn.substring(arn.lastIndexOf('/') + 1);
      return identities.findUser(accountId, name).map(user -> user.arn().equals(arn)).orElse(false);
    }
    if (arn.startsWith(stsPrefix + "assumed-role/")) {
      String[] parts = arn.substring((stsPrefix + "assumed-role/").length()).split("/", 2);
      return identities.findRole(accountId, parts[0]).isPresent();
    }
    // a federated user's ARN does not name the IAM user that made the session: its account exists
    return arn.startsWith(stsPrefix + "federated-user/");
  }

  /** Writes pending last-use times in one batch (run periodically and before listing). */
  public void flushUses() {
    records.flush();
    if (pendingUses.isEmpty()) {
      return;
    }
    Map<String, Instant> batch = new HashMap<>();
    for (String id : List.copyOf(pendingUses.keySet())) {
      Instant at = pendingUses.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    store.recordUses(batch);
  }

  /** Stores the records still queued and stops the writer. */
  @Override
  public void close() {
    records.close();
    flushUses();
  }

  private String randomBase32(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE32[random.nextInt(BASE32.length)];
    }
    return new String(out).toLowerCase(Locale.ROOT);
  }
}
