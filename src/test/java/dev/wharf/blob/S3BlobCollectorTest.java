package dev.wharf.blob;

import dev.wharf.testing.TestingS3;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.s3.S3Client;

class S3BlobCollectorTest extends BlobCollectorContract {
  private S3Client client;
  private String bucket;

  @Override
  protected BlobStore createStore(Path directory) throws Exception {
    client = TestingS3.client();
    bucket = TestingS3.createBucket(client);
    return new S3BlobStore(client, bucket, "gc", directory.resolve("spool"), S3BlobStore.DEFAULT_PART_SIZE,
        Clock.systemUTC());
  }

  @AfterEach
  void deleteBucket() {
    if (client != null) {
      TestingS3.deleteBucket(client, bucket);
      client.close();
    }
  }
}
