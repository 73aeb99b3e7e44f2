package dev.wharf.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.crypto.Sha256;
import dev.wharf.identity.Principal;
import dev.wharf.identity.PrincipalCodec;
import dev.wharf.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * The web console's sessions, kept in the database so that every node of a cluster sees a sign-out or
 * an expiry at once. A session is a random id in an HttpOnly cookie; the table holds only its SHA-256.
 * Each session has a CSRF token of its own, which every form of the session posts back.
 *
 * <p>A session ends when it has been idle for {@link #IDLE}, at the latest {@link #ABSOLUTE} after it
 * began, at sign-out, as soon as its principal no longer exists (the user is deleted or renamed:
 * {@code alive} is the check the token service makes, kept current on every node by the change bus), and
 * as soon as what it signed in with no longer holds ({@code credentials}: the access key deactivated or
 * deleted, the console password deleted or changed since).
 */
public final class ConsoleSessions {
  public static final Duration IDLE = Duration.ofMinutes(30);
  public static final Duration ABSOLUTE = Duration.ofHours(12);
  /** Reads of a session refresh its last-seen time at most this often (not one write per page). */
  private static final Duration SEEN_RESOLUTION = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Clock clock;
  private final Predicate<Principal> alive;
  private final Credentials credentials;

  /** Whether what a session signed in with still holds. */
  @FunctionalInterface
  public interface Credentials {
    /**
     * @param credential {@link ConsoleSignIn.SignedIn#credential()}
     * @param since when the session began
     */
    boolean stillValid(Principal principal, String credential, Instant since);
  }

  /** A live session: the principal it acts as and the token its forms must post. */
  public record Session(String id, Principal principal, String csrf, Instant createdAt) {
    public Session {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(principal, "principal");
      Objects.requireNonNull(csrf, "csrf");
    }

    /** Whether a posted CSRF token is this session's (constant time). */
    public boolean acceptsCsrf(String posted) {
      return posted != null && java.security.MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
          posted.getBytes(StandardCharsets.UTF_8));
    }
  }

  public ConsoleSessions(Database database, Clock clock, Predicate<Principal> alive, Credentials credentials) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.alive = Objects.requireNonNull(alive, "alive");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** Starts a session for a principal that just signed in; a fresh id, never one the browser offered. */
  public Session start(Principal principal, String credential) {
    String id = randomToken();
    String csrf = randomToken();
    Instant now = clock.instant();
    ObjectNode encoded = JSON.createObjectNode();
    PrincipalCodec.write(principal, encoded);
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO console_sessions (id_sha256, account_id, principal, credential,"
            + " csrf, created_at, seen_at) VALUES (:id, :account, :principal, :credential, :csrf, :now, :now)")
        .bind("id", Sha256.hex(id.getBytes(StandardCharsets.US_ASCII))).bind("account", principal.accountId())
        .bind("principal", encoded.toString()).bind("credential", credential).bind("csrf", csrf)
        .bind("now", now.toEpochMilli()).execute());
    return new Session(id, principal, csrf, now);
  }

  /** The live session a cookie names, if any; an expired or orphaned one is removed. */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    String hash = Sha256.hex(id.getBytes(StandardCharsets.UTF_8));
    Optional<Stored> stored = jdbi.withHandle(h -> h.createQuery("SELECT principal, credential, csrf, created_at,"
            + " seen_at FROM console_sessions WHERE id_sha256 = :id").bind("id", hash)
        .map((rs, ctx) -> new Stored(rs.getString("principal"), rs.getString("credential"), rs.getString("csrf"),
            Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("seen_at"))))
        .findOne());
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<Principal> principal = principal(stored.get().principal());
    if (now.isAfter(stored.get().createdAt().plus(ABSOLUTE)) || now.isAfter(stored.get().seenAt().plus(IDLE))
        || principal.isEmpty() || !alive.test(principal.get())
        || !credentials.stillValid(principal.get(), stored.get().credential(), stored.get().createdAt())) {
      delete(hash);
      return Optional.empty();
    }
    if (now.isAfter(stored.get().seenAt().plus(SEEN_RESOLUTION))) {
      jdbi.useHandle(h -> h.createUpdate("UPDATE console_sessions SET seen_at = :now WHERE id_sha256 = :id")
          .bind("now", now.toEpochMilli()).bind("id", hash).execute());
    }
    return Optional.of(new Session(id, principal.get(), stored.get().csrf(), stored.get().createdAt()));
  }

  /** Ends a session (sign-out). */
  public void end(Session session) {
    delete(Sha256.hex(session.id().getBytes(StandardCharsets.UTF_8)));
  }

  /** Removes sessions past their lifetimes (run now and then; {@link #find} removes those it meets). */
  public int removeExpired() {
    Instant now = clock.instant();
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE created_at < :created"
            + " OR seen_at < :seen")
        .bind("created", now.minus(ABSOLUTE).toEpochMilli()).bind("seen", now.minus(IDLE).toEpochMilli()).execute());
  }

  private void delete(String hash) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE id_sha256 = :id").bind("id", hash)
        .execute());
  }

  private record Stored(String principal, String credential, String csrf, Instant createdAt, Instant seenAt) {}

  private static Optional<Principal> principal(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return PrincipalCodec.read(node);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
