package dev.wharf.blob;

import dev.wharf.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Content-addressed store of immutable blobs, keyed by the lower-case hex SHA-256 of their content.
 *
 * <p>Implementations: {@link FileBlobStore} (single node); an S3 one for cluster mode. All are safe
 * for concurrent use. Every method that takes a SHA-256 rejects anything but exactly 64 lower-case
 * hex characters with an {@link IllegalArgumentException} (see {@link #requireSha256}), so a key
 * can never name a location outside the store.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Streams {@code content} into the store, never buffering it whole in memory, and computes all
     * digests on the way.
     *
     * <p>Content becomes visible under its SHA-256 only once it is fully written and durable; a
     * reader never sees a partial blob, and a failed put leaves nothing behind. Storing content that
     * is already present succeeds and returns the same digests; the only effect is that the blob's
     * last-modified time (as reported by {@link #forEach}) is refreshed, so a garbage collector with
     * a grace period does not remove content that was just stored again.
     *
     * <p>The stream is read up to its end (or one byte past {@code maxBytes}) and is not closed.
     *
     * @param content the bytes to store; the caller closes it
     * @param maxBytes the largest acceptable content length, at least 0
     * @param expectedSha256 the SHA-256 the content must have, or {@code null} to accept any
     * @return the digests and size of the stored content
     * @throws BlobTooLargeException if the content is longer than {@code maxBytes}
     * @throws BlobDigestMismatchException if {@code expectedSha256} is given and differs
     * @throws IllegalArgumentException if {@code maxBytes} is negative or {@code expectedSha256} is
     *     not a valid SHA-256
     * @throws IOException if reading the content or writing the blob fails
     */
    BlobDigests put(InputStream content, long maxBytes, String expectedSha256) throws IOException;

    /**
     * Opens a blob for streaming.
     *
     * @return the content, to be closed by the caller, or empty if no such blob is stored
     */
    Optional<InputStream> open(String sha256) throws IOException;

    /**
     * Opens a blob for serving: as a channel where the store keeps files, else as {@link #open}'s stream.
     *
     * @return the reader, to be closed by the caller, or empty if no such blob is stored
     */
    default Optional<BlobReader> openReader(String sha256) throws IOException {
        return open(sha256).map(BlobReader.Stream::new);
    }

    /** Whether a blob with this SHA-256 is stored. */
    boolean exists(String sha256) throws IOException;

    /** The size of a blob in bytes, or -1 if no such blob is stored. */
    long size(String sha256) throws IOException;

    /**
     * The time a blob was last stored (as {@link #forEach} reports it), or empty if no such blob is
     * stored. The garbage collector re-checks it just before deleting.
     */
    Optional<Instant> lastModified(String sha256) throws IOException;

    /** Removes a blob; does nothing if it is absent. Meant for garbage collection. */
    void delete(String sha256) throws IOException;

    /**
     * Removes a blob unless it was stored (put, or put again) at or after {@code cutoff}: the
     * garbage collector's delete. A store that can do so atomically closes the window between
     * reading the time and deleting, in which content stored again would be lost (the file store
     * does); this default reads the time, then deletes.
     *
     * @return true when the blob was removed
     */
    default boolean deleteIfStoredBefore(String sha256, Instant cutoff) throws IOException {
        Optional<Instant> stored = lastModified(sha256);
        if (stored.isEmpty() || !stored.get().isBefore(cutoff)) {
            return false;
        }
        delete(sha256);
        return true;
    }

    /**
     * Visits every stored blob with the time it was last stored, for garbage collection. Blobs put
     * or deleted during the walk may or may not be visited. The order is unspecified.
     */
    void forEach(BiConsumer<String, Instant> visitor) throws IOException;

    /**
     * Checks that the store can be used (a readiness probe): the directory is there and writable,
     * the bucket answers.
     *
     * @throws IOException if it cannot
     */
    void checkReachable() throws IOException;

    /** Releases resources; afterwards every method but {@code close} throws {@link IllegalStateException}. */
    @Override
    void close() throws IOException;

    /**
     * Checks {@link #put}'s arguments as every store does.
     *
     * @throws NullPointerException if {@code content} is null
     * @throws IllegalArgumentException if {@code maxBytes} is negative or {@code expectedSha256} is
     *     given and not a valid SHA-256
     */
    static void requirePutArguments(InputStream content, long maxBytes, String expectedSha256) {
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        if (expectedSha256 != null) {
            requireSha256(expectedSha256);
        }
    }

    /**
     * Checks the digests of the content {@link #put} received against the SHA-256 its caller expected.
     *
     * @throws BlobDigestMismatchException if {@code expectedSha256} is given and differs
     */
    static void requireExpectedSha256(String expectedSha256, BlobDigests digests) throws BlobDigestMismatchException {
        if (expectedSha256 != null && !expectedSha256.equals(digests.sha256())) {
            throw new BlobDigestMismatchException(expectedSha256, digests.sha256());
        }
    }

    /**
     * Checks that {@code sha256} is a SHA-256 as the store keys blobs: exactly 64 lower-case hex
     * characters.
     *
     * @return {@code sha256}
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException otherwise
     */
    static String requireSha256(String sha256) {
        Objects.requireNonNull(sha256, "sha256");
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 (64 lower-case hex characters): " + printable(sha256));
        }
        return sha256;
    }

    /** Keeps an untrusted argument short and on one line when it is echoed in a message. */
    private static String printable(String value) {
        String shortened = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return '"' + shortened.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
