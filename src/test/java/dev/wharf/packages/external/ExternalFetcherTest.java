package dev.wharf.packages.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.packages.UpstreamUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metadata an upstream sends gzip-encoded (nuget.org's registrations always are) is inflated within the limit. */
class ExternalFetcherTest {
  private static final Map<String, byte[]> BODIES = new ConcurrentHashMap<>();
  private static final Map<String, String> ACCEPTED = new ConcurrentHashMap<>();
  private static HttpServer server;
  private static String base;
  private final ExternalFetcher fetcher = new ExternalFetcher(Duration.ofSeconds(10));

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        ACCEPTED.put(path, exchange.getRequestHeaders().getFirst("Accept-Encoding"));
        byte[] body = BODIES.get(path);
        if (path.startsWith("/gz/")) {
          exchange.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
  }

  @Test
  void aGzipEncodedDocumentIsInflatedAndAPlainOneIsReadAsItIs() throws IOException {
    BODIES.put("/gz/index.json", gzip("{\"items\":[]}".getBytes(StandardCharsets.UTF_8)));
    BODIES.put("/plain/index.json", "{\"items\":[1]}".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(fetcher.metadata(URI.create(base + "/gz/index.json"), "application/json", 1024).orElseThrow(),
        StandardCharsets.UTF_8)).isEqualTo("{\"items\":[]}");
    assertThat(new String(fetcher.metadata(URI.create(base + "/plain/index.json"), "application/json", 1024)
        .orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("{\"items\":[1]}");
    assertThat(ACCEPTED.get("/plain/index.json")).isEqualTo("gzip");
  }

  @Test
  void aDocumentThatInflatesPastTheLimitOrDoesNotInflateIsRefused() throws IOException {
    BODIES.put("/gz/bomb.json", gzip(new byte[10 * 1024 * 1024]));
    BODIES.put("/gz/broken.json", "not gzip at all".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> fetcher.metadata(URI.create(base + "/gz/bomb.json"), "application/json", 64 * 1024))
        .isInstanceOf(UpstreamUnavailableException.class).hasMessageContaining("more than the limit of 65536 bytes");
    assertThatThrownBy(() -> fetcher.metadata(URI.create(base + "/gz/broken.json"), "application/json", 64 * 1024))
        .isInstanceOf(UpstreamUnavailableException.class).hasMessageContaining("does not inflate");
  }
}
