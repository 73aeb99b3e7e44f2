package dev.wharf.blob;

import dev.wharf.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in an S3-compatible bucket, for cluster mode: every node shares the bucket.
 *
 * <p>Blob {@code abcdef…} is the object {@code PREFIX/abcdef…}. A put first streams the content to
 * a spool file on local disk (its SHA-256, the key, is only known at the end), computing the four
 * digests and the MD5 of every part on the way; memory use is one copy buffer whatever the size.
 * It then uploads the spool file with a single PutObject up to {@link #partSize()} bytes, or with a
 * multipart upload of parts of that size beyond it, sending each part's Content-MD5 so that the
 * bucket rejects a corrupted part; a failed multipart upload is aborted. Afterwards a HeadObject
 * checks that the object has the expected size and SHA-256 metadata. An object appears under its
 * key only once PutObject or CompleteMultipartUpload succeeds, so a reader never sees partial
 * content.
 *
 * <p>Storing content that is already present copies the object onto itself (server side) to
 * refresh its last-modified time, which protects it from a garbage collector's grace period.
 * Multipart uploads under the prefix older than {@link #STALE_UPLOAD_AGE} (a node that crashed
 * mid-upload) and leftover spool files are removed when the store is opened.
 */
public final class S3BlobStore implements BlobStore {

    /** Multipart uploads and spool files older than this are leftovers of a crash. */
    public static final Duration STALE_UPLOAD_AGE = Duration.ofHours(24);
    /** Default part size: 8 MiB; S3 allows 5 MiB to 5 GiB (the last part may be smaller). */
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
    /** S3's minimum part size but for the last one. */
    public static final long MINIMUM_PART_SIZE = 5L * 1024 * 1024;
    /** The largest object CopyObject accepts; bigger blobs are refreshed by uploading them again. */
    private static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);
    private static final String SPOOL_SUFFIX = ".spool";
    private static final String SHA256_METADATA = "sha256";
    private static final HexFormat HEX = HexFormat.of();
    /** How often a stored object whose size or SHA-256 does not match is looked at, and the first pause between. */
    private static final int VERIFY_ATTEMPTS = 4;
    private static final long VERIFY_PAUSE_MILLIS = 50;

    private final S3Client s3;
    private final boolean ownsClient;
    private final String bucket;
    private final String prefix;
    private final Path spoolDirectory;
    private final long partSize;
    private volatile boolean closed;

    /** Where and how to reach the bucket. */
    public record Location(String bucket, String prefix, Optional<URI> endpoint, boolean pathStyle, String region) {
        public Location {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
        }

        /**
         * Parses {@code s3://bucket} or {@code s3://bucket/some/prefix}.
         *
         * @throws IllegalArgumentException if it is not such a URL
         */
        public static Location parse(String url, Optional<URI> endpoint, boolean pathStyle, String region) {
            if (!url.startsWith("s3://")) {
                throw new IllegalArgumentException("not an s3://bucket/prefix URL: " + url);
            }
            String rest = url.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("not a valid S3 bucket name in " + url
                        + " (3-63 lower-case letters, digits, dots and hyphens)");
            }
            if (prefix.startsWith("/") || prefix.contains("//") || prefix.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("not a valid key prefix in " + url);
            }
            return new Location(bucket, prefix, endpoint, pathStyle, region);
        }
    }

    /**
     * Opens the store with a client built from the location, the given credentials (the server
     * passes the standard AWS chain: environment, system properties, profile, container or instance
     * role) and the URL-connection HTTP client.
     */
    public static S3BlobStore open(Location location, Path spoolDirectory, AwsCredentialsProvider credentials)
            throws IOException {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2))
                        .build())
                .region(Region.of(location.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(location.pathStyle());
        location.endpoint().ifPresent(builder::endpointOverride);
        S3Client client = builder.build();
        try {
            return new S3BlobStore(client, true, location.bucket(), location.prefix(), spoolDirectory, DEFAULT_PART_SIZE,
                    Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * A store on a client the caller keeps and closes.
     *
     * @param prefix the key prefix without trailing slash, or "" for the bucket's root
     * @param partSize the multipart part size, at least {@link #MINIMUM_PART_SIZE}
     */
    public S3BlobStore(S3Client s3, String bucket, String prefix, Path spoolDirectory, long partSize, Clock clock)
            throws IOException {
        this(s3, false, bucket, prefix, spoolDirectory, partSize, clock);
    }

    private S3BlobStore(S3Client s3, boolean ownsClient, String bucket, String prefix, Path spoolDirectory,
            long partSize, Clock clock) throws IOException {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.ownsClient = ownsClient;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        this.prefix = prefix.isEmpty() ? "" : prefix + "/";
        if (partSize < MINIMUM_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least " + MINIMUM_PART_SIZE + " bytes: " + partSize);
        }
        this.partSize = partSize;
        this.spoolDirectory = spoolDirectory.toAbsolutePath().normalize();
        Files.createDirectories(this.spoolDirectory);
        Instant staleBefore = clock.instant().minus(STALE_UPLOAD_AGE);
        removeLeftoverSpoolFiles(staleBefore);
        abortStaleUploads(staleBefore);
    }

    /** The multipart part size in bytes. */
    public long partSize() {
        return partSize;
    }

    @Override
    public BlobDigests put(InputStream content, long maxBytes, String expectedSha256) throws IOException {
        BlobStore.requirePutArguments(content, maxBytes, expectedSha256);
        ensureOpen();
        try (IncomingFile spool = new IncomingFile(spoolDirectory, SPOOL_SUFFIX, "spool")) {
            DigestingCopy.Parts parts = new DigestingCopy.Parts(partSize);
            BlobDigests digests = spool.write(content, maxBytes, expectedSha256, parts, false);
            String key = key(digests.sha256());
            try {
                if (!refreshExisting(key, digests)) {
                    if (digests.size() <= partSize) {
                        putSingle(key, spool.path(), digests);
                    } else {
                        putMultipart(key, spool.path(), parts.md5s(), digests);
                    }
                    verifyStored(key, digests);
                }
            } catch (SdkException e) {
                throw failure("storing blob " + digests.sha256() + " in s3://" + bucket + "/" + key, e);
            }
            return digests;
        }
    }

    /**
     * If the blob is already stored with the right size, refreshes its last-modified time by copying
     * it onto itself and returns true; returns false when it must be uploaded.
     */
    private boolean refreshExisting(String key, BlobDigests digests) {
        Optional<HeadObjectResponse> head = head(key);
        if (head.isEmpty() || head.get().contentLength() != digests.size() || digests.size() > MAX_COPY_SIZE
                || !digests.sha256().equals(head.get().metadata().get(SHA256_METADATA))) {
            return false;
        }
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata(digests)));
            return true;
        } catch (NoSuchKeyException e) {
            return false; // collected between the head and the copy: upload it again
        }
    }

    private void putSingle(String key, Path spool, BlobDigests digests) {
        String contentMd5 = Base64.getEncoder().encodeToString(HEX.parseHex(digests.md5()));
        s3.putObject(b -> b.bucket(bucket).key(key).contentLength(digests.size()).contentMD5(contentMd5)
                .contentType("application/octet-stream").metadata(metadata(digests)), RequestBody.fromFile(spool));
    }

    private void putMultipart(String key, Path spool, List<String> partMd5s, BlobDigests digests) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType("application/octet-stream").metadata(metadata(digests))).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < partMd5s.size(); i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, digests.size() - offset);
                String contentMd5 = partMd5s.get(i);
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength(length).contentMD5(contentMd5),
                        RequestBody.fromContentProvider(new FileRange(spool, offset, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /**
     * Checks that the object now in the bucket has the size and SHA-256 just uploaded. Another writer may be storing
     * the same content at once (keys are content hashes): S3 shows either whole object, but some S3-compatible stores
     * (moto, in the tests) show a concurrent writer's object before its bytes are in, so a mismatch is looked at again
     * a few times before it fails the put. A real mismatch stays and still fails it.
     */
    private void verifyStored(String key, BlobDigests digests) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Optional<HeadObjectResponse> head = head(key);
            if (head.isEmpty()) {
                throw new IOException("blob " + digests.sha256() + " is missing from s3://" + bucket + "/" + key
                        + " right after it was stored");
            }
            long size = head.get().contentLength();
            String sha256 = head.get().metadata().get(SHA256_METADATA);
            if (size == digests.size() && digests.sha256().equals(sha256)) {
                return;
            }
            if (attempt == VERIFY_ATTEMPTS) {
                throw new IOException("blob " + digests.sha256() + " in s3://" + bucket + "/" + key + " has size "
                        + size + " and sha256 " + sha256 + " after it was stored, expected " + digests.size());
            }
            try {
                Thread.sleep(VERIFY_PAUSE_MILLIS * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while checking blob " + digests.sha256(), e);
            }
        }
    }

    private Map<String, String> metadata(BlobDigests digests) {
        return Map.of(SHA256_METADATA, digests.sha256());
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            // The original failure matters more; the upload is aborted at a later start-up.
            LOG.warn("Could not abort multipart upload {} of s3://{}/{}: {}", uploadId, bucket, key, e.toString());
        }
    }

    @Override
    public Optional<InputStream> open(String sha256) throws IOException {
        String key = checkedKey(sha256);
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("reading s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean exists(String sha256) throws IOException {
        return size(sha256) >= 0;
    }

    @Override
    public long size(String sha256) throws IOException {
        return headOf(sha256).map(HeadObjectResponse::contentLength).orElse(-1L);
    }

    @Override
    public Optional<Instant> lastModified(String sha256) throws IOException {
        return headOf(sha256).map(HeadObjectResponse::lastModified).map(S3BlobStore::seconds);
    }

    /** The blob's object metadata, or empty when there is no such blob. */
    private Optional<HeadObjectResponse> headOf(String sha256) throws IOException {
        String key = checkedKey(sha256);
        try {
            return head(key);
        } catch (SdkException e) {
            throw failure("reading s3://" + bucket + "/" + key, e);
        }
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = checkedKey(sha256);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("deleting s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public void forEach(BiConsumer<String, Instant> visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        ensureOpen();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String name = object.key().substring(prefix.length());
                if (Sha256.isHex(name)) {
                    visitor.accept(name, seconds(object.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw failure("listing s3://" + bucket + "/" + prefix, e);
        }
    }

    /**
     * The failure of an S3 call as an IOException: a {@link BlobStoreUnavailableException} when the
     * service could not be reached, failed on its side (5xx) or no longer has the bucket, all of which
     * may pass; a plain one otherwise.
     */
    private static IOException failure(String what, SdkException e) {
        String message = what + " failed: " + e.getMessage();
        boolean unavailable = e instanceof SdkClientException
                || (e instanceof S3Exception s3 && (s3.statusCode() >= 500 || (s3.awsErrorDetails() != null
                        && "NoSuchBucket".equals(s3.awsErrorDetails().errorCode()))));
        return unavailable ? new BlobStoreUnavailableException(message, e) : new IOException(message, e);
    }

    /**
     * Checks that the bucket answers, for a readiness probe.
     *
     * @throws IOException if it does not
     */
    @Override
    public void checkReachable() throws IOException {
        ensureOpen();
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw failure("reaching bucket " + bucket, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (ownsClient) {
            s3.close();
        }
    }

    @Override
    public String toString() {
        return "S3BlobStore[s3://" + bucket + "/" + prefix + "]";
    }

    private String key(String sha256) {
        return prefix + sha256;
    }

    /** The blob's key, once its SHA-256 is checked and the store known to be open. */
    private String checkedKey(String sha256) {
        String key = key(BlobStore.requireSha256(sha256));
        ensureOpen();
        return key;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private void abortStaleUploads(Instant olderThan) throws IOException {
        int aborted = 0;
        try {
            String keyMarker = null;
            String uploadIdMarker = null;
            while (true) {
                String keys = keyMarker;
                String ids = uploadIdMarker;
                ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                        .keyMarker(keys).uploadIdMarker(ids));
                for (MultipartUpload upload : page.uploads()) {
                    if (upload.initiated() != null && upload.initiated().isBefore(olderThan)) {
                        abortQuietly(upload.key(), upload.uploadId());
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw failure("listing multipart uploads in s3://" + bucket + "/" + prefix, e);
        }
        if (aborted > 0) {
            LOG.info("Aborted {} multipart upload(s) older than {} in s3://{}/{}", aborted, STALE_UPLOAD_AGE, bucket, prefix);
        }
    }

    private void removeLeftoverSpoolFiles(Instant olderThan) throws IOException {
        LeftoverFiles.remove(spoolDirectory, "*" + SPOOL_SUFFIX, olderThan);
    }

    /** Listings and HeadObject differ in precision (milliseconds vs the HTTP date's seconds). */
    private static Instant seconds(Instant time) {
        return time.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * One part of the spool file, re-readable for the SDK's retries: each stream reads the range
     * afresh, and the previous one is closed.
     */
    private static final class FileRange implements ContentStreamProvider {
        private final Path file;
        private final long offset;
        private final long length;
        private InputStream current;

        FileRange(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public InputStream newStream() {
            try {
                if (current != null) {
                    current.close();
                }
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                current = BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel)).setMaxCount(length).get();
                return current;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return "FileRange";
        }
    }
}
