package dev.wharf.blob;

import java.util.Objects;

/**
 * Digests and size of stored content; every digest is lower-case hex.
 *
 * <p>Package formats need all four: CodeArtifact reports MD5, SHA-1, SHA-256 and SHA-512 for
 * each asset, npm uses SHA-1 and SHA-512, PyPI SHA-256 and Maven MD5/SHA-1 checksum files.
 *
 * @param sha256 the SHA-256 digest, which is also the blob's key in a {@link BlobStore}
 * @param sha1 the SHA-1 digest
 * @param md5 the MD5 digest
 * @param sha512 the SHA-512 digest
 * @param size the content length in bytes
 */
public record BlobDigests(String sha256, String sha1, String md5, String sha512, long size) {

    /** Rejects missing digests and a negative size. */
    public BlobDigests {
        BlobStore.requireSha256(sha256);
        Objects.requireNonNull(sha1, "sha1");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(sha512, "sha512");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
