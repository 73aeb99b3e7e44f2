package dev.wharf.packages.external;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.external.ExternalFormat.Algorithm;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The helpers the external formats share: digests and URLs below an upstream's base. */
class ExternalFormatTest {
  @Test
  void aDigestIsTheAlgorithmsNumberOfHexDigitsInEitherCase() {
    assertThat(Algorithm.SHA1.isDigest("a".repeat(39) + "F")).isTrue();
    assertThat(Algorithm.SHA1.isDigest("a".repeat(39))).isFalse();
    assertThat(Algorithm.SHA1.isDigest("a".repeat(41))).isFalse();
    assertThat(Algorithm.SHA1.isDigest("a".repeat(39) + "g")).isFalse();
    assertThat(Algorithm.SHA256.isDigest("0".repeat(64))).isTrue();
    assertThat(Algorithm.SHA256.isDigest("")).isFalse();
  }

  @Test
  void aLowerCaseDigestRefusesUpperCaseHexDigits() {
    assertThat(Algorithm.SHA256.isLowerCaseDigest("0123456789abcdef".repeat(4))).isTrue();
    assertThat(Algorithm.SHA256.isLowerCaseDigest("0123456789ABCDEF".repeat(4))).isFalse();
    assertThat(Algorithm.SHA256.isLowerCaseDigest("0".repeat(63))).isFalse();
  }

  @Test
  void theBaseOfADocumentBelowABaseIsThatBaseWithASlash() {
    for (String base : new String[] {"https://index.example/", "https://index.example/sub"}) {
      URI document = ExternalFormat.below(URI.create(base), "3/s/serde");
      assertThat(document.toString()).isEqualTo(ExternalFormat.withSlash(URI.create(base)) + "3/s/serde");
      assertThat(ExternalFormat.baseOf(document, "3/s/serde")).isEqualTo(ExternalFormat.withSlash(URI.create(base)));
    }
  }
}
