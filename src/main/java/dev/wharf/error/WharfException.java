package dev.wharf.error;

/**
 * The errors a request can end with, independent of protocol. Each protocol renders them in its
 * own shape (IAM/STS XML, CodeArtifact JSON, npm JSON, plain text) in one place. A {@code code}
 * names the protocol-specific error when the service knows it (e.g. IAM's {@code DeleteConflict});
 * otherwise the renderer picks its protocol's usual code for the kind.
 */
public abstract sealed class WharfException extends RuntimeException {
  private final String code;

  private WharfException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The protocol-specific error code, or null to let the renderer choose. */
  public String code() {
    return code;
  }

  /** The request is malformed or a value is out of range (400). */
  public static final class Invalid extends WharfException {
    public Invalid(String message) {
      this(null, message);
    }

    public Invalid(String code, String message) {
      super(code, message);
    }
  }

  /** No valid credentials: missing, unknown, expired or badly signed (401/403 by protocol). */
  public static final class NotAuthenticated extends WharfException {
    public NotAuthenticated(String code, String message) {
      super(code, message);
    }
  }

  /** Authenticated, but policies do not allow the action (403). */
  public static final class AccessDenied extends WharfException {
    public AccessDenied(String message) {
      super(null, message);
    }
  }

  /**
   * An error about one named resource: its type and id, when known, travel with the error (CodeArtifact
   * returns them as {@code resourceType} and {@code resourceId}).
   */
  public abstract static sealed class ResourceError extends WharfException {
    private final String resourceType;
    private final String resourceId;

    private ResourceError(String code, String message, String resourceType, String resourceId) {
      super(code, message);
      this.resourceType = resourceType;
      this.resourceId = resourceId;
    }

    /** The type of the resource (e.g. {@code domain}), or null when not known. */
    public String resourceType() {
      return resourceType;
    }

    /** The name or id of the resource, or null when not known. */
    public String resourceId() {
      return resourceId;
    }
  }

  /** The named resource does not exist (404). */
  public static final class NotFound extends ResourceError {
    public NotFound(String code, String message, String resourceType, String resourceId) {
      super(code, message, resourceType, resourceId);
    }

    public NotFound(String code, String message) {
      this(code, message, null, null);
    }
  }

  /** The request conflicts with the current state: already exists, still in use (409). */
  public static final class Conflict extends ResourceError {
    public Conflict(String code, String message, String resourceType, String resourceId) {
      super(code, message, resourceType, resourceId);
    }

    public Conflict(String code, String message) {
      this(code, message, null, null);
    }
  }

  /** A quota would be exceeded (IAM LimitExceeded 409, CodeArtifact ServiceQuotaExceeded 402). */
  public static final class LimitExceeded extends ResourceError {
    public LimitExceeded(String code, String message) {
      this(code, message, null, null);
    }

    /** A quota of the named resource (e.g. a domain's package groups) would be exceeded. */
    public LimitExceeded(String code, String message, String resourceType, String resourceId) {
      super(code, message, resourceType, resourceId);
    }
  }

  /** The request body is larger than this endpoint accepts (413). */
  public static final class TooLarge extends WharfException {
    public TooLarge(String message) {
      super(null, message);
    }
  }

  /**
   * A request limit is exhausted: answered at once with the protocol's throttling error (CodeArtifact's
   * ThrottlingException 429, IAM and STS's Throttling, 429 for package clients), with the seconds after
   * which a retry may succeed.
   */
  public static final class Throttled extends WharfException {
    private final long retryAfterMillis;

    /** @param retryAfterMillis how long until a retry may succeed (at least 1 ms) */
    public Throttled(String message, long retryAfterMillis) {
      super(null, message);
      if (retryAfterMillis < 1) {
        throw new IllegalArgumentException("retryAfterMillis must be at least 1");
      }
      this.retryAfterMillis = retryAfterMillis;
    }

    /** Milliseconds until a retry may succeed: the value of {@code x-amz-retry-after}, which newer AWS SDKs honour. */
    public long retryAfterMillis() {
      return retryAfterMillis;
    }

    /** Whole seconds, rounded up, at least 1: the value of a {@code Retry-After} header. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfterMillis + 999) / 1000);
    }
  }
}
