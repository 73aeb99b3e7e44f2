package dev.wharf.api.aws.sigv4;

import java.util.Objects;

/**
 * A request failed Signature Version 4 authentication. The message is safe to return to the
 * client: it never contains a secret or a signature.
 */
public final class SigV4Exception extends Exception {

    /** Why authentication failed; the HTTP layer maps each to the AWS error of its protocol. */
    public enum Reason {
        /** No Authorization header and no X-Amz-Algorithm query parameter. */
        MISSING_AUTHENTICATION,
        /** The authentication data is malformed or lacks a required part. */
        INCOMPLETE_SIGNATURE,
        /** An algorithm other than AWS4-HMAC-SHA256. */
        UNSUPPORTED_ALGORITHM,
        /** The access key id is not known. */
        UNKNOWN_ACCESS_KEY,
        /** The access key exists but is inactive. */
        INACTIVE_ACCESS_KEY,
        /** The session token is not valid for the access key. */
        INVALID_SESSION_TOKEN,
        /** The session token has expired. */
        EXPIRED_TOKEN,
        /** The signature does not match the request. */
        SIGNATURE_MISMATCH,
        /** The credential scope names a region or a service the endpoint does not serve. */
        WRONG_CREDENTIAL_SCOPE,
        /** The request time is more than 15 minutes away from the server's time. */
        REQUEST_TIME_SKEWED,
        /** A presigned URL was used after its X-Amz-Expires. */
        PRESIGNED_URL_EXPIRED
    }

    private final Reason reason;

    /**
     * @param reason why authentication failed
     * @param message a client-safe explanation (no secrets, no signatures)
     */
    public SigV4Exception(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why authentication failed. */
    public Reason reason() {
        return reason;
    }
}
