package dev.wharf.token;

/**
 * A token that cannot be used. The message is the same whatever the reason (tampered, truncated,
 * unknown key, retired key, revoked, expired, principal gone) so that a caller learns nothing
 * about which check failed, and it names what gets a new token, since that is what the user does next
 * whatever the reason.
 */
public final class InvalidTokenException extends Exception {
  public static final String MESSAGE = "The authorization token is invalid or has expired;"
      + " run 'wharf login' (or 'aws codeartifact login') for a new one";

  public InvalidTokenException() {
    super(MESSAGE, null, false, false);
  }
}
