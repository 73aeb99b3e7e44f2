package dev.wharf.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of small secrets. Each ciphertext is bound to a context string (used as
 * associated data, e.g. {@code "access-key:AKIA…"}) so that a ciphertext copied to another row
 * does not decrypt. Output is URL-safe base64 without padding.
 */
public final class SecretCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte VERSION = 1;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(MasterKey masterKey) {
    this(Objects.requireNonNull(masterKey, "masterKey").key());
  }

  /** A cipher under an arbitrary 256-bit key (token signing keys). */
  public SecretCipher(byte[] rawKey) {
    this(new SecretKeySpec(rawKey.clone(), "AES"));
  }

  private SecretCipher(SecretKeySpec key) {
    this.key = key;
  }

  public String encrypt(byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
      out.put(VERSION).put(nonce).put(sealed);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public String encrypt(String plaintext, String context) {
    return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
  }

  /**
   * Decrypts and authenticates; throws {@link DecryptionException} on any tampering or wrong key. The text must be
   * the canonical encoding {@link #encrypt} writes (base64url, no padding, unused low bits of the last character
   * zero): the JDK's decoder also takes padding and ignores those bits, so other texts would decode to the same
   * bytes, and a changed token must never verify.
   */
  public byte[] decrypt(String ciphertext, String context) throws DecryptionException {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(ciphertext);
    } catch (IllegalArgumentException e) {
      throw new DecryptionException();
    }
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(ciphertext)) {
      throw new DecryptionException();
    }
    if (raw.length < 1 + NONCE_BYTES + TAG_BITS / 8 || raw[0] != VERSION) {
      throw new DecryptionException();
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(raw, 1 + NONCE_BYTES, raw.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new DecryptionException();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public String decryptString(String ciphertext, String context) throws DecryptionException {
    return new String(decrypt(ciphertext, context), StandardCharsets.UTF_8);
  }

  /** The ciphertext was tampered with, truncated, or made under another key. Carries no detail on purpose. */
  public static final class DecryptionException extends Exception {
    public DecryptionException() {
      super("ciphertext is invalid");
    }
  }
}
