package dev.wharf.format;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the token a package client sends: {@code Bearer <token>} (npm), Basic {@code aws:<token>}
 * (pip, twine, Maven; SwiftPM's {@code token:<token>} from the netrc entry {@code aws codeartifact login} writes), or, for a format that takes it, the token alone as the whole header value
 * (cargo's credential providers).
 */
public final class PackageCredentials {
  private PackageCredentials() {}

  /** As {@link #token(String, boolean, java.util.Set)} with the Basic user {@code aws} only. */
  public static Optional<String> token(String authorization, boolean bare) {
    return token(authorization, bare, java.util.Set.of("aws"));
  }

  /**
   * @param bare whether the token alone (no scheme) is taken, as {@link PackageFormat#acceptsBareToken()} says
   * @param basicUsers the Basic user names that carry a token, as {@link PackageFormat#basicUsers()} says
   */
  public static Optional<String> token(String authorization, boolean bare, java.util.Set<String> basicUsers) {
    if (authorization == null) {
      return Optional.empty();
    }
    String value = authorization.trim();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = value.substring(7).trim();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0 || !basicUsers.contains(decoded.substring(0, colon))) {
        return Optional.empty();
      }
      String token = decoded.substring(colon + 1);
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
    return bare && BARE_TOKEN.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

  /** A value with no scheme: one word of the characters tokens are made of. */
  private static final java.util.regex.Pattern BARE_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/=-]{1,4096}");
}
