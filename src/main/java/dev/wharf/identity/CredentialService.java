package dev.wharf.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import dev.wharf.crypto.RandomIds;
import dev.wharf.crypto.SecretCipher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns an access key id (and session token) into the principal it belongs to and the secret
 * that signs its requests. Long-term keys come from the store through a cache that every IAM
 * change clears; role-session credentials are stateless: the session token is the session,
 * encrypted and authenticated under the master key, so any node can check it.
 */
public final class CredentialService {
  private static final String SESSION_CONTEXT = "sts-session-token:v1";

  private final IdentityStore store;
  private final SecretCipher cipher;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Cache<String, Optional<Resolved>> keys;
  private final Cache<String, Optional<Role>> roles;
  private final Cache<String, Optional<IamUser>> users;
  private final Map<String, IdentityStore.AccessKeyUse> pendingKeyUses = new ConcurrentHashMap<>();

  /** Why credentials were refused. */
  public enum Problem {
    UNKNOWN_ACCESS_KEY,
    INACTIVE_ACCESS_KEY,
    INVALID_SESSION_TOKEN,
    EXPIRED_SESSION
  }

  /** Credentials that cannot be used; the message is safe to show to the caller. */
  public static final class CredentialException extends Exception {
    private final Problem problem;

    public CredentialException(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  /** A principal and the secret its requests are signed with; inactive keys are resolved too and flagged. */
  public record Resolved(Principal principal, String secretAccessKey, boolean active) {}

  /** Temporary credentials: a role session, a GetSessionToken session or a federated user. */
  public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
      Principal principal) {
    /** When the credentials expire. */
    public Instant expiresAt() {
      return principal.session().expiresAt();
    }
  }

  /** Its caches by metric name, for hit rates (built with {@code recordStats}). */
  public Map<String, Cache<?, ?>> caches() {
    return Map.of("credentials.keys", keys, "credentials.roles", roles, "credentials.users", users);
  }

  public CredentialService(IdentityStore store, SecretCipher cipher, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keys = IdentityCaches.newCache();
    this.roles = IdentityCaches.newCache();
    this.users = IdentityCaches.newCache();
  }

  /**
   * Notes that a long-term access key signed an accepted request (GetAccessKeyLastUsed); stored by
   * {@link #flushKeyUses}, off the request path. Session keys are not recorded.
   */
  public void recordKeyUse(String accessKeyId, String service, String region) {
    if (accessKeyId.startsWith("AKIA")) {
      pendingKeyUses.put(accessKeyId, new IdentityStore.AccessKeyUse(accessKeyId, clock.instant(), service, region));
    }
  }

  /** Stores the key uses noted since the last flush (called every few seconds and at shutdown). */
  public void flushKeyUses() {
    List<IdentityStore.AccessKeyUse> batch = new ArrayList<>();
    for (String id : List.copyOf(pendingKeyUses.keySet())) {
      IdentityStore.AccessKeyUse use = pendingKeyUses.remove(id);
      if (use != null) {
        batch.add(use);
      }
    }
    store.recordAccessKeyUses(batch);
  }

  /** Drops every cached key, role and user (called on any IAM change). */
  public void invalidate() {
    keys.invalidateAll();
    roles.invalidateAll();
    users.invalidateAll();
  }

