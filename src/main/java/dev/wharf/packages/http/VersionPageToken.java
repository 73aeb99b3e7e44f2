package dev.wharf.packages.http;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore.VersionPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * ListPackageVersions' nextToken: opaque to clients, it names the last version of the page
 * returned (its publish time and name), and the next page starts after it (keyset paging). The
 * token is bound to the request it continues (package, status and origin filters, sort order) by
 * a SHA-256 check value over those and the position: a token changed by hand, cut short, or used
 * for another package, filter or order is refused with ValidationException, as CodeArtifact refuses
 * tokens it did not issue. The check value is not a secret MAC (every node must accept every
 * node's tokens, and a token only says which version comes next, which the caller could read
 * anyway): it stops a mistaken or edited token from silently returning a wrong page.
 */
final class VersionPageToken {
  /** CodeArtifact's PaginationToken allows 2,000 characters. */
  static final int MAX_LENGTH = 2_000;
  private static final String FORMAT = "v1";
  private static final String SEPARATOR = "\n";
  private static final int CHECK_HEX_CHARS = 32;

  private VersionPageToken() {}

  /** The nextToken that continues a listing after {@code last}. */
  static String encode(PackageKey key, String status, String originType, boolean newestFirst, VersionPosition last) {
    String position = last.publishedAt().toEpochMilli() + SEPARATOR + last.version();
    String text = FORMAT + SEPARATOR + check(key, status, originType, newestFirst, position) + SEPARATOR + position;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Where the page asked for starts; null when there is no token (the first page).
   *
   * @throws WharfException.Invalid (ValidationException) for a token not issued for this listing
   */
  static VersionPosition decode(String token, PackageKey key, String status, String originType, boolean newestFirst) {
    if (token == null) {
      return null;
    }
    if (token.isEmpty() || token.length() > MAX_LENGTH) {
      throw invalid();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    String[] fields = text.split(SEPARATOR, 4);
    if (fields.length != 4 || !fields[0].equals(FORMAT) || fields[3].isEmpty()) {
      throw invalid();
    }
    String position = fields[2] + SEPARATOR + fields[3];
    if (!MessageDigest.isEqual(fields[1].getBytes(StandardCharsets.UTF_8),
        check(key, status, originType, newestFirst, position).getBytes(StandardCharsets.UTF_8))) {
      throw invalid();
    }
    try {
      return new VersionPosition(Instant.ofEpochMilli(Long.parseLong(fields[2])), fields[3]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
  }

  private static String check(PackageKey key, String status, String originType, boolean newestFirst, String position) {
    String bound = String.join("\u001f", key.domainOwner(), key.domainName(), key.repository(), key.format(),
        key.namespace(), key.name(), String.valueOf(status), String.valueOf(originType), newestFirst ? "newest" : "oldest",
        position);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bound.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, CHECK_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static WharfException.Invalid invalid() {
    return new WharfException.Invalid("ValidationException", "The nextToken is not valid");
  }
}
