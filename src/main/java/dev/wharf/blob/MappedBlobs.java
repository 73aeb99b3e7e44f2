package dev.wharf.blob;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The blob files read most recently, kept mapped: a hot package file is then served from the page cache
 * with no open, read or close per request and one copy fewer (the kernel copies the mapped pages into the
 * socket). Files above {@code largestFile} are not mapped, and the cached mappings together stay under
 * {@code totalBytes}.
 *
 * <p>Java 21 has no way to unmap a {@link MappedByteBuffer} on demand (the {@code Arena} overload of
 * {@code FileChannel.map} is a preview there): a mapping that leaves the cache is unmapped when the garbage
 * collector frees its buffer, after the last response writing it is done. The file pages of a mapping are
 * the page cache's own, counted in the process's RSS while mapped but never copied into the heap.
 *
 * <p>Blobs never change, so a mapping stays right; the store invalidates one when it deletes its file. A file
 * removed behind the store's back is still served from its mapping until {@link #REVALIDATE_AFTER}, as nginx's
 * {@code open_file_cache} serves one until {@code open_file_cache_valid}.
 */
final class MappedBlobs implements AutoCloseable {
  /** How long a mapping serves before the file is opened again. */
  static final Duration REVALIDATE_AFTER = Duration.ofSeconds(60);

  private final long largestFile;
  private final Cache<String, MappedByteBuffer> mappings;

  MappedBlobs(long totalBytes, long largestFile) {
    this.largestFile = largestFile;
    this.mappings = Caffeine.newBuilder()
        .maximumWeight(totalBytes)
        .weigher((String sha256, MappedByteBuffer bytes) -> bytes.capacity())
        .expireAfterWrite(REVALIDATE_AFTER)
        .build();
  }

  /**
   * The blob's bytes, mapped; empty when the file is too large to map (the caller then reads it as a channel).
   *
   * @throws java.nio.file.NoSuchFileException when there is no such file
   */
  Optional<BlobReader> open(String sha256, Path file) throws IOException {
    MappedByteBuffer bytes;
    try {
      bytes = mappings.get(sha256, key -> map(file));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return bytes == null ? Optional.empty() : Optional.of(new BlobReader.Mapped(bytes));
  }

  /** Forgets a blob's mapping (its file is being deleted). */
  void invalidate(String sha256) {
    mappings.invalidate(sha256);
  }

  @Override
  public void close() {
    mappings.invalidateAll();
  }

  /** The file mapped, or null when it is larger than mappings may be. */
  private MappedByteBuffer map(Path file) {
    try (FileChannel channel = FileChannel.open(file)) {
      long size = channel.size();
      return size > largestFile ? null : channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
