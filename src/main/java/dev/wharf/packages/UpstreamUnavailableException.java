package dev.wharf.packages;

/**
 * An external connection's upstream could not give a usable answer (unreachable, too slow, too
 * large, malformed, or content that does not match its published hash) and nothing cached could
 * stand in: package endpoints answer 502 with this message, which names the upstream.
 */
public final class UpstreamUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UpstreamUnavailableException(String message) {
    super(message);
  }

  public UpstreamUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
