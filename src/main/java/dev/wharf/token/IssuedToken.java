package dev.wharf.token;

import java.time.Instant;

/** A freshly issued token: the secret string (shown once) and its expiry. */
public record IssuedToken(String tokenId, String token, Instant expiresAt) {
  @Override
  public String toString() {
    return "IssuedToken[" + tokenId + ", expires " + expiresAt + "]";
  }
}
