package dev.wharf.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.EnumSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content {@link BlobStore#put} receives, streamed into a new file of the store's working folder (the file
 * store's {@code tmp/}, the S3 store's spool) before the store keeps it. The name is random, so no other writer
 * (thread, process or node sharing the folder) picks it; closing deletes the file unless the store moved it away,
 * and a file a killed process left behind goes at the next start ({@link LeftoverFiles}).
 */
final class IncomingFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingFile.class);

    private final Path path;
    private final String kind;
    private boolean moved;

    /**
     * @param kind what the store calls the file, in the line logged when it cannot be deleted ("temporary", "spool")
     */
    IncomingFile(Path directory, String suffix, String kind) {
        this.path = directory.resolve(UUID.randomUUID() + suffix);
        this.kind = kind;
    }

    Path path() {
        return path;
    }

    /**
     * Creates the file with {@code attributes} and streams all of {@code content} into it, computing its digests,
     * then checks them against the SHA-256 the caller of {@link BlobStore#put} expected.
     *
     * @param parts null, or where to record each part's MD5 (see {@link DigestingCopy#copy})
     * @param durable whether the content is forced to disk before the file is closed
     * @throws BlobTooLargeException when the content is longer than {@code maxBytes}
     * @throws BlobDigestMismatchException if {@code expectedSha256} is given and differs
     */
    BlobDigests write(InputStream content, long maxBytes, String expectedSha256, DigestingCopy.Parts parts,
            boolean durable, FileAttribute<?>... attributes) throws IOException {
        BlobDigests digests;
        try (FileChannel channel = FileChannel.open(path,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
            digests = DigestingCopy.copy(content, maxBytes, channel, parts);
            if (durable) {
                channel.force(true);
            }
        }
        BlobStore.requireExpectedSha256(expectedSha256, digests);
        return digests;
    }

    /** Says that the store moved the file to where it keeps blobs: closing then leaves that path alone. */
    void moved() {
        moved = true;
    }

    /** Deletes the file unless it was moved; a failure is logged, not thrown. */
    @Override
    public void close() {
        if (moved) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // The original failure matters more; the leftover goes at the next start-up.
            LOG.warn("Could not delete {} file {}", kind, path, e);
        }
    }
}
