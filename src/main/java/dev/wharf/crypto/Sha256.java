package dev.wharf.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as Wharf writes them everywhere (blob keys, signed payload hashes, backups): 64
 * lower-case hex characters.
 */
public final class Sha256 {
  private static final int BUFFER_SIZE = 64 * 1024;

  private Sha256() {}

  /** Whether {@code value} is a SHA-256 in that form: exactly 64 lower-case hex characters (false for null). */
  public static boolean isHex(String value) {
    if (value == null || value.length() != 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The SHA-256 of {@code bytes}, in hex. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /**
   * The SHA-256 of what {@code in} yields, read to its end, in hex; or null as soon as it yields more
   * than {@code maxBytes} (the rest is not read).
   */
  public static String hex(InputStream in, long maxBytes) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    long total = 0;
    int read;
    while ((read = in.read(buffer)) >= 0) {
      total += read;
      if (total > maxBytes) {
        return null;
      }
      digest.update(buffer, 0, read);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
