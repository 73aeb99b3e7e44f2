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

  /** Who signed in, and with what: the credential a session re-checks on each request. */
  public record SignedIn(Principal principal, String credential) {
    /** The credential of a password sign-in. */
    public static final String PASSWORD = "password";

    /** The credential of an access-key sign-in. */
    public static String key(String accessKeyId) {
      return "key:" + accessKeyId;
    }
  }

  private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("\\d{12}");
  private static final java.util.regex.Pattern USER_NAME = java.util.regex.Pattern.compile("[\\w+=,.@-]{1,64}");

  /**
   * Signs in with a console password. A password that must be changed first is refused with
   * {@link Refused#mustChangePassword()}, unless {@code changing} (the form that sets the new one).
   */
  public SignedIn withPassword(String accountId, String userName, String password, String address, String requestId,
      boolean changing) throws Refused {
    String account = blank(accountId);
    String name = blank(userName);
    boolean wellFormed = ACCOUNT.matcher(account).matches() && USER_NAME.matcher(name).matches() && password != null;
    String user = "user:" + (wellFormed ? account + "/" + name.toLowerCase(Locale.ROOT) : "malformed");
    AuditLog.Entry entry = begin(address, requestId);
    if (wellFormed) { // only a well-formed name goes into the trail: the form's fields are the caller's to fill
      entry.resource("arn:aws:iam::" + account + ":user/" + name, account);
    }
    throttle(entry, user, address);
    Optional<Verified> verified = wellFormed ? passwords.verify(account, name, password) : Optional.empty();
    if (verified.isPresent() && verified.get().mustChangePassword() && !changing) {
      succeeded(user, address);
      entry.principal(verified.get().principal()).finish(AuditEvent.Outcome.DENIED, "PasswordResetRequired");
      throw new Refused("Your password has expired or must be reset: set a new one.", false, true);
    }
    return new SignedIn(finish(entry, verified.map(Verified::principal), user, address), SignedIn.PASSWORD);
  }

  /** Signs in with an access key pair (long-term keys: a user's or root's). */
  public SignedIn withAccessKey(String accessKeyId, String secretAccessKey, String address, String requestId)
      throws Refused {
    String id = blank(accessKeyId);
    String key = "key:" + (id.length() <= 128 ? id : "malformed");
    AuditLog.Entry entry = begin(address, requestId);
    throttle(entry, key, address);
    Optional<Principal> principal = Optional.empty();
    if (secretAccessKey != null && !id.isEmpty() && id.length() <= 128) {
      try {
        CredentialService.Resolved resolved = credentials.resolve(id, null);
        // the key's account sees the attempt in its trail, right or wrong
        entry.resource(resolved.principal().arn(), resolved.principal().accountId());
        if (resolved.active() && MessageDigest.isEqual(resolved.secretAccessKey().getBytes(StandardCharsets.UTF_8),
            secretAccessKey.strip().getBytes(StandardCharsets.UTF_8))) {
          principal = Optional.of(resolved.principal());
        }
      } catch (CredentialService.CredentialException unknown) {
        // refused below, as a wrong secret is
      }
    }
    return new SignedIn(finish(entry, principal, key, address), SignedIn.key(id));
  }

  private AuditLog.Entry begin(String address, String requestId) {
    // one event each, naming the user or key tried: the limits below bound how many a caller can make
    return audit.begin(() -> requestId, address).action(AUDIT_ACTION).individually();
  }

  /**
   * Counts the attempt before anything is checked, so that attempts made at once cannot all pass a count
   * read before any of them failed; past a limit, refuses it.
   */
  private void throttle(AuditLog.Entry entry, String subject, String address) throws Refused {
    int bySubject = failures.get(subject, k -> new AtomicInteger()).incrementAndGet();
    int byAddress = failures.get("ip:" + address, k -> new AtomicInteger()).incrementAndGet();
    if (bySubject > MAX_FAILURES_PER_USER || byAddress > MAX_FAILURES_PER_ADDRESS) {
      entry.finish(AuditEvent.Outcome.DENIED, "Throttled");
      throw new Refused("Too many failed sign-in attempts. Wait " + FAILURE_WINDOW.toMinutes()
          + " minutes and try again.", true);
    }
  }

  /** A right password or key: its attempt no longer counts against the user or the address. */
  private void succeeded(String subject, String address) {
    failures.invalidate(subject);
    AtomicInteger byAddress = failures.getIfPresent("ip:" + address);
    if (byAddress != null) {
      byAddress.decrementAndGet();
    }
  }

  private Principal finish(AuditLog.Entry entry, Optional<Principal> principal, String subject, String address)
      throws Refused {
    if (principal.isEmpty()) {
      entry.finish(AuditEvent.Outcome.DENIED, "AuthenticationFailed");
      throw new Refused("Your authentication information is incorrect. Please try again.", false);
    }
    succeeded(subject, address);
    entry.principal(principal.get()).finish(AuditEvent.Outcome.ALLOWED, null);
    return principal.get();
  }

  private static String blank(String value) {
    return value == null ? "" : value.strip();
  }
}
