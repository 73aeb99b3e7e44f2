package dev.wharf.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.crypto.RandomIds;
import dev.wharf.crypto.SecretCipher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an access key id (and session token) into the principal it belongs to and the secret
 * that signs its requests. Long-term keys come from the store through a cache that every IAM
 * change clears; role-session credentials are stateless: the session token is the session,
 * encrypted and authenticated under the master key, so any node can check it.
 */
public final class CredentialService {
  private static final String SESSION_CONTEXT = "sts-session-token:v1";
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final IdentityStore store;
  private final SecretCipher cipher;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Cache<String, Optional<Resolved>> keys;
  private final Cache<String, Optional<Role>> roles;

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

  /** Temporary credentials of a role session. */
  public record SessionCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
      Principal.AssumedRole principal) {}

  public CredentialService(IdentityStore store, SecretCipher cipher, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keys = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
    this.roles = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();
  }

  /** Drops every cached key and role (called on any IAM change). */
  public void invalidate() {
    keys.invalidateAll();
    roles.invalidateAll();
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
  public SessionCredentials issueSession(Role role, String sessionName, Duration duration) {
    Instant issued = clock.instant();
    Instant expires = issued.plus(duration);
    String accessKeyId = RandomIds.withPrefix("ASIA");
    String secret = RandomIds.secretAccessKey();
    ObjectNode payload = json.createObjectNode()
        .put("k", accessKeyId)
        .put("s", secret)
        .put("a", role.accountId())
        .put("r", role.roleName())
        .put("ri", role.roleId())
        .put("rp", role.path())
        .put("n", sessionName)
        .put("i", issued.toEpochMilli())
        .put("e", expires.toEpochMilli());
    String token = cipher.encrypt(payload.toString(), SESSION_CONTEXT);
    var principal = new Principal.AssumedRole(role.accountId(), role.roleName(), role.roleId(), role.path(), sessionName,
        issued, expires);
    return new SessionCredentials(accessKeyId, secret, token, principal);
  }

  private Resolved resolveSession(String accessKeyId, String sessionToken) throws CredentialException {
    JsonNode payload;
    try {
      payload = json.readTree(cipher.decrypt(sessionToken, SESSION_CONTEXT));
    } catch (SecretCipher.DecryptionException | IOException e) {
      throw new CredentialException(Problem.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
    }
    if (!accessKeyId.equals(payload.path("k").asText())) {
      throw new CredentialException(Problem.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
    }
    Instant expires = Instant.ofEpochMilli(payload.path("e").asLong());
    if (!clock.instant().isBefore(expires)) {
      throw new CredentialException(Problem.EXPIRED_SESSION, "The security token included in the request is expired");
    }
    String accountId = payload.path("a").asText();
    String roleName = payload.path("r").asText();
    String roleId = payload.path("ri").asText();
    // A deleted (or deleted and re-created) role ends its sessions, as in AWS.
    Optional<Role> role = roles.get(accountId + "/" + roleName.toLowerCase(java.util.Locale.ROOT),
        k -> store.findRole(accountId, roleName));
    if (role.isEmpty() || !role.get().roleId().equals(roleId)) {
      throw new CredentialException(Problem.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
    }
    var principal = new Principal.AssumedRole(accountId, role.get().roleName(), roleId, role.get().path(),
        payload.path("n").asText(), Instant.ofEpochMilli(payload.path("i").asLong()), expires);
    return new Resolved(principal, payload.path("s").asText(), true);
  }
}
