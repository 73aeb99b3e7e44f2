package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 API server for tests: {@code moto_server} (Python moto), started once per test JVM on a
 * free loopback port and stopped when the JVM exits. Found as WHARF_MOTO_SERVER, on the PATH or
 * under pyenv's shims; when absent the test is skipped, or fails under WHARF_REQUIRE_CLIENTS=1.
 * moto accepts any credentials; the fixture uses fixed fake ones.
 */
public final class TestingS3 {
  public static final String ACCESS_KEY_ID = "testing";
  public static final String SECRET_ACCESS_KEY = "testing";
  public static final String REGION = "us-east-1";

  private static URI endpoint;
  private static Process process;

  private TestingS3() {}

  /** The running server's endpoint, starting it on first use; skips or fails when moto is missing. */
  public static synchronized URI endpoint() {
    if (endpoint != null && process.isAlive()) {
      return endpoint;
    }
    Path command = findMotoServer();
    if (command == null) {
      TestingClients.missing("moto_server (pip install 'moto[server]')");
    }
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile("wharf-moto-", ".log");
      log.toFile().deleteOnExit();
      process = new ProcessBuilder(command.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Process started = process;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        started.descendants().forEach(ProcessHandle::destroy);
        started.destroy();
      }, "moto-stop"));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (true) {
        try {
          new Socket("127.0.0.1", port).close();
          break;
        } catch (IOException notYet) {
          if (!process.isAlive() || Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("moto_server did not start: " + Files.readString(log));
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
      endpoint = URI.create("http://127.0.0.1:" + port);
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client of the test server with the fake credentials and path-style addressing. */
  public static S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.builder().build())
        .build();
  }

  /** Creates a bucket with a fresh name and returns the name. */
  public static String createBucket(S3Client client) {
    String bucket = "wharf-test-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
    client.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** Deletes every object and unfinished upload in the bucket, then the bucket. */
  public static void deleteBucket(S3Client client, String bucket) {
    client.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()
        .forEach(upload -> client.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())));
    List<String> keys = new ArrayList<>();
    client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(object -> keys.add(object.key()));
    keys.forEach(key -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    client.deleteBucket(b -> b.bucket(bucket));
  }

  private static Path findMotoServer() {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("WHARF_MOTO_SERVER");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!directory.isEmpty()) {
        candidates.add(Path.of(directory, "moto_server"));
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "moto_server"));
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
