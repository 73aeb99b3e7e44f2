package dev.wharf.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes with Argon2id (Bouncy Castle), written as PHC strings:
 * {@code $argon2id$v=19$m=19456,t=4,p=1$SALT$HASH} (salt and hash in unpadded base64). The cost parameters travel
 * with each hash, so they can be raised later: older hashes still verify, and {@link #needsRehash} says when one
 * should be replaced. Verification compares in constant time.
 *
 * <p>At most one hash per processor is computed at once (the others wait), so that a burst of sign-ins costs at
 * most that many times the memory of one hash, rather than failing the server.
 */
public final class PasswordHashes {
  /**
   * Argon2id cost: memory in KiB, iterations (passes over the memory) and lanes.
   */
  public record Parameters(int memoryKiB, int iterations, int parallelism) {
    public Parameters {
      if (parallelism < 1 || parallelism > 16) {
        throw new IllegalArgumentException("parallelism must be 1..16: " + parallelism);
      }
      if (iterations < 1 || iterations > 64) {
        throw new IllegalArgumentException("iterations must be 1..64: " + iterations);
      }
      if (memoryKiB < 8 * parallelism || memoryKiB > 1 << 21) {
        throw new IllegalArgumentException("memory must be 8 KiB per lane .. 2 GiB: " + memoryKiB);
      }
    }
  }

  /**
   * 19 MiB, 4 passes, 1 lane: OWASP's minimum memory (19 MiB) with twice its passes. Measured once on the project's
   * 2-core machine (Bouncy Castle 1.87, JDK 25): about 50 ms a hash once the JIT has compiled it (best 49 ms, mean
   * 57 ms of 30), about 80 ms for the first few; within the 50..100 ms a sign-in may cost. Bouncy Castle computes
   * lanes one after another, so more lanes would only add work.
   */
  public static final Parameters DEFAULT = new Parameters(19_456, 4, 1);

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final Parameters parameters;
  private final SecureRandom random = new SecureRandom();
  private final Semaphore running = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
  private final String decoy;

  public PasswordHashes() {
    this(DEFAULT);
  }

  /** Hashes new passwords with these parameters (tests may pass cheaper ones). */
  public PasswordHashes(Parameters parameters) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    // A hash of random bytes: nothing matches it, and checking a password against it costs what a real check does.
    this.decoy = encode(parameters, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The password's hash as a PHC string, with a fresh random salt. */
  public String hash(String password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = randomBytes(SALT_BYTES);
    return encode(parameters, salt, argon2(password, salt, parameters, HASH_BYTES));
  }

  /**
   * Whether the password is the one hashed in {@code encoded}, with the parameters written there; false for a
   * string that is not such a hash (fail closed).
   */
  public boolean verify(String password, String encoded) {
    Objects.requireNonNull(password, "password");
    Decoded decoded = decode(encoded);
    if (decoded == null) {
      return false;
    }
    byte[] computed = argon2(password, decoded.salt(), decoded.parameters(), decoded.hash().length);
    return MessageDigest.isEqual(computed, decoded.hash());
  }

  /**
   * A hash no password matches and that costs as much to check as a real one: checked in place of a missing
   * user's or profile's hash, so that how long an answer takes does not tell whether they exist.
   */
  public String decoy() {
    return decoy;
  }

  /** Whether the hash was made with other parameters than new hashes are (or is not a hash at all). */
  public boolean needsRehash(String encoded) {
    Decoded decoded = decode(encoded);
    return decoded == null || !decoded.parameters().equals(parameters) || decoded.hash().length != HASH_BYTES;
  }

  private record Decoded(Parameters parameters, byte[] salt, byte[] hash) {}

  private static Decoded decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    Matcher phc = PHC.matcher(encoded);
    if (!phc.matches()) {
      return null;
    }
    try {
      Parameters parameters = new Parameters(Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
          Integer.parseInt(phc.group(3)));
      return new Decoded(parameters, DECODER.decode(phc.group(4)), DECODER.decode(phc.group(5)));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String encode(Parameters parameters, byte[] salt, byte[] hash) {
    return "$argon2id$v=19$m=" + parameters.memoryKiB() + ",t=" + parameters.iterations() + ",p="
        + parameters.parallelism() + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
  }

  private byte[] argon2(String password, byte[] salt, Parameters parameters, int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(parameters.memoryKiB())
        .withIterations(parameters.iterations())
        .withParallelism(parameters.parallelism())
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    running.acquireUninterruptibly();
    try {
      generator.generateBytes(secret, out);
    } finally {
      running.release();
      java.util.Arrays.fill(secret, (byte) 0);
    }
    return out;
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
