package dev.wharf.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * An open blob, closed by whoever reads it: its bytes mapped in memory (a recently read file of the file
 * store, written to the socket as they are), a channel with positions where the store keeps blobs as files
 * (a response then reads it in pooled buffers, without a copy through the heap, from any offset), or a
 * stream where it does not (S3).
 */
public sealed interface BlobReader extends Closeable {
  /** A blob whose file is mapped (see {@link MappedBlobs}): nothing to close, the mapping is shared. */
  record Mapped(ByteBuffer bytes) implements BlobReader {
    /** {@code length} bytes from {@code offset}, a view of its own. */
    public ByteBuffer slice(long offset, long length) {
      return bytes.slice(Math.toIntExact(offset), Math.toIntExact(length));
    }

    @Override
    public void close() {
      // the mapping belongs to the cache, and is unmapped once no one holds its buffer
    }
  }

  /** A blob kept as a file. */
  record Channel(SeekableByteChannel channel) implements BlobReader {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** A blob read as a stream from its start. */
  record Stream(InputStream stream) implements BlobReader {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}
