package dev.wharf.api.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every package file is served with, whatever its name and type: a file a client uploaded
 * ({@code .html}, {@code .svg}, {@code .xml}, a {@code .pom}) must never run as a page of Wharf's
 * origin, where the web console keeps its session cookie. So it is a download
 * ({@code Content-Disposition: attachment}), its type is not sniffed ({@code X-Content-Type-Options:
 * nosniff}), and were a browser to render it anyway, it would run nothing and load nothing
 * ({@code Content-Security-Policy: default-src 'none'; sandbox}). Package clients (npm, pip, Maven,
 * cargo, gem, the AWS SDKs) read none of these.
 */
public final class DownloadHeaders {
  /** The value of X-Content-Type-Options on every package response. */
  public static final String NOSNIFF = "nosniff";
  /** A file rendered by mistake runs no script, loads nothing and gets an opaque origin. */
  public static final String SANDBOX = "default-src 'none'; sandbox";

  private DownloadHeaders() {}

  /** The headers of a package file named {@code fileName}. */
  public static Map<String, String> forFile(String fileName) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Content-Type-Options", NOSNIFF);
    headers.put("Content-Security-Policy", SANDBOX);
    headers.put("Content-Disposition", attachment(fileName));
    return headers;
  }

  /**
   * {@code attachment; filename="…"} with the name in quotes (RFC 6266), characters a quoted string or a
   * file system would take otherwise ({@code "}, {@code \}, {@code /}, {@code %}, controls, non-ASCII)
   * replaced by {@code _}; when any was, the exact name follows as {@code filename*=UTF-8''…} (RFC 5987
   * percent-encoding), which browsers prefer.
   */
  public static String attachment(String fileName) {
    String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    if (base.isEmpty()) {
      base = "download";
    }
    StringBuilder fallback = new StringBuilder();
    boolean exact = true;
    for (int i = 0; i < base.length(); i++) {
      char c = base.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%') {
        fallback.append('_');
        exact = false;
        if (Character.isHighSurrogate(c) && i + 1 < base.length() && Character.isLowSurrogate(base.charAt(i + 1))) {
          i++;
        }
      } else {
        fallback.append(c);
      }
    }
    String header = "attachment; filename=\"" + fallback + "\"";
    return exact ? header : header + "; filename*=UTF-8''" + percentEncoded(base);
  }

  /** RFC 5987 value-chars: attr-char as is, every other byte of the UTF-8 form as %XX. */
  private static String percentEncoded(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
