package dev.wharf.packages.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore.VersionPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VersionPageTokenTest {
  static final PackageKey KEY = new PackageKey("111122223333", "acme", "app", "npm", "acme", "util");
  static final VersionPosition LAST = new VersionPosition(Instant.ofEpochMilli(1_764_000_000_123L), "1.0.0-beta.1+build");

  @Test
  void aTokenLeadsBackToThePositionItWasMadeFor() {
    String token = VersionPageToken.encode(KEY, "Published", null, true, LAST);
    assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(VersionPageToken.MAX_LENGTH);
    assertThat(VersionPageToken.decode(token, KEY, "Published", null, true)).isEqualTo(LAST);
    assertThat(VersionPageToken.decode(null, KEY, "Published", null, true)).as("no token: the first page").isNull();
  }

  @Test
  void aTokenIssuedBeforeTheTokensWereMadeGenericStillReads() {
    // Issued by the ListPackageVersions-only token code, for KEY, "Published", newest first, after LAST.
    String issued = "djEKMDkzYTcxZjMyOTI1NjcxZDZjZTc5NDg3ZDg3MjQ2MmQKMTc2NDAwMDAwMDEyMwoxLjAuMC1iZXRhLjErYnVpbGQ";
    assertThat(VersionPageToken.decode(issued, KEY, "Published", null, true)).isEqualTo(LAST);
    assertThat(VersionPageToken.encode(KEY, "Published", null, true, LAST)).isEqualTo(issued);
  }

  @Test
  void aTokenForAnotherPackageFilterOrOrderIsRefused() {
    String token = VersionPageToken.encode(KEY, "Published", null, true, LAST);
    PackageKey other = new PackageKey("111122223333", "acme", "app", "npm", "acme", "other");
    assertRefused(token, other, "Published", null, true);
    assertRefused(token, KEY, null, null, true);
    assertRefused(token, KEY, "Published", "INTERNAL", true);
    assertRefused(token, KEY, "Published", null, false);
  }

  @Test
  void anEditedTruncatedOrForeignTokenIsRefused() {
    String token = VersionPageToken.encode(KEY, null, null, false, LAST);
    String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    String otherVersion = text.replace("1.0.0-beta.1+build", "9.9.9");
    String otherTime = text.replace("1764000000123", "1764000000124");
    for (String tampered : new String[] {encode(otherVersion), encode(otherTime), token.substring(0, token.length() - 4),
        token + "AA", "MTAw" /* an offset token ("100") of the API's other lists */, "not base64!", "",
        "A".repeat(VersionPageToken.MAX_LENGTH + 1), encode("v1\nabc\n1\n"), encode("v2" + text.substring(2))}) {
      assertRefused(tampered, KEY, null, null, false);
    }
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(String token, PackageKey key, String status, String originType, boolean newestFirst) {
    assertThatThrownBy(() -> VersionPageToken.decode(token, key, status, originType, newestFirst))
        .as(token).isInstanceOf(WharfException.Invalid.class).hasMessage("The nextToken is not valid");
  }
}
