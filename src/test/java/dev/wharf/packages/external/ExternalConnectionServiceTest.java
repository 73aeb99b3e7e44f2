package dev.wharf.packages.external;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.format.maven.MavenExternalFormat;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingClock;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files found by name (Maven) from a local HTTP upstream: what is kept, and how often the upstream is asked. */
class ExternalConnectionServiceTest {
  static final String CONNECTION = "public:maven-central";
  static final byte[] JAR = "the jar".getBytes(StandardCharsets.UTF_8);

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  PackageService packages;
  HttpServer upstream;
  final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  final TestingClock clock = TestingClock.startingNow();
  ExternalConnectionService service;

  @BeforeEach
  void open() throws Exception {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    TestingPackages services = TestingPackages.over(database, blobs, clock);
    packages = services.packages();
    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(JAR));
    Map<String, byte[]> files = Map.of("/maven/org/example/lib/1.0/lib-1.0.jar", JAR,
        "/maven/org/example/lib/1.0/lib-1.0.jar.sha1", (sha1 + "  lib-1.0.jar\n").getBytes(StandardCharsets.UTF_8));
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      byte[] body = files.get(path);
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    upstream.start();
    URI base = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/maven");
    service = new ExternalConnectionService(services.publishing(), key -> Optional.of(CONNECTION), Map.of(CONNECTION, "maven"),
        Map.of(CONNECTION, base), List.of(new MavenExternalFormat(clock)), new ExternalFetcher(Duration.ofSeconds(5)),
        Duration.ofMinutes(5), clock, 1_000_000, directory.resolve("tmp"), dev.wharf.metrics.Metrics.none());
  }

  @AfterEach
  void close() throws IOException {
    upstream.stop(0);
    blobs.close();
    database.close();
  }

  static PackageDocument.VersionWithAssets listed() {
    PackageKey key = new PackageKey("111122223333", "acme", "shared", "maven", "org.example", "lib");
    var at = java.time.Instant.parse("2026-01-01T00:00:00Z");
    return new PackageDocument.VersionWithAssets(new PackageVersion(key, "1.0", VersionStatus.PUBLISHED, "external", at,
        at, null, "{}", "EXTERNAL"), List.of());
  }

  int asked(String file) {
    return requests.getOrDefault("/maven/org/example/lib/1.0/" + file, new AtomicInteger()).get();
  }

  @Test
  void aFileIsKeptOnceItsPublishedChecksumMatches() {
    var kept = service.fetchNamed(listed(), "lib-1.0.jar").orElseThrow();
    assertThat(kept.assets()).extracting(PackageAsset::name).containsExactly("lib-1.0.jar");
    assertThat(kept.version().origin()).isEqualTo("EXTERNAL");
    assertThat(kept.version().entryPoint()).isEqualTo(PackageVersion.EntryPoint.externalConnection(CONNECTION));
  }

  @Test
  void aFileTheUpstreamLacksIsAskedForAgainOnlyAfterTheMetadataTtl() {
    assertThat(service.fetchNamed(listed(), "lib-1.0.module")).isEmpty();
    assertThat(service.fetchNamed(listed(), "lib-1.0.module")).isEmpty();
    assertThat(asked("lib-1.0.module")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    assertThat(service.fetchNamed(listed(), "lib-1.0.module")).isEmpty();
    assertThat(asked("lib-1.0.module")).isEqualTo(2);
    assertThat(packages.versions(listed().version().key())).as("nothing kept for a missing file").isEmpty();
  }

  @Test
  void filesComeFromTheUpstreamsOriginOrAnotherHostOverHttpsAndOnlyItsOriginGetsItsCredentials() {
    URI pypi = URI.create("https://user:secret@pypi.org");
    assertThat(ExternalConnectionService.fileUrlAllowed(pypi, URI.create("https://pypi.org/x.whl"))).isTrue();
    assertThat(ExternalConnectionService.fileUrlAllowed(pypi,
        URI.create("https://files.pythonhosted.org/packages/x.whl"))).as("PyPI's file host").isTrue();
    assertThat(ExternalConnectionService.fileUrlAllowed(pypi, URI.create("http://files.pythonhosted.org/x.whl")))
        .as("another host without TLS").isFalse();
    assertThat(ExternalConnectionService.fileUrlAllowed(URI.create("http://127.0.0.1:8080/npm"),
        URI.create("http://127.0.0.1:8081/x.tgz"))).as("another port").isFalse();
    assertThat(ExternalConnectionService.fileUrlAllowed(URI.create("http://127.0.0.1:8080/npm"),
        URI.create("http://127.0.0.1:8080/x.tgz"))).isTrue();

    assertThat(ExternalConnectionService.withCredentials(pypi, URI.create("https://pypi.org/x.whl")))
        .hasToString("https://user:secret@pypi.org/x.whl");
    assertThat(ExternalConnectionService.withCredentials(pypi, URI.create("https://files.pythonhosted.org/x.whl")))
        .as("credentials stay with the upstream").hasToString("https://files.pythonhosted.org/x.whl");
  }

  @Test
  void aFileThisDiskHasNoRoomForIsThisDisksFailureNotTheUpstreams() {
    Path full = Path.of("/dev/full"); // every write to it fails with "No space left on device"
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(full), "Linux's /dev/full");
    URI jar = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/maven/org/example/lib/1.0/lib-1.0.jar");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ExternalFetcher(Duration.ofSeconds(5))
        .file(jar, 1_000_000, full)).isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining("No space left on device");
  }
}
