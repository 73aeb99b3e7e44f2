package dev.wharf.blob;

import java.io.IOException;
import java.util.Objects;

/**
 * Thrown by {@link BlobStore#put} when the content's SHA-256 is not the one the caller expected;
 * nothing is stored.
 */
public final class BlobDigestMismatchException extends IOException {

    private final String expectedSha256;
    private final String actualSha256;

    /**
     * @param expectedSha256 the SHA-256 the caller announced
     * @param actualSha256 the SHA-256 of the content actually received
     */
    public BlobDigestMismatchException(String expectedSha256, String actualSha256) {
        super("content has SHA-256 " + actualSha256 + " but " + expectedSha256 + " was expected");
        this.expectedSha256 = Objects.requireNonNull(expectedSha256, "expectedSha256");
        this.actualSha256 = Objects.requireNonNull(actualSha256, "actualSha256");
    }

    /** The SHA-256 the caller announced. */
    public String expectedSha256() {
        return expectedSha256;
    }

    /** The SHA-256 of the content actually received. */
    public String actualSha256() {
        return actualSha256;
    }
}
