package dev.wharf.blob;

import dev.wharf.error.Unavailable;
import java.io.IOException;

/**
 * The blob store cannot be reached (network failure, the storage service failing, its bucket
 * gone): a condition that may pass, so clients are told to retry rather than that Wharf failed.
 */
public final class BlobStoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The blob store's check, for {@link Unavailable}. */
    public static final Unavailable.Check CHECK = new Unavailable.Check(BlobStoreUnavailableException.class::isInstance,
            Unavailable.Store.FILES, Unavailable.Condition.UNREACHABLE,
            "The service is temporarily unavailable: its blob storage cannot be reached. Retry later.");

    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
