package dev.wharf.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Content for blob store tests: generated streams that are never held in memory, and reference digests. */
final class TestingContent {

    private TestingContent() {}

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code size} pseudo-random bytes determined by {@code seed}, produced as they are read. */
    static InputStream generated(long size, long seed) {
        return new GeneratedInputStream(size, seed, new AtomicLong());
    }

    /** Like {@link #generated} but counts the bytes handed out in {@code bytesRead}. */
    static InputStream generated(long size, long seed, AtomicLong bytesRead) {
        return new GeneratedInputStream(size, seed, bytesRead);
    }

    /** A stream that never ends. */
    static InputStream endless(AtomicLong bytesRead) {
        return new GeneratedInputStream(Long.MAX_VALUE, 0, bytesRead);
    }

    static byte[] bytes(int size, long seed) {
        try (InputStream in = generated(size, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Digests computed independently of any store, as the oracle for what a store reports. */
    static BlobDigests digestsOf(InputStream content) throws IOException {
        MessageDigest sha256 = messageDigest("SHA-256");
        MessageDigest sha1 = messageDigest("SHA-1");
        MessageDigest md5 = messageDigest("MD5");
        MessageDigest sha512 = messageDigest("SHA-512");
        byte[] buffer = new byte[8192];
        long size = 0;
        int read;
        while ((read = content.read(buffer)) >= 0) {
            sha256.update(buffer, 0, read);
            sha1.update(buffer, 0, read);
            md5.update(buffer, 0, read);
            sha512.update(buffer, 0, read);
            size += read;
        }
        HexFormat hex = HexFormat.of();
        return new BlobDigests(
                hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()),
                hex.formatHex(md5.digest()), hex.formatHex(sha512.digest()), size);
    }

    static String sha256Of(byte[] content) {
        return HexFormat.of().formatHex(messageDigest("SHA-256").digest(content));
    }

    static String sha256Of(InputStream content) throws IOException {
        return digestsOf(content).sha256();
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Serves {@code content} up to {@code pauseAt}, then signals {@link #paused} and waits for
     * {@link #resume} before serving the rest: a put caught in the middle.
     */
    static final class PausingInputStream extends InputStream {
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        private final byte[] content;
        private final int pauseAt;
        private int position;

        PausingInputStream(byte[] content, int pauseAt) {
            this.content = content;
            this.pauseAt = pauseAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position == pauseAt && paused.getCount() > 0) {
                paused.countDown();
                try {
                    if (!resume.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("test never resumed the stream");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while paused", e);
                }
            }
            if (position >= content.length) {
                return -1;
            }
            int end = position < pauseAt ? pauseAt : content.length;
            int count = Math.min(length, end - position);
            System.arraycopy(content, position, buffer, offset, count);
            position += count;
            return count;
        }
    }

    private static final class GeneratedInputStream extends InputStream {
        private final long size;
        private final long seed;
        private final AtomicLong bytesRead;
        private long position;

        GeneratedInputStream(long size, long seed, AtomicLong bytesRead) {
            this.size = size;
            this.seed = seed;
            this.bytesRead = bytesRead;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            bytesRead.incrementAndGet();
            return byteAt(position++) & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int count = (int) Math.min(length, size - position);
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = byteAt(position + i);
            }
            position += count;
            bytesRead.addAndGet(count);
            return count;
        }

        /** Depends only on seed and position, so the content does not depend on how it is read. */
        private byte byteAt(long index) {
            long word = mix(seed * 0x9E3779B97F4A7C15L + (index >>> 3));
            return (byte) (word >>> ((index & 7) * 8));
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
