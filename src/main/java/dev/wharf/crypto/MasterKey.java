package dev.wharf.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts every secret Wharf keeps at rest (access-key secrets, token keys). It lives
 * outside the database: in {@code WHARF_MASTER_KEY} (base64 of 32 bytes) or in a 0600 file in the
 * data directory, created on first start.
 */
public final class MasterKey {
  public static final String FILE_NAME = "master.key";
  private static final int KEY_BYTES = 32;

  private final SecretKeySpec key;
  private final String source;

  private MasterKey(byte[] material, String source) {
    this.key = new SecretKeySpec(material, "AES");
    this.source = source;
    Arrays.fill(material, (byte) 0);
  }

  SecretKeySpec key() {
    return key;
  }

  /** Where the key came from ("environment" or a file path), for start-up messages; never the key. */
  public String source() {
    return source;
  }

  /** Decodes a base64 key (as in WHARF_MASTER_KEY); the message names the setting when it is bad. */
  public static MasterKey fromBase64(String encoded, String settingName) {
    byte[] material;
    try {
      material = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(settingName + " is not valid base64");
    }
    if (material.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          settingName + " must be " + KEY_BYTES + " bytes encoded in base64 (got " + material.length + ")");
    }
    return new MasterKey(material, settingName);
  }

  /** Loads the key file, creating it (mode 0600) with a fresh random key when it does not exist. */
  public static MasterKey loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] material = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(material);
      String encoded = Base64.getEncoder().encodeToString(material) + "\n";
      try {
        SecretFiles.writeNew(file, encoded);
      } catch (FileAlreadyExistsException raced) {
        return loadOrCreate(file);
      }
      return new MasterKey(material, file.toString());
    }
    String content = Files.readString(file, StandardCharsets.US_ASCII);
    return fromBase64(content, "master key file " + file);
  }

  /** Creates a fresh random key (tests). */
  public static MasterKey random() {
    byte[] material = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(material);
    return new MasterKey(material, "random");
  }

  /** Files that hold secrets: created with mode 0600 from the start, never widened later. */
  public static final class SecretFiles {
    private SecretFiles() {}

    public static void writeNew(Path file, String content) throws IOException {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Replaces a file's content, keeping (or setting) mode 0600. */
    public static void write(Path file, String content) throws IOException {
      if (!Files.exists(file)) {
        writeNew(file, content);
        return;
      }
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // not a POSIX file system: nothing to narrow
      }
      Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }
}
