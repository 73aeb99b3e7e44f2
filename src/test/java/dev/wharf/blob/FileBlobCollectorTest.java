package dev.wharf.blob;

import java.nio.file.Path;

class FileBlobCollectorTest extends BlobCollectorContract {
  @Override
  protected BlobStore createStore(Path directory) throws Exception {
    return new FileBlobStore(directory.resolve("blobs"));
  }
}
