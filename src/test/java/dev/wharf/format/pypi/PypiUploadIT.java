package dev.wharf.format.pypi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/** The upload endpoint over HTTP, with a small file size limit: 401, 413, 400 and a streamed upload left nowhere. */
public class PypiUploadIT {
  public static final String BOUNDARY = "wharf-boundary-1234";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static String endpoint;
  static String basic;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(), Map.of("WHARF_MAX_ASSET_SIZE", "65536"));
    CodeartifactClient codeartifact = wharf.codeartifact(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("py"));
    String token = codeartifact.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    basic = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
    endpoint = wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/pypi/py/";
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static byte[] wheel(int padding) throws IOException {
    return wheel(padding, "1.0");
  }

  public static byte[] wheel(int padding, String version) throws IOException {
    return wheel("tiny", padding, version);
  }

  /** A wheel of {@code project} (a name without dashes) whose code is {@code padding} zero bytes, stored. */
  public static byte[] wheel(String project, int padding, String version) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(0);
      // Fixed entry times: the same padding must give the same bytes whenever it is built.
      ZipEntry code = new ZipEntry(project + "/__init__.py");
      code.setTime(315532800000L);
      zip.putNextEntry(code);
      zip.write(new byte[padding]);
      ZipEntry metadata = new ZipEntry(project + "-" + version + ".dist-info/METADATA");
      metadata.setTime(315532800000L);
      zip.putNextEntry(metadata);
      zip.write(("Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\n").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  static byte[] form(byte[] content) throws Exception {
    return form(content, Map.of());
  }

  /**
   * The multipart body twine sends to upload a wheel: {@code extra} replaces fields (name, version, pyversion),
   * and the file is named after them.
   */
  public static byte[] form(byte[] content, Map<String, String> extra) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put(":action", "file_upload");
    fields.put("protocol_version", "1");
    fields.put("name", "tiny");
    fields.put("version", "1.0");
    fields.put("filetype", "bdist_wheel");
    fields.put("pyversion", "py3");
    fields.put("metadata_version", "2.1");
    fields.put("sha256_digest", java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(content)));
    fields.putAll(extra);
    for (var field : fields.entrySet()) {
      out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
          + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\""
        + fields.get("name") + "-" + fields.get("version") + "-" + fields.get("pyversion") + "-none-any.whl\""
        + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(content);
    out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static HttpResponse<String> post(String authorization, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertNoTemporaryFiles() throws IOException {
    Path tmp = wharf.dataDirectory().resolve("tmp");
    if (Files.isDirectory(tmp)) {
      try (Stream<Path> files = Files.list(tmp)) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void uploadsAreAuthenticatedLimitedAndStreamed() throws Exception {
    String multipart = "multipart/form-data; boundary=" + BOUNDARY;
    HttpResponse<String> anonymous = post(null, multipart, form(wheel(10)));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");

    HttpResponse<String> tooLarge = post(basic, multipart, form(wheel(200_000)));
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
    assertNoTemporaryFiles();

    HttpResponse<String> notMultipart = post(basic, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(notMultipart.statusCode()).isEqualTo(400);

    HttpResponse<String> badBlake2 = post(basic, multipart, form(wheel(30_000), Map.of("blake2_256_digest", "00".repeat(32))));
    assertThat(badBlake2.statusCode()).isEqualTo(400);
    assertThat(badBlake2.body()).contains("blake2_256_digest does not match");
    assertNoTemporaryFiles();
    HttpResponse<String> nothing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint
        + "simple/tiny/")).header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(nothing.statusCode()).isEqualTo(404);

    HttpResponse<String> accepted = post(basic, multipart, form(wheel(30_000)));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertNoTemporaryFiles();
    HttpResponse<String> again = post(basic, multipart, form(wheel(30_000)));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    HttpResponse<String> different = post(basic, multipart, form(wheel(30_001)));
    assertThat(different.statusCode()).isEqualTo(400);
    assertThat(different.body()).contains("File already exists");

    HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint + "simple/tiny/"))
        .header("Authorization", basic).header("Accept", "application/vnd.pypi.simple.v1+json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(index.body()).contains("\"filename\":\"tiny-1.0-py3-none-any.whl\"");
  }

  @Test
  void projectPagesRevalidateWithETagsAndDatesAndAreGzippedWhenAccepted() throws Exception {
    String multipart = "multipart/form-data; boundary=" + BOUNDARY;
    for (int minor = 0; minor < 8; minor++) {
      String version = "2." + minor;
      HttpResponse<String> uploaded = post(basic, multipart, form(wheel(100, version), Map.of("version", version)));
      assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    }
    String html = dev.wharf.testing.TestingRevalidation.assertRevalidates(endpoint + "simple/tiny/", basic);
    String json = dev.wharf.testing.TestingRevalidation.assertRevalidates(endpoint + "simple/tiny/", basic,
        "Accept", "application/vnd.pypi.simple.v1+json");
    assertThat(json).isNotEqualTo(html);
  }

  /**
   * Sends an upload's headers, its fields and the beginning of its file, declaring a 1 MB body,
   * then nothing more, and reads the status line: a server that waits for the file before
   * deciding never answers (the read times out).
   */
  static String statusOfAnUploadWhoseFileIsNotSent(String authorization) throws Exception {
    byte[] form = form(new byte[0]);
    int fileStarts = new String(form, StandardCharsets.ISO_8859_1).indexOf("application/octet-stream\r\n\r\n")
        + "application/octet-stream\r\n\r\n".length();
    URI uri = URI.create(endpoint);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(20_000);
      var out = socket.getOutputStream();
      out.write(("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
          + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: 1000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(form, 0, fileStarts);
      out.write(new byte[1024]);
      out.flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void anUploadByATokenThatMayNotPublishTheProjectIsRefusedBeforeItsFileIsRead() throws Exception {
    var iam = wharf.iam(wharf.rootCredentials());
    var reader = dev.wharf.testing.TestingIam.user(iam, "reader", "p", "{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Effect\":\"Allow\",\"Action\":[\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\","
        + "\"codeartifact:ReadFromRepository\"],\"Resource\":\"*\"}]}");
    String token = wharf.codeartifact(reader).getAuthorizationToken(b -> b.domain("acme")
        .domainOwner(wharf.managementAccountId())).authorizationToken();
    String readerBasic = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));

    assertThat(statusOfAnUploadWhoseFileIsNotSent(readerBasic)).isEqualTo("HTTP/1.1 403 Forbidden");
    assertNoTemporaryFiles();
  }
}
