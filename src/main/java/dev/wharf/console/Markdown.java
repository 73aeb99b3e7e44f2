package dev.wharf.console;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * A package's readme as HTML for the console: CommonMark, with any raw HTML in it shown as text and
 * links and images kept only for http(s) and mailto (and links within the page or site), so that a
 * readme can carry no script, event handler, {@code javascript:} or {@code data:} link. The page's
 * Content-Security-Policy stands behind this.
 */
final class Markdown {
  /** Readmes longer than this are cut before rendering (the tail is not shown). */
  static final int MAX_CHARS = 512 * 1024;
  private static final Set<String> LINK_SCHEMES = Set.of("http", "https", "mailto");
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
      .urlSanitizer(new Schemes()).build();

  private Markdown() {}

  static String toHtml(String markdown) {
    String text = markdown.length() > MAX_CHARS ? markdown.substring(0, MAX_CHARS) : markdown;
    return RENDERER.render(PARSER.parse(text));
  }

  private static final class Schemes implements UrlSanitizer {
    @Override
    public String sanitizeLinkUrl(String url) {
      return allowed(url, true) ? url : "";
    }

    @Override
    public String sanitizeImageUrl(String url) {
      return allowed(url, false) ? url : "";
    }

    private static boolean allowed(String url, boolean relativeAllowed) {
      String trimmed = url.strip();
      try {
        URI uri = new URI(trimmed);
        if (uri.getScheme() == null) {
          return relativeAllowed && !trimmed.startsWith("//");
        }
        return LINK_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT));
      } catch (java.net.URISyntaxException e) {
        return false;
      }
    }
  }
}
