package dev.wharf.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.WharfCommand;
import dev.wharf.testing.TestingCertificates;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the main port with a private CA made here: HTTP/2 and HTTP/1.1 over ALPN, TLS 1.2 and 1.3 with modern
 * suites only (checked with curl, a real client), the certificate reloaded when its files are replaced, the
 * redirecting plain-HTTP port, and one-line start-up errors for certificates that cannot be used.
 */
class TlsIT {
  @TempDir static Path scratch;
  static TestingCertificates authority;
  static TestingCertificates.Server first;
  static TestingServer wharf;
  static Path servedChain;
  static Path servedKey;

  @BeforeAll
  static void start() throws Exception {
    authority = TestingCertificates.authority(scratch.resolve("pki"));
    first = authority.server("first", TestingCertificates.KeyFormat.PKCS1_RSA);
    // the files the server is configured with, replaced in place by the reload test
    servedChain = scratch.resolve("pki/served.pem");
    servedKey = scratch.resolve("pki/served.key");
    TestingCertificates.replace(first.chainFile(), servedChain);
    TestingCertificates.replace(first.keyFile(), servedKey);
    wharf = TestingServer.startTls(scratch.resolve("data"), Map.of("WHARF_TLS_CERT", servedChain.toString(),
        "WHARF_TLS_KEY", servedKey.toString(), "WHARF_HTTP_REDIRECT_PORT", "0"), authority);
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static TestingProcesses.Result curl(String... arguments) {
    TestingClients.requireCommand("curl", "--version");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", authority.caFile().toString()));
    command.addAll(List.of(arguments));
    return TestingProcesses.run(scratch, TestingProcesses.cleanEnvironment(null), Duration.ofSeconds(30), command);
  }

  @Test
  void curlNegotiatesHttp2OverTlsAndHttp11WhenAskedFor() {
    String url = "https://localhost:" + wharf.server().port() + "/health";
    TestingProcesses.Result h2 = curl("--http2", "-v", url);
    assertThat(h2.exitCode()).as(h2.describe()).isZero();
    assertThat(h2.stderr()).contains("ALPN: server accepted h2").contains("HTTP/2 200");
    assertThat(h2.stdout()).contains("\"ok\"");
    TestingProcesses.Result h1 = curl("--http1.1", "-v", url);
    assertThat(h1.exitCode()).as(h1.describe()).isZero();
    assertThat(h1.stderr()).contains("ALPN: server accepted http/1.1").contains("HTTP/1.1 200");
  }

  @Test
  void onlyTls12And13WithForwardSecrecyAndAeadAreAccepted() {
    String url = "https://localhost:" + wharf.server().port() + "/health";
    TestingProcesses.Result tls13 = curl("-v", "--tlsv1.3", url);
    assertThat(tls13.stderr()).as(tls13.describe()).contains("SSL connection using TLSv1.3");
    TestingProcesses.Result tls12 = curl("-v", "--tlsv1.2", "--tls-max", "1.2", url);
    assertThat(tls12.stderr()).as(tls12.describe()).containsPattern("SSL connection using TLSv1.2 / ECDHE-RSA-(AES\\d+-GCM|CHACHA20)");
    assertThat(curl("--tlsv1", "--tls-max", "1.1", url).exitCode()).as("TLS 1.0/1.1").isNotZero();
    assertThat(curl("--tlsv1.2", "--tls-max", "1.2", "--ciphers", "AES128-GCM-SHA256", url).exitCode())
        .as("RSA key exchange, no forward secrecy").isNotZero();
    assertThat(curl("--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-SHA", url).exitCode())
        .as("CBC").isNotZero();
  }

  @Test
  void javasHttpClientTrustingTheCaSpeaksHttp2() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(authority.sslContext()).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
        + wharf.server().port() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(wharf.server().baseUri().toString()).startsWith("https://");
  }

  @Test
  void theRedirectPortAnswers308ToTheHttpsUrl() throws Exception {
    int redirect = wharf.server().redirectPort().orElseThrow();
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    for (String method : List.of("GET", "PUT")) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirect
          + "/acme-123456789012/npm/app/%40scope%2fname?write=true")).method(method,
          HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(308);
      assertThat(response.headers().firstValue("Connection")).contains("close");
      assertThat(response.headers().firstValue("Location")).contains("https://127.0.0.1:" + wharf.server().port()
          + "/acme-123456789012/npm/app/%40scope%2fname?write=true");
    }
  }

  @Test
  void replacedCertificateFilesAreServedToNewConnectionsWithoutARestart() throws Exception {
    assertThat(servedSerial()).isEqualTo(first.serial());
    TestingCertificates.Server renewed = authority.server("renewed", TestingCertificates.KeyFormat.EC);
    // the way certbot or cert-manager renew: new files moved over the old ones, the key second
    TestingCertificates.replace(renewed.chainFile(), servedChain);
    TestingCertificates.replace(renewed.keyFile(), servedKey);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    BigInteger serial = servedSerial();
    while (!serial.equals(renewed.serial()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(250); // polling: the server checks the files every 2 s
      serial = servedSerial();
    }
    assertThat(serial).as("the renewed certificate is served").isEqualTo(renewed.serial());
    TestingProcesses.Result h2 = curl("--http2", "-v", "https://localhost:" + wharf.server().port() + "/health");
    assertThat(h2.stderr()).as(h2.describe()).contains("HTTP/2 200");
  }

  private static BigInteger servedSerial() throws Exception {
    try (SSLSocket socket = (SSLSocket) authority.sslContext().getSocketFactory().createSocket("127.0.0.1",
        wharf.server().port())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  @Test
  void certificatesThatCannotBeUsedStopTheServerWithOneLine() {
    TestingCertificates.Server other = authority.server("other", TestingCertificates.KeyFormat.PKCS8_RSA);
    Path data = scratch.resolve("refused");
    assertThat(serve(data, "--tls-cert", scratch.resolve("missing.pem").toString(), "--tls-key",
        first.keyFile().toString())).contains("tls-cert").contains("missing.pem").contains("does not exist");
    assertThat(serve(data, "--tls-cert", first.chainFile().toString(), "--tls-key", other.keyFile().toString()))
        .contains("is not the key of the first certificate");
    assertThat(serve(data, "--tls-cert", first.keyFile().toString(), "--tls-key", first.keyFile().toString()))
        .contains("holds no PEM certificate");
    assertThat(serve(data, "--tls-keystore", first.keyStoreFile().toString(), "--tls-keystore-password", "wrong"))
        .contains("cannot be opened with the password given").doesNotContain("wrong");
    assertThat(serve(data, "--tls-cert", first.chainFile().toString())).contains("tls-cert needs tls-key");
  }

  /** Runs {@code wharf server ARGS} expecting it to refuse to start; returns what it printed on stderr (one line). */
  private static String serve(Path data, String... arguments) {
    List<String> command = new ArrayList<>(List.of("server", "--port", "0", "--bind", "127.0.0.1", "--data",
        data.toString()));
    command.addAll(List.of(arguments));
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    synchronized (TlsIT.class) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        exit = WharfCommand.commandLine().execute(command.toArray(String[]::new));
      } finally {
        System.setErr(saved);
      }
    }
    String printed = captured.toString(StandardCharsets.UTF_8).strip();
    assertThat(exit).as(printed).isIn(1, 2);
    assertThat(printed).as("one line, no stack trace").doesNotContain("\n").doesNotContain("Exception").startsWith("wharf: ");
    return printed;
  }
}
