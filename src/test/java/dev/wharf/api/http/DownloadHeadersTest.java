package dev.wharf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadHeadersTest {
  @Test
  void aPlainNameIsQuotedAsItIs() {
    assertThat(DownloadHeaders.attachment("lib-1.0.pom")).isEqualTo("attachment; filename=\"lib-1.0.pom\"");
    assertThat(DownloadHeaders.forFile("x.html")).containsEntry("X-Content-Type-Options", "nosniff")
        .containsEntry("Content-Security-Policy", "default-src 'none'; sandbox")
        .containsEntry("Content-Disposition", "attachment; filename=\"x.html\"");
  }

  @Test
  void quotesPercentControlsAndNonAsciiGetAFallbackAndTheExactNameInRfc5987Form() {
    assertThat(DownloadHeaders.attachment("a\"b%d\r\ne.txt")).isEqualTo(
        "attachment; filename=\"a_b_d__e.txt\"; filename*=UTF-8''a%22b%25d%0D%0Ae.txt");
    assertThat(DownloadHeaders.attachment("日本😀.whl")).isEqualTo(
        "attachment; filename=\"___.whl\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%F0%9F%98%80.whl");
  }

  @Test
  void onlyTheLastPathSegmentIsTheFileName() {
    assertThat(DownloadHeaders.attachment("dir/sub\\x.js")).isEqualTo("attachment; filename=\"x.js\"");
    assertThat(DownloadHeaders.attachment("dir/")).isEqualTo("attachment; filename=\"download\"");
  }
}
