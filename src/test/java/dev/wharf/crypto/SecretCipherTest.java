package dev.wharf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
  @TempDir Path directory;

  @Test
  void aSecretRoundTripsUnderItsContext() throws Exception {
    SecretCipher cipher = new SecretCipher(MasterKey.random());
    String sealed = cipher.encrypt("wJalrXUtnFEMI/K7MDENG", "access-key-secret:AKIA1");
    assertThat(sealed).doesNotContain("wJalr");
    assertThat(cipher.decryptString(sealed, "access-key-secret:AKIA1")).isEqualTo("wJalrXUtnFEMI/K7MDENG");
  }

  @Test
  void aCiphertextMovedToAnotherContextOrKeyOrTamperedWithDoesNotDecrypt() {
    SecretCipher cipher = new SecretCipher(MasterKey.random());
    String sealed = cipher.encrypt("secret", "a");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "b")).isInstanceOf(SecretCipher.DecryptionException.class);
    assertThatThrownBy(() -> new SecretCipher(MasterKey.random()).decrypt(sealed, "a"))
        .isInstanceOf(SecretCipher.DecryptionException.class);
    char[] chars = sealed.toCharArray();
    chars[10] = chars[10] == 'A' ? 'B' : 'A';
    assertThatThrownBy(() -> cipher.decrypt(new String(chars), "a")).isInstanceOf(SecretCipher.DecryptionException.class);
    assertThatThrownBy(() -> cipher.decrypt(sealed.substring(0, 20), "a")).isInstanceOf(SecretCipher.DecryptionException.class);
    assertThatThrownBy(() -> cipher.decrypt("not base64 !!", "a")).isInstanceOf(SecretCipher.DecryptionException.class);
  }

  @Test
  void theMasterKeyFileIsCreatedOwnerOnlyAndReadBack() throws Exception {
    Path file = directory.resolve("master.key");
    MasterKey created = MasterKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    MasterKey loaded = MasterKey.loadOrCreate(file);
    String sealed = new SecretCipher(created).encrypt("x", "c");
    assertThat(new SecretCipher(loaded).decryptString(sealed, "c")).isEqualTo("x");
  }

  @Test
  void aMasterKeyFromTheEnvironmentMustBe32BytesOfBase64() {
    assertThat(MasterKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32]), "WHARF_MASTER_KEY").source())
        .isEqualTo("WHARF_MASTER_KEY");
    assertThatThrownBy(() -> MasterKey.fromBase64("short", "WHARF_MASTER_KEY")).hasMessageContaining("WHARF_MASTER_KEY");
    assertThatThrownBy(() -> MasterKey.fromBase64("***", "WHARF_MASTER_KEY")).hasMessageContaining("base64");
  }
}