  /** Resolves credentials for a signed request. */
  public Resolved resolve(String accessKeyId, String sessionToken) throws CredentialException {
    if (sessionToken != null && !sessionToken.isEmpty()) {
      return resolveSession(accessKeyId, sessionToken);
    }
    Optional<Resolved> found = keys.get(accessKeyId, this::loadKey);
    if (found.isEmpty()) {
      throw new CredentialException(Problem.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid.");
    }
    if (!found.get().active()) {
      throw new CredentialException(Problem.INACTIVE_ACCESS_KEY, "The security token included in the request is invalid.");
    }
    return found.get();
  }

  private Optional<Resolved> loadKey(String accessKeyId) {
    if (!accessKeyId.startsWith("AKIA")) {
      return Optional.empty();
    }
    return store.findAccessKey(accessKeyId).flatMap(stored -> {
      AccessKey key = stored.key();
      String secret;
      try {
        secret = cipher.decryptString(stored.secretCiphertext(), IdentityService.secretContext(key.accessKeyId()));
      } catch (SecretCipher.DecryptionException e) {
        throw new IllegalStateException("access key secret does not decrypt under this master key");
      }
      Principal principal;
      if (key.isRootKey()) {
        principal = new Principal.Root(key.accountId());
      } else {
        Optional<IamUser> user = store.findUser(key.accountId(), key.userName());
        if (user.isEmpty()) {
          return Optional.empty();
        }
        principal = user.get().principal();
      }
      return Optional.of(new Resolved(principal, secret, key.status() == AccessKey.Status.Active));
    });
  }

  /** Issues credentials for a new session of the role, valid for the duration. */
  public SessionCredentials issueRoleSession(Role role, String sessionName, Duration duration, SessionScope scope) {
    return seal(session -> new Principal.AssumedRole(role.accountId(), role.roleName(), role.roleId(), role.path(),
        sessionName, session), duration, scope);
  }

  /** Issues GetSessionToken credentials: the user itself, for the duration. */
  public SessionCredentials issueUserSession(Principal.User user, Duration duration) {
    return seal(session -> new Principal.User(user.accountId(), user.userName(), user.userId(), user.path(), session),
        duration, SessionScope.NONE);
  }

  /** Issues GetFederationToken credentials: a federated user named {@code name}, acting for the user. */
  public SessionCredentials issueFederatedSession(Principal.User user, String name, Duration duration,
      SessionScope scope) {
    Principal.User longTerm = new Principal.User(user.accountId(), user.userName(), user.userId(), user.path());
    return seal(session -> new Principal.FederatedUser(user.accountId(), name, longTerm, session), duration, scope);
  }

  private SessionCredentials seal(Function<Principal.Session, Principal> principalOf, Duration duration,
      SessionScope scope) {
    Instant issued = clock.instant();
    Principal principal = principalOf.apply(new Principal.Session(issued, issued.plus(duration), scope));
    String accessKeyId = RandomIds.withPrefix("ASIA");
    String secret = RandomIds.secretAccessKey();
    ObjectNode payload = json.createObjectNode().put("k", accessKeyId).put("s", secret);
    PrincipalCodec.write(principal, payload);
    String token = cipher.encrypt(payload.toString(), SESSION_CONTEXT);
    return new SessionCredentials(accessKeyId, secret, token, principal);
  }

  private Resolved resolveSession(String accessKeyId, String sessionToken) throws CredentialException {
    JsonNode payload;
    try {
      payload = json.readTree(cipher.decrypt(sessionToken, SESSION_CONTEXT));
    } catch (SecretCipher.DecryptionException | IOException e) {
      throw invalidSession();
    }
    if (!accessKeyId.equals(payload.path("k").asText())) {
      throw invalidSession();
    }
    Principal principal = PrincipalCodec.read(payload).orElseThrow(CredentialService::invalidSession);
    Principal.Session session = principal.session();
    if (session == null) {
      throw invalidSession();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      throw new CredentialException(Problem.EXPIRED_SESSION, "The security token included in the request is expired");
    }
    // A deleted (or deleted and re-created) role or user ends its sessions, as in AWS.
    boolean alive = switch (principal) {
      case Principal.AssumedRole role -> roles.get(role.accountId() + "/" + role.roleName().toLowerCase(Locale.ROOT),
              k -> store.findRole(role.accountId(), role.roleName()))
          .filter(found -> found.roleId().equals(role.roleId())).isPresent();
      case Principal.User user -> userAlive(user);
      case Principal.FederatedUser federated -> userAlive(federated.user());
      case Principal.Root root -> false;
    };
    if (!alive) {
      throw invalidSession();
    }
    return new Resolved(principal, payload.path("s").asText(), true);
  }

  private boolean userAlive(Principal.User user) {
    return users.get(user.accountId() + "/" + user.userName().toLowerCase(Locale.ROOT),
            k -> store.findUser(user.accountId(), user.userName()))
        .filter(found -> found.userId().equals(user.userId())).isPresent();
  }

  private static CredentialException invalidSession() {
    return new CredentialException(Problem.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
  }
}
