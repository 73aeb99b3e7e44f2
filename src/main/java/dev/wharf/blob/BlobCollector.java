package dev.wharf.blob;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection of blobs no package asset references.
 *
 * <p>The rule: a blob is deleted when its last-modified time (set by every {@link BlobStore#put},
 * including one that stores content already present) is older than the grace period AND no
 * metadata references it, checked again just before the delete. A put followed by the metadata
 * commit that references it is therefore safe as long as the two together take less than the grace
 * period (default one hour; uploads are limited in size, a commit is one transaction). The server
 * runs it under a cluster-wide lock ({@code store.ClusterLock}), but collectors on several nodes
 * could run at the same time safely: each deletion is re-checked and deleting an absent blob is a
 * no-op, so the worst case is duplicated work. The clocks of the nodes and of the object
 * store must agree to well within the grace period.
 *
 * <p>The file store deletes with an atomic move aside and a check of what was moved
 * ({@link FileBlobStore#deleteIfStoredBefore}), so content stored again at the very moment of the
 * delete is kept. The S3 store cannot: there, byte-identical content re-uploaded during the few
 * milliseconds between the final re-check and the delete of an old orphan of the same content is
 * lost, and a version then references a missing blob (its downloads fail with not-found until it
 * is published again). A longer grace period makes old orphans (and so the window) rarer; it never
 * opens for content that is referenced.
 */
public final class BlobCollector {
  private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);

  /** The default grace period. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(1);

  /** Whether any metadata references a blob (for packages: an asset with that SHA-256). */
  @FunctionalInterface
  public interface References {
    boolean isReferenced(String sha256);
  }

  /** What one run did; {@code bytesDeleted} is the size of the blobs deleted. */
  public record Result(int visited, int deleted, int kept, long bytesDeleted) {}

  private final BlobStore blobs;
  private final References references;
  private final Duration gracePeriod;
  private final Clock clock;

  public BlobCollector(BlobStore blobs, References references, Duration gracePeriod, Clock clock) {
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.references = Objects.requireNonNull(references, "references");
    this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("grace period must not be negative: " + gracePeriod);
    }
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** Deletes every unreferenced blob older than the grace period. */
  public Result collect() throws IOException {
    Instant cutoff = clock.instant().minus(gracePeriod);
    List<String> candidates = new ArrayList<>();
    int[] visited = {0};
    blobs.forEach((sha256, lastModified) -> {
      visited[0]++;
      if (lastModified.isBefore(cutoff)) {
        candidates.add(sha256);
      }
    });
    int deleted = 0;
    long bytesDeleted = 0;
    for (String sha256 : candidates) {
      if (references.isReferenced(sha256)) {
        continue;
      }
      long size = sizeOf(sha256);
      // A put since the listing makes it young again: deleteIfStoredBefore checks that as it deletes.
      if (!blobs.deleteIfStoredBefore(sha256, clock.instant().minus(gracePeriod))) {
        continue;
      }
      deleted++;
      bytesDeleted += size;
      LOG.info("Collected unreferenced blob {} (older than {})", sha256, gracePeriod);
    }
    Result result = new Result(visited[0], deleted, visited[0] - deleted, bytesDeleted);
    if (deleted > 0) {
      LOG.info("Blob collection: {} blob(s) visited, {} deleted", result.visited(), result.deleted());
    }
    return result;
  }

  /** The blob's size for the count of bytes removed (0 when it is already gone). */
  private long sizeOf(String sha256) throws IOException {
    return Math.max(0, blobs.size(sha256));
  }

}
