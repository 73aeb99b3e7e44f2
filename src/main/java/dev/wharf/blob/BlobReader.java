package dev.wharf.blob;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

/**
 * An open blob, closed by whoever reads it: a channel with positions where the store keeps blobs as files
 * (a response then reads it in pooled buffers, without a copy through the heap, from any offset), or a
 * stream where it does not (S3).
 */
public sealed interface BlobReader extends Closeable {
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
