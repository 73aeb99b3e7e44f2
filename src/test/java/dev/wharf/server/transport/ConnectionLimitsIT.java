package dev.wharf.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and bursty connections meet limits: a client that trickles header bytes is cut off, the listen queue
 * holds a burst of new connections, and oversized headers get a clean 431.
 */
class ConnectionLimitsIT {
  @TempDir static Path scratch;
  static TestingServer wharf;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(),
        Map.of("WHARF_REQUEST_HEADER_TIMEOUT", "2"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void aClientThatTricklesHeaderBytesIsCutOff() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    boolean closed = false;
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(200);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
      // one header byte at a time, well inside the idle timeout each, for as long as the server lets it
      while (!closed && Instant.now().isBefore(deadline)) {
        try {
          out.write('X');
          out.flush();
          closed = in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
          // nothing to read yet: keep trickling
        } catch (IOException reset) {
          closed = true;
        }
      }
    }
    assertThat(closed).as("the server closed a connection whose headers never ended").isTrue();
    assertThat(health()).as("and serves others").contains("200 OK");
  }

  @Test
  void aKeptAliveConnectionBetweenRequestsIsNotCutByTheHeaderTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      String first = exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(first).startsWith("HTTP/1.1 200");
      // the next request comes after more than the header timeout (2 s): the idle time between requests is not
      // a request's headers taking long
      Thread.sleep(3_000);
      assertThat(exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void anUploadRefusedBeforeItsBodyArrivedSaysItClosesTheConnection() throws Exception {
    // a client refused mid-upload must not reuse the connection: the server closes it (the rest of the body is
    // not read), so the answer must say so, or the client's next request on it meets a closed socket
    String path = "/acme-" + wharf.managementAccountId() + "/maven/app/com/example/lib/1.0/lib-1.0.jar";
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      String answer = exchange(socket, "PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
          + "Content-Type: application/java-archive\r\n\r\n" + "x".repeat(10));
      assertThat(answer).startsWith("HTTP/1.1 401");
      assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("\r\nconnection: close\r\n");
      assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
    }
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      String answer = exchange(socket, "PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n"
          + "Content-Type: application/java-archive\r\n\r\n" + "x".repeat(10));
      assertThat(answer).as("a refused upload whose body came whole keeps its connection").startsWith("HTTP/1.1 401")
          .doesNotContainIgnoringCase("connection: close");
      assertThat(exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void theListenQueueHoldsABurstOfNewConnections() {
    int port = wharf.server().port();
    TestingProcesses.Result listening = TestingProcesses.run(scratch, TestingProcesses.cleanEnvironment(null),
        Duration.ofSeconds(10), List.of("ss", "-Hltn", "sport = :" + port));
    // for a listening socket, ss shows the backlog the server asked for (capped at somaxconn) as Send-Q
    String[] columns = listening.stdout().trim().split("\\s+");
    int backlog = Integer.parseInt(columns[2]);
    assertThat(backlog).as(listening.stdout()).isGreaterThanOrEqualTo(Math.min(1024, somaxconn()));
  }

  @Test
  void oversizedRequestHeadersGetACleanJson431() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      String answer = exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
          + "\r\n\r\n");
      assertThat(answer).startsWith("HTTP/1.1 431").contains("application/json");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertThat(new ObjectMapper().readTree(body).path("message").asText()).contains("Request Header Fields Too Large");
      assertThat(answer).doesNotContain("<html").doesNotContain("at org.eclipse");
    }
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      assertThat(exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(12_000)
          + "\r\n\r\n")).as("12 KB of headers are within the default 16 KiB").startsWith("HTTP/1.1 200");
    }
  }

  private static int somaxconn() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim());
    } catch (IOException | NumberFormatException e) {
      return 128;
    }
  }

  private static String health() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", wharf.server().port())) {
      socket.setSoTimeout(10_000);
      return exchange(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }
  }

  /** Sends a request and reads one response with a Content-Length body. */
  private static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int next = in.read();
      if (next < 0) {
        return head.toString();
      }
      head.append((char) next);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
