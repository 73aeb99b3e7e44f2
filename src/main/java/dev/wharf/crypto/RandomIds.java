package dev.wharf.crypto;

import java.security.SecureRandom;

/** Random identifiers in AWS's shapes: access key ids, secrets, unique ids, account ids. */
public final class RandomIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private RandomIds() {}

  /** An id with an AWS prefix (AKIA, ASIA, AIDA, AROA, ANPA) and 16 upper-case characters. */
  public static String withPrefix(String prefix) {
    return prefix + pick(UPPER_ALNUM, 16);
  }

  /** A 40-character secret access key. */
  public static String secretAccessKey() {
    return pick(SECRET_CHARS, 40);
  }

  /** A 12-digit account id that does not start with 0. */
  public static String accountId() {
    StringBuilder id = new StringBuilder(12);
    id.append((char) ('1' + RANDOM.nextInt(9)));
    for (int i = 1; i < 12; i++) {
      id.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return id.toString();
  }

  private static String pick(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
    }
    return new String(out);
  }
}
