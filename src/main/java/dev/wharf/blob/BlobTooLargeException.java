package dev.wharf.blob;

import java.io.IOException;

/** Thrown by {@link BlobStore#put} when content is longer than the allowed maximum; nothing is stored. */
public final class BlobTooLargeException extends IOException {

    private final long maxBytes;

    /** @param maxBytes the limit that the content exceeded */
    public BlobTooLargeException(long maxBytes) {
        super("content exceeds the limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** The limit that the content exceeded, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }
}
