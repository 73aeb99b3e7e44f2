package dev.wharf.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Copies content into a file, computing the four digests Wharf reports on the way and refusing
 * content longer than a limit without reading much past it. Both blob stores write through here:
 * the file store into the temporary file it then renames, the S3 store into the spool file it then
 * uploads, cut into parts whose MD5s it also needs.
 */
final class DigestingCopy {
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final HexFormat HEX = HexFormat.of();

    /** The base64 MD5 of each fixed-size part of the content (for S3 multipart uploads). */
    static final class Parts {
        private final long partSize;
        private final MessageDigest md5 = messageDigest("MD5");
        private final List<String> md5s = new ArrayList<>();
        private long inPart;

        Parts(long partSize) {
            if (partSize <= 0) {
                throw new IllegalArgumentException("part size must be positive: " + partSize);
            }
            this.partSize = partSize;
        }

        /** The part MD5s, in order, once the copy is complete. */
        List<String> md5s() {
            return List.copyOf(md5s);
        }

        private long roomInPart() {
            return partSize - inPart;
        }

        private void update(byte[] buffer, int length) {
            md5.update(buffer, 0, length);
            inPart += length;
            if (inPart == partSize) {
                finishPart();
            }
        }

        private void finish() {
            if (inPart > 0) {
                finishPart();
            }
        }

        private void finishPart() {
            md5s.add(Base64.getEncoder().encodeToString(md5.digest()));
            inPart = 0;
        }
    }

    private DigestingCopy() {}

    /**
     * Writes all of {@code content} to {@code channel}.
     *
     * @param parts null, or where to record each part's MD5 (reads then never cross a part boundary)
     * @throws BlobTooLargeException when the content is longer than {@code maxBytes}
     */
    static BlobDigests copy(InputStream content, long maxBytes, FileChannel channel, Parts parts) throws IOException {
        MessageDigest sha256 = messageDigest("SHA-256");
        MessageDigest sha1 = messageDigest("SHA-1");
        MessageDigest md5 = messageDigest("MD5");
        MessageDigest sha512 = messageDigest("SHA-512");
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        while (true) {
            long remaining = maxBytes - total;
            // Never asks for more than the limit allows, except one byte to tell "exactly at the
            // limit" from "over it", so an oversized upload is not read any further.
            long wanted = Math.min(buffer.length, Math.max(remaining, 1));
            if (parts != null) {
                wanted = Math.min(wanted, parts.roomInPart());
            }
            int read = content.read(buffer, 0, (int) wanted);
            if (read < 0) {
                break;
            }
            if (read > remaining) {
                throw new BlobTooLargeException(maxBytes);
            }
            sha256.update(buffer, 0, read);
            sha1.update(buffer, 0, read);
            md5.update(buffer, 0, read);
            sha512.update(buffer, 0, read);
            if (parts != null) {
                parts.update(buffer, read);
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
            total += read;
        }
        if (parts != null) {
            parts.finish();
        }
        return new BlobDigests(HEX.formatHex(sha256.digest()), HEX.formatHex(sha1.digest()), HEX.formatHex(md5.digest()),
                HEX.formatHex(sha512.digest()), total);
    }

    static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime lacks the " + algorithm + " digest", e);
        }
    }
}
