package dev.wharf.blob;

import java.io.IOException;

/**
 * The blob store cannot be reached (network failure, the storage service failing, its bucket
 * gone): a condition that may pass, so clients are told to retry rather than that Wharf failed.
 */
public final class BlobStoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
