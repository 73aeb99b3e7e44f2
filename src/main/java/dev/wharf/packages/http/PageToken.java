package dev.wharf.packages.http;

import dev.wharf.error.WharfException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A keyset listing's nextToken: opaque to clients, it names the position of the last item of the
 * page returned, and the next page starts after it. The token is bound to the request it continues
 * (the listing's target and filters, given as {@code bound}) by a SHA-256 check value over those and
 * the position: a token changed by hand, cut short, or used for another listing or filter is refused
 * with ValidationException, as CodeArtifact refuses tokens it did not issue. The check value is not a
 * secret MAC (every node must accept every node's tokens, and a token only says which item comes
 * next, which the caller could read anyway): it stops a mistaken or edited token from silently
 * returning a wrong page.
 *
 * <p>Text: {@code v1 \n check \n field1 \n ... \n fieldN}, base64url. Position fields must not
 * contain a newline; only the last must be non-empty.
 */
final class PageToken {
  /** CodeArtifact's PaginationToken allows 2,000 characters. */
  static final int MAX_LENGTH = 2_000;
  private static final String FORMAT = "v1";
  private static final String SEPARATOR = "\n";
  private static final int CHECK_HEX_CHARS = 32;

  private PageToken() {}

  /** The nextToken that continues the listing {@code bound} after the item at {@code position}. */
  static String encode(List<String> bound, List<String> position) {
    String joined = String.join(SEPARATOR, position);
    String text = FORMAT + SEPARATOR + check(bound, joined) + SEPARATOR + joined;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position fields of {@code token} ({@code positionFields} of them); null when there is no
   * token (the first page).
   *
   * @throws WharfException.Invalid (ValidationException) for a token not issued for this listing
   */
  static List<String> decode(String token, List<String> bound, int positionFields) {
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
    String[] fields = text.split(SEPARATOR, 2 + positionFields);
    if (fields.length != 2 + positionFields || !fields[0].equals(FORMAT) || fields[fields.length - 1].isEmpty()) {
      throw invalid();
    }
    List<String> position = new ArrayList<>(List.of(fields).subList(2, fields.length));
    if (!MessageDigest.isEqual(fields[1].getBytes(StandardCharsets.UTF_8),
        check(bound, String.join(SEPARATOR, position)).getBytes(StandardCharsets.UTF_8))) {
      throw invalid();
    }
    return List.copyOf(position);
  }

  private static String check(List<String> bound, String position) {
    String text = String.join("\u001f", bound) + "\u001f" + position;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, CHECK_HEX_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static WharfException.Invalid invalid() {
    return new WharfException.Invalid("ValidationException", "The nextToken is not valid");
  }
}
