package dev.wharf.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks what the console's sign-in form was given: an IAM user's console password (the account, the
 * user name and the password, as AWS's IAM sign-in page asks), or an access key pair of any principal,
 * root included. Every attempt is audited as {@code signin:ConsoleLogin}. Failed attempts are limited
 * per user and per address ({@link #MAX_FAILURES_PER_USER}, {@link #MAX_FAILURES_PER_ADDRESS} in
 * {@link #FAILURE_WINDOW}); past a limit, attempts are refused before any credential is checked. The
 * counts are per node.
 */
public final class ConsoleSignIn {
  public static final int MAX_FAILURES_PER_USER = 5;
  public static final int MAX_FAILURES_PER_ADDRESS = 20;
  public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
  static final String AUDIT_ACTION = "signin:ConsoleLogin";

  /** Checks an IAM user's console password: the user's principal when it matches. */
  @FunctionalInterface
  public interface Passwords {
    Optional<Verified> verify(String accountId, String userName, String password);
  }

  /** A password that matched: the user, and whether it must be changed before the user may go on. */
  public record Verified(Principal principal, boolean mustChangePassword) {}

  /** Why a sign-in was refused; the message is the one shown, and says nothing of which part was wrong. */
  public static final class Refused extends Exception {
    private final boolean throttled;
    private final boolean mustChangePassword;

    Refused(String message, boolean throttled) {
      this(message, throttled, false);
    }

    Refused(String message, boolean throttled, boolean mustChangePassword) {
      super(message, null, false, false);
      this.throttled = throttled;
      this.mustChangePassword = mustChangePassword;
    }

    public boolean throttled() {
      return throttled;
    }

    /** The password was right, but must be changed before the user signs in. */
    public boolean mustChangePassword() {
      return mustChangePassword;
    }
  }

  private final Passwords passwords;
  private final CredentialService credentials;
  private final AuditLog audit;
  private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().expireAfterWrite(FAILURE_WINDOW)
      .maximumSize(100_000).build();

  public ConsoleSignIn(Passwords passwords, CredentialService credentials, AuditLog audit) {
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * Signs in with a console password. A password that must be changed first is refused with
   * {@link Refused#mustChangePassword()}, unless {@code changing} (the form that sets the new one).
   */
  public Principal withPassword(String accountId, String userName, String password, String address, String requestId,
      boolean changing) throws Refused {
    String user = "user:" + blank(accountId) + "/" + blank(userName).toLowerCase(Locale.ROOT);
    AuditLog.Entry entry = begin(address, requestId);
    entry.resource(userArnGuess(accountId, userName), blank(accountId));
    throttle(entry, user, address);
    Optional<Verified> verified = accountId == null || userName == null || password == null ? Optional.empty()
        : passwords.verify(accountId.strip(), userName.strip(), password);
    if (verified.isPresent() && verified.get().mustChangePassword() && !changing) {
      failures.invalidate(user);
      entry.principal(verified.get().principal()).finish(AuditEvent.Outcome.DENIED, "PasswordResetRequired");
      throw new Refused("Your password has expired or must be reset: set a new one.", false, true);
    }
    return finish(entry, verified.map(Verified::principal), user, address);
  }

  /** Signs in with an access key pair (long-term keys: a user's or root's). */
  public Principal withAccessKey(String accessKeyId, String secretAccessKey, String address, String requestId)
      throws Refused {
    String key = "key:" + blank(accessKeyId);
    AuditLog.Entry entry = begin(address, requestId);
    throttle(entry, key, address);
    Optional<Principal> principal = Optional.empty();
    if (accessKeyId != null && secretAccessKey != null && !accessKeyId.isBlank()) {
      try {
        CredentialService.Resolved resolved = credentials.resolve(accessKeyId.strip(), null);
        if (resolved.active() && MessageDigest.isEqual(resolved.secretAccessKey().getBytes(StandardCharsets.UTF_8),
            secretAccessKey.strip().getBytes(StandardCharsets.UTF_8))) {
          principal = Optional.of(resolved.principal());
        }
      } catch (CredentialService.CredentialException unknown) {
        // refused below, as a wrong secret is
      }
    }
    return finish(entry, principal, key, address);
  }

  private AuditLog.Entry begin(String address, String requestId) {
    return audit.begin(() -> requestId, address).action(AUDIT_ACTION);
  }

  private void throttle(AuditLog.Entry entry, String subject, String address) throws Refused {
    if (count(subject) >= MAX_FAILURES_PER_USER || count("ip:" + address) >= MAX_FAILURES_PER_ADDRESS) {
      entry.finish(AuditEvent.Outcome.DENIED, "Throttled");
      throw new Refused("Too many failed sign-in attempts. Wait " + FAILURE_WINDOW.toMinutes()
          + " minutes and try again.", true);
    }
  }

  private Principal finish(AuditLog.Entry entry, Optional<Principal> principal, String subject, String address)
      throws Refused {
    if (principal.isEmpty()) {
      failures.get(subject, k -> new AtomicInteger()).incrementAndGet();
      failures.get("ip:" + address, k -> new AtomicInteger()).incrementAndGet();
      entry.finish(AuditEvent.Outcome.DENIED, "AuthenticationFailed");
      throw new Refused("Your authentication information is incorrect. Please try again.", false);
    }
    failures.invalidate(subject);
    entry.principal(principal.get()).finish(AuditEvent.Outcome.ALLOWED, null);
    return principal.get();
  }

  private int count(String key) {
    AtomicInteger count = failures.getIfPresent(key);
    return count == null ? 0 : count.get();
  }

  private static String blank(String value) {
    return value == null ? "" : value.strip();
  }

  /** The ARN of the user the form names (the path is not known before the user is found), for the audit trail. */
  private static String userArnGuess(String accountId, String userName) {
    return "arn:aws:iam::" + blank(accountId) + ":user/" + blank(userName);
  }
}
