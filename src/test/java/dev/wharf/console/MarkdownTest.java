package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownTest {
  @Test
  void rawHtmlIsTextAndOnlySafeLinksKeepTheirTarget() {
    String html = Markdown.toHtml("# Title\n\n<script>alert(1)</script>\n\n<a href=\"x\" onclick=\"y()\">a</a>\n\n"
        + "[js](javascript:alert(1)) [js2]( JaVaScRiPt:alert(1)) [data](data:text/html,x) [vb](vbscript:x)\n"
        + "[web](https://example.com/a) [mail](mailto:a@example.com) [rel](docs/guide.md) [frag](#usage)\n"
        + "[proto](//evil.example/x) ![img](javascript:alert(1)) ![pic](https://example.com/p.png)\n");
    assertThat(html).contains("<h1>Title</h1>", "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;a href=")
        .doesNotContain("<script", "<a href=\"x\"", "javascript:", "JaVaScRiPt", "data:text", "vbscript:",
            "//evil.example")
        .contains("href=\"https://example.com/a\"", "href=\"mailto:a@example.com\"", "href=\"docs/guide.md\"",
            "href=\"#usage\"", "src=\"https://example.com/p.png\"");
  }

  @Test
  void aVeryLongReadmeIsCut() {
    String html = Markdown.toHtml("a".repeat(Markdown.MAX_CHARS + 10));
    assertThat(html.length()).isLessThan(Markdown.MAX_CHARS + 100);
  }
}
