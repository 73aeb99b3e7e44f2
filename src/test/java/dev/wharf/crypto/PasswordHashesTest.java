package dev.wharf.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
  /** Cheap parameters: these tests check the format and the comparison, not the cost. */
  private static final PasswordHashes.Parameters CHEAP = new PasswordHashes.Parameters(64, 1, 1);
  private final PasswordHashes hashes = new PasswordHashes(CHEAP);

  @Test
  void aHashIsAPhcStringWithItsParametersASixteenByteSaltAndA32ByteHash() {
    String hash = hashes.hash("correct horse battery staple");

    assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    String[] parts = hash.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    assertThat(hash).doesNotContain("correct");
  }

  @Test
  void thePasswordVerifiesAndAnyOtherDoesNot() {
    String hash = hashes.hash("Tr0ub4dor&3");

    assertThat(hashes.verify("Tr0ub4dor&3", hash)).isTrue();
    assertThat(hashes.verify("Tr0ub4dor&4", hash)).isFalse();
    assertThat(hashes.verify("tr0ub4dor&3", hash)).isFalse();
    assertThat(hashes.verify("", hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTimeForItsRandomSalt() {
    String first = hashes.hash("same password");
    String second = hashes.hash("same password");

    assertThat(first).isNotEqualTo(second);
    assertThat(hashes.verify("same password", first)).isTrue();
    assertThat(hashes.verify("same password", second)).isTrue();
  }

  @Test
  void passwordsBeyondAsciiVerifyAsTheyWereHashed() {
    String password = "Grüße, café\tß\u00FF";
    String hash = hashes.hash(password);

    assertThat(hashes.verify(password, hash)).isTrue();
    assertThat(hashes.verify("Grusse, cafe\tss\u00FF", hash)).isFalse();
  }

  @Test
  void aHashVerifiesWithTheParametersWrittenInItAfterTheDefaultsChange() {
    String old = new PasswordHashes(new PasswordHashes.Parameters(32, 2, 1)).hash("kept across an upgrade");

    assertThat(hashes.verify("kept across an upgrade", old)).isTrue();
    assertThat(hashes.needsRehash(old)).isTrue();
    assertThat(hashes.needsRehash(hashes.hash("kept across an upgrade"))).isFalse();
  }

  @Test
  void aTamperedOrMalformedHashMatchesNothing() {
    String hash = hashes.hash("password");
    char[] chars = hash.toCharArray();
    int last = chars.length - 2;
    chars[last] = chars[last] == 'A' ? 'B' : 'A';

    assertThat(hashes.verify("password", new String(chars))).isFalse();
    assertThat(hashes.verify("password", hash.replace("argon2id", "argon2i"))).isFalse();
    assertThat(hashes.verify("password", hash.replace("v=19", "v=16"))).isFalse();
    assertThat(hashes.verify("password", hash.replace("m=64", "m=0"))).isFalse();
    assertThat(hashes.verify("password", "$argon2id$v=19$m=64,t=1,p=1$!!!$???")).isFalse();
    assertThat(hashes.verify("password", "")).isFalse();
    assertThat(hashes.verify("password", null)).isFalse();
    assertThat(hashes.needsRehash("not a hash")).isTrue();
  }

  @Test
  void theDecoyHasTheCurrentParametersAndMatchesNoPassword() {
    assertThat(hashes.decoy()).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(hashes.needsRehash(hashes.decoy())).isFalse();
    assertThat(hashes.verify("", hashes.decoy())).isFalse();
    assertThat(hashes.verify("password", hashes.decoy())).isFalse();
  }

  @Test
  void theDefaultParametersCostTensOfMillisecondsAHash() {
    PasswordHashes real = new PasswordHashes();
    assertThat(real.parameters()).isEqualTo(new PasswordHashes.Parameters(19_456, 4, 1));
    String hash = real.hash("warm up");
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      assertThat(real.verify("warm up", hash)).isTrue();
      best = Math.min(best, System.nanoTime() - start);
    }
    // Loose bounds: a much faster hash would mean the parameters were not applied; a much slower one hurts sign-ins.
    System.out.printf("Argon2id %s: best of 5 = %d ms%n", real.parameters(), best / 1_000_000);
    assertThat(best / 1_000_000).isBetween(10L, 1_000L);
  }
}
