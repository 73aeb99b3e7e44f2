package dev.wharf.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSlowUpload;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * Two nodes on one PostgreSQL database and one blob directory; the second is a separate process
 * started with {@code ./wharf server}, and is killed with SIGKILL while a large generic asset is
 * streaming into it. The other node never shows the half-uploaded version, keeps serving and
 * publishing, and the upload's leftover temporary file is removed when a store is next opened
 * after it has aged.
 */
class NodeKilledMidUploadIT {
  private static final int SIZE = 32 * 1024 * 1024;

  @TempDir Path scratch;

  @Test
  void a_node_killed_mid_upload_leaves_no_partial_version_and_the_other_node_keeps_serving() throws Exception {
    Path shared = scratch.resolve("shared");
    Map<String, String> cluster = Map.of("WHARF_DATABASE_URL", TestingDatabases.freshPostgresUrl(),
        "WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(new Random(1).ints(32, 0, 256)
            .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> { }).toByteArray()));
    byte[] small = "before".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] big = new byte[SIZE];
    new Random(9).nextBytes(big);
    
    try (TestingServer nodeA = TestingServer.start(shared, Clock.systemUTC(), cluster);
        CodeartifactClient api = nodeA.codeartifact(nodeA.rootCredentials())) {
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("app"));
      publish(api, "before", small);

      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      TestingLauncher launcher = TestingLauncher.create(scratch.resolve("home")).with(cluster);
      try (TestingLauncher.Running nodeB = launcher.start("server", "--data", shared.toString(), "--port",
          Integer.toString(port), "--bind", "127.0.0.1")) {
        nodeB.awaitLine(line -> line.contains("Wharf ready"), Duration.ofSeconds(90));
        // about 8 MB/s, so that the kill lands while it is still being sent
        TestingSlowUpload slow = new TestingSlowUpload(big, 64 * 1024, 8);
        CompletableFuture<HttpResponse<String>> upload = slow.publish(URI.create("http://127.0.0.1:" + port),
            nodeA.rootCredentials(), "acme", "app", "big", "big.bin");

        // the node is receiving the asset: a temporary file is growing in the shared store
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (temporaryBytes(shared) == 0) {
          assertThat(Instant.now()).as("no upload reached node B (sent " + slow.sent() + "); output:\n"
              + nodeB.output()).isBefore(deadline);
          assertThat(upload).isNotDone();
          Thread.sleep(20);
        }
        nodeB.kill(Duration.ofSeconds(30));
        assertThat(upload).failsWithin(Duration.ofSeconds(60));
      }

      // node A never shows the version, and keeps serving and publishing
      assertThatThrownBy(() -> api.describePackageVersion(b -> b.domain("acme").repository("app")
          .format(PackageFormat.GENERIC).namespace("ns").packageValue("big").packageVersion("1.0")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThat(api.listPackages(b -> b.domain("acme").repository("app")).packages())
          .extracting(p -> p.packageValue()).containsExactly("before");
      assertThat(api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
          .namespace("ns").packageValue("before").packageVersion("1.0").asset("a.bin")).asByteArray()).isEqualTo(small);
      publish(api, "after", "after".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(api.listPackages(b -> b.domain("acme").repository("app")).packages()).hasSize(2);
    }

    // the leftover is collected once it is older than a finished upload could be
    assertThat(temporaryBytes(shared)).isPositive();
    Clock later = Clock.offset(Clock.systemUTC(), FileBlobStore.TEMPORARY_FILE_MAX_AGE.plusMinutes(1));
    new FileBlobStore(shared.resolve("blobs"), later).close();
    assertThat(temporaryBytes(shared)).isZero();
  }

  private static void publish(CodeartifactClient api, String name, byte[] content) throws Exception {
    String sha256 = TestingSlowUpload.sha256(content);
    api.publishPackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("ns")
        .packageValue(name).packageVersion("1.0").assetName("a.bin").assetSHA256(sha256).unfinished(false),
        RequestBody.fromBytes(content));
  }

  /** Bytes in the shared blob store's temporary directory. */
  private static long temporaryBytes(Path shared) throws IOException {
    Path tmp = shared.resolve("blobs").resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }
}
