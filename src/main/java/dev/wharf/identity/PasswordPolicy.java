package dev.wharf.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An account's password policy for its IAM users' console passwords (UpdateAccountPasswordPolicy), and the rules a
 * new password must meet: this policy's, or AWS's default one when the account has none ({@link #defaultViolations}).
 *
 * @param minimumPasswordLength 6..128
 * @param maxPasswordAge days a password is valid, 1..1095; 0 when passwords never expire
 * @param passwordReusePrevention how many of the user's latest passwords (the current one included) a new one may
 *     not repeat, 1..24; 0 when any may be reused
 * @param hardExpiry whether an expired password keeps the user out of the console until an administrator sets a new
 *     one (otherwise the user signs in and must change it)
 */
public record PasswordPolicy(int minimumPasswordLength, boolean requireSymbols, boolean requireNumbers,
    boolean requireUppercaseCharacters, boolean requireLowercaseCharacters, boolean allowUsersToChangePassword,
    int maxPasswordAge, int passwordReusePrevention, boolean hardExpiry) {

  /** UpdateAccountPasswordPolicy's MinimumPasswordLength when the request leaves it out, as AWS documents it. */
  public static final int DEFAULT_MINIMUM_LENGTH = 6;
  public static final int MIN_MINIMUM_LENGTH = 6;
  public static final int MAX_LENGTH = 128;
  public static final int MAX_PASSWORD_AGE = 1095;
  public static final int MAX_REUSE_PREVENTION = 24;
  /** The symbols IAM counts (RequireSymbols, and the default policy's fourth kind of character). */
  public static final String SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

  /** AWS's default policy when an account has none: at least 8 characters. */
  public static final int DEFAULT_POLICY_MINIMUM_LENGTH = 8;

  public PasswordPolicy {
    if (minimumPasswordLength < MIN_MINIMUM_LENGTH || minimumPasswordLength > MAX_LENGTH) {
      throw new IllegalArgumentException("minimumPasswordLength " + minimumPasswordLength);
    }
    if (maxPasswordAge < 0 || maxPasswordAge > MAX_PASSWORD_AGE) {
      throw new IllegalArgumentException("maxPasswordAge " + maxPasswordAge);
    }
    if (passwordReusePrevention < 0 || passwordReusePrevention > MAX_REUSE_PREVENTION) {
      throw new IllegalArgumentException("passwordReusePrevention " + passwordReusePrevention);
    }
  }

  /** GetAccountPasswordPolicy's ExpirePasswords: whether passwords have a maximum age. */
  public boolean expirePasswords() {
    return maxPasswordAge > 0;
  }

  /** What the password lacks to meet this policy, one sentence each; empty when it complies. */
  public List<String> violations(String password) {
    Kinds kinds = Kinds.of(password);
    List<String> violations = new ArrayList<>();
    if (password.length() < minimumPasswordLength) {
      violations.add("Password should have a minimum length of " + minimumPasswordLength);
    }
    if (requireLowercaseCharacters && !kinds.lowercase()) {
      violations.add("Password should have at least one lowercase letter");
    }
    if (requireUppercaseCharacters && !kinds.uppercase()) {
      violations.add("Password should have at least one uppercase letter");
    }
    if (requireNumbers && !kinds.number()) {
      violations.add("Password should have at least one number");
    }
    if (requireSymbols && !kinds.symbol()) {
      violations.add("Password should have at least one symbol (one of " + SYMBOLS + ")");
    }
    return violations;
  }

  /**
   * What the password lacks to meet AWS's default password policy, which applies while the account has none
   * (IAM User Guide, "Default password policy"): at least 8 characters; at least three of the four kinds uppercase
   * letters (A-Z), lowercase letters (a-z), numbers (0-9) and the symbols {@link #SYMBOLS}; and not the user's name
   * nor the account's name (Wharf accounts have no email address, which AWS also refuses), regardless of case.
   */
  public static List<String> defaultViolations(String password, String userName, String accountName) {
    List<String> violations = new ArrayList<>();
    if (password.length() < DEFAULT_POLICY_MINIMUM_LENGTH) {
      violations.add("Password should have a minimum length of " + DEFAULT_POLICY_MINIMUM_LENGTH);
    }
    if (Kinds.of(password).count() < 3) {
      violations.add("Password should have at least three of: uppercase letters, lowercase letters, numbers,"
          + " symbols (" + SYMBOLS + ")");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (lower.equals(userName.toLowerCase(Locale.ROOT))) {
      violations.add("Password should not be the user name");
    }
    if (accountName != null && lower.equals(accountName.toLowerCase(Locale.ROOT))) {
      violations.add("Password should not be the account name");
    }
    return violations;
  }

  /** Which kinds of characters a password has; letters are the ISO basic Latin ones, as IAM counts them. */
  private record Kinds(boolean lowercase, boolean uppercase, boolean number, boolean symbol) {
    static Kinds of(String password) {
      boolean lowercase = false;
      boolean uppercase = false;
      boolean number = false;
      boolean symbol = false;
      for (int i = 0; i < password.length(); i++) {
        char c = password.charAt(i);
        lowercase |= c >= 'a' && c <= 'z';
        uppercase |= c >= 'A' && c <= 'Z';
        number |= c >= '0' && c <= '9';
        symbol |= SYMBOLS.indexOf(c) >= 0;
      }
      return new Kinds(lowercase, uppercase, number, symbol);
    }

    int count() {
      return (lowercase ? 1 : 0) + (uppercase ? 1 : 0) + (number ? 1 : 0) + (symbol ? 1 : 0);
    }
  }
}
