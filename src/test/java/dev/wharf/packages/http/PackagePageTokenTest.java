package dev.wharf.packages.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.packages.OriginRestrictions.Mode;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore.PackageFilter;
import dev.wharf.packages.PackageStore.PackagePosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PackagePageTokenTest {
  static final PackageFilter FILTER = new PackageFilter("maven", "org", "co", Mode.ALLOW, null);
  static final PackagePosition LAST = new PackagePosition("maven", "org.example", "core");

  @Test
  void aTokenLeadsBackToThePositionItWasMadeFor() {
    String token = PackagePageToken.encode("111122223333", "acme", "app", FILTER, LAST);
    assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(PageToken.MAX_LENGTH);
    assertThat(PackagePageToken.decode(token, "111122223333", "acme", "app", FILTER)).isEqualTo(LAST);
    assertThat(PackagePageToken.decode(null, "111122223333", "acme", "app", FILTER)).isNull();
    PackagePosition noNamespace = new PackagePosition("npm", "", "left-pad");
    String plain = PackagePageToken.encode("111122223333", "acme", "app", PackageFilter.NONE, noNamespace);
    assertThat(PackagePageToken.decode(plain, "111122223333", "acme", "app", PackageFilter.NONE)).isEqualTo(noNamespace);
  }

  @Test
  void aTokenForAnotherRepositoryOrFilterIsRefused() {
    String token = PackagePageToken.encode("111122223333", "acme", "app", FILTER, LAST);
    assertRefused(token, "111122223333", "acme", "other", FILTER);
    assertRefused(token, "111122223333", "other", "app", FILTER);
    assertRefused(token, "111122223333", "acme", "app", PackageFilter.NONE);
    assertRefused(token, "111122223333", "acme", "app", new PackageFilter("npm", "org", "co", Mode.ALLOW, null));
    assertRefused(token, "111122223333", "acme", "app", new PackageFilter("maven", "or", "co", Mode.ALLOW, null));
    assertRefused(token, "111122223333", "acme", "app", new PackageFilter("maven", "org", "c", Mode.ALLOW, null));
    assertRefused(token, "111122223333", "acme", "app", new PackageFilter("maven", "org", "co", Mode.BLOCK, null));
    assertRefused(token, "111122223333", "acme", "app", new PackageFilter("maven", "org", "co", Mode.ALLOW, Mode.ALLOW));
    // An absent filter never passes for one whose value looks like the marker of absence.
    String none = PackagePageToken.encode("111122223333", "acme", "app", PackageFilter.NONE, LAST);
    assertRefused(none, "111122223333", "acme", "app", new PackageFilter(null, "-", null, null, null));
  }

  @Test
  void anEditedTruncatedOrForeignTokenIsRefused() {
    String token = PackagePageToken.encode("111122223333", "acme", "app", PackageFilter.NONE, LAST);
    String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    String versions = VersionPageToken.encode(new PackageKey("111122223333", "acme", "app", "maven", "org.example", "core"),
        null, null, false, new dev.wharf.packages.PackageStore.VersionPosition(Instant.EPOCH, "1.0"));
    for (String tampered : new String[] {encode(text.replace("core", "zzz")), encode(text.replace("org.example", "org")),
        token.substring(0, token.length() - 4), token + "AA", "MTAw" /* an offset token ("100") */, "not base64!", "",
        "A".repeat(PageToken.MAX_LENGTH + 1), encode("v1\nabc\nmaven\norg\n"), encode("v2" + text.substring(2)), versions}) {
      assertRefused(tampered, "111122223333", "acme", "app", PackageFilter.NONE);
    }
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(String token, String owner, String domain, String repository, PackageFilter filter) {
    assertThatThrownBy(() -> PackagePageToken.decode(token, owner, domain, repository, filter))
        .as(token).isInstanceOf(WharfException.Invalid.class).hasMessage("The nextToken is not valid");
  }
}
