package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.format.pypi.PypiUploadIT;
import dev.wharf.format.ruby.RubyClientIT;
import dev.wharf.testing.TestingCrates;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * The defects an adversarial run found in what package clients send (issue 18): decompression bombs,
 * names the API cannot address, broken request framing, and uploaded files a browser would run.
 */
class HostileInputIT {
  private static final String METADATA_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\","
      + "\"codeartifact:PutPackageMetadata\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String metadataOnlyToken;
  static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("app"));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    var iam = wharf.iam(wharf.rootCredentials());
    iam.createUser(b -> b.userName("tagger"));
    iam.putUserPolicy(b -> b.userName("tagger").policyName("p").policyDocument(METADATA_ONLY));
    var key = iam.createAccessKey(b -> b.userName("tagger")).accessKey();
    metadataOnlyToken = wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))
        .getAuthorizationToken(b -> b.domain("acme").domainOwner(wharf.managementAccountId())).authorizationToken();
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint(String format) {
    return wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/" + format + "/app/";
  }

  static HttpResponse<byte[]> send(String method, String url, byte[] body, String authorization, String... headers) {
    return TestingHttp.send(method, url, body, authorization, headers);
  }

  static String text(HttpResponse<byte[]> response) {
    return TestingHttp.text(response);
  }

  static List<String> packageNames(String format) {
    return api.listPackages(b -> b.domain("acme").repository("app").format(format)).packages().stream()
        .map(p -> p.namespace() + "/" + p.packageValue()).toList();
  }

  // ---------------------------------------------------------------- 1. decompression bombs

  /** An npm tarball whose first entry is {@code zeros} zero bytes, then package.json: tiny once gzip'd. */
  static byte[] bombTarball(String name, String version, long zeros) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes, 64 * 1024))) {
      TarArchiveEntry filler = new TarArchiveEntry("package/zeros.bin");
      filler.setSize(zeros);
      tar.putArchiveEntry(filler);
      byte[] block = new byte[1024 * 1024];
      for (long left = zeros; left > 0; left -= block.length) {
        tar.write(block, 0, (int) Math.min(block.length, left));
      }
      tar.closeArchiveEntry();
      byte[] json = NpmTestingPackages.packageJson(name, version).getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry manifest = new TarArchiveEntry("package/package.json");
      manifest.setSize(json.length);
      tar.putArchiveEntry(manifest);
      tar.write(json);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  @Test
  void anNpmTarballThatInflatesFarBeyondItsSizeIsRefusedWith400AndNothingIsStored() throws IOException {
    byte[] bomb = bombTarball("bomb", "1.0.0", 64L * 1024 * 1024); // about 64 KiB sent, 64 MiB inflated
    assertThat(bomb.length).isLessThan(256 * 1024);

    HttpResponse<byte[]> response = send("PUT", endpoint("npm") + "bomb",
        NpmTestingPackages.publishBody("bomb", "1.0.0", bomb).getBytes(StandardCharsets.UTF_8), "Bearer " + token,
        "Content-Type", "application/json");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(400);
    assertThat(text(response)).startsWith("{\"error\":").contains("The tarball has no package.json in its first");
    assertThat(send("GET", endpoint("npm") + "bomb", null, "Bearer " + token).statusCode()).isEqualTo(404);
  }

  @Test
  void aPublishBodyFromACallerWhoMayOnlyPutMetadataIsRefusedBeforeItsTarballIsOpened() {
    // not a gzip at all: opening it would answer 400, so a 403 shows that it was never opened
    byte[] notATarball = "not a tarball".getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> response = send("PUT", endpoint("npm") + "tagged",
        NpmTestingPackages.publishBody("tagged", "1.0.0", notATarball).getBytes(StandardCharsets.UTF_8),
        "Bearer " + metadataOnlyToken, "Content-Type", "application/json");

    assertThat(response.statusCode()).as(text(response)).isEqualTo(403);
    assertThat(text(response)).startsWith("{\"error\":");
  }

  // ---------------------------------------------------------------- 2. names the API cannot address

  @Test
  void aMavenGroupIdOrAnNpmVersionLongerThanTheApiAllowsIsRefusedAndNeverStored() {
    String longGroup = "g".repeat(200) + "." + "h".repeat(100); // each folder fits the layout, the whole does not
    HttpResponse<byte[]> maven = send("PUT", endpoint("maven") + longGroup.replace('.', '/') + "/lib/1.0/lib-1.0.pom",
        "<project/>".getBytes(StandardCharsets.UTF_8), "Bearer " + token);
    assertThat(maven.statusCode()).as(text(maven)).isEqualTo(400);
    assertThat(text(maven)).contains("at 'namespace'").contains("255");
    assertThat(packageNames("maven")).noneMatch(name -> name.startsWith(longGroup));

    String longVersion = "1.0.0-" + "a".repeat(300);
    byte[] tarball = NpmTestingPackages.tarball(NpmTestingPackages.packageJson("longver", longVersion));
    HttpResponse<byte[]> npm = send("PUT", endpoint("npm") + "longver",
        NpmTestingPackages.publishBody("longver", longVersion, tarball).getBytes(StandardCharsets.UTF_8),
        "Bearer " + token, "Content-Type", "application/json");
    assertThat(npm.statusCode()).as(text(npm)).isEqualTo(400);
    assertThat(text(npm)).startsWith("{\"error\":").contains("at 'packageVersion'");
    assertThat(packageNames("npm")).doesNotContain("null/longver");
  }

  // ---------------------------------------------------------------- 3. request framing

  /**
   * Sends {@code request} (head and what there is of the body) on a raw socket, then half-closes it when
   * {@code halfClose}, and returns all that the server answered.
   */
  static String raw(String request, boolean halfClose) throws IOException {
    URI uri = wharf.endpoint();
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static String head(String method, String format, String path, String token, String... headers) {
    StringBuilder head = new StringBuilder(method + " " + URI.create(endpoint(format)).getRawPath() + path
        + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  @Test
  void aMalformedChunkOrABodyCutShortIs400InTheFormatsShapeLoggedWithoutAStackTraceOnNpmMavenAndPypi()
      throws IOException {
    String npmBody = NpmTestingPackages.publishBody("framed", "1.0.0");
    String malformedChunk = "10\r\n" + npmBody.substring(0, 16) + "\r\nZZ-not-hex\r\n";
    String pypiType = "Content-Type: multipart/form-data; boundary=" + PypiUploadIT.BOUNDARY;
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("npm, malformed chunk", head("PUT", "npm", "framed", token, "Content-Type: application/json",
        "Transfer-Encoding: chunked") + malformedChunk);
    cases.put("npm, cut short", head("PUT", "npm", "framed", token, "Content-Type: application/json",
        "Content-Length: " + npmBody.length()) + npmBody.substring(0, npmBody.length() / 2));
    cases.put("maven, malformed chunk", head("PUT", "maven", "com/framed/lib/1.0/lib-1.0.jar", token,
        "Transfer-Encoding: chunked") + "10\r\n0123456789abcdef\r\nZZ-not-hex\r\n");
    cases.put("maven, cut short", head("PUT", "maven", "com/framed/lib/1.0/lib-1.0.jar", token,
        "Content-Length: 100000") + "x".repeat(1000));
    cases.put("maven metadata, cut short", head("PUT", "maven", "com/framed/lib/maven-metadata.xml", token,
        "Content-Length: 100000") + "<metadata>");
    cases.put("pypi, cut short", head("POST", "pypi", "", token, pypiType, "Content-Length: 100000")
        + "--" + PypiUploadIT.BOUNDARY + "\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n");
    int before = logs.list.size();

    for (var entry : cases.entrySet()) {
      String answer = raw(entry.getValue(), true);
      assertThat(answer).as(entry.getKey()).startsWith("HTTP/1.1 400 ");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      if (entry.getKey().startsWith("npm")) {
        assertThat(body).as(entry.getKey()).startsWith("{\"error\":");
      }
      assertThat(body).as(entry.getKey()).contains("could not be read").doesNotContain("Exception", "\tat ");
    }

    List<ILoggingEvent> logged = loggedSince(before);
    assertThat(logged).as("log lines").noneMatch(event -> event.getThrowableProxy() != null)
        .noneMatch(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR));
    assertThat(logged).filteredOn(event -> event.getFormattedMessage().contains("could not be read")).hasSize(cases.size());
    assertThat(packageNames("npm")).doesNotContain("null/framed");
    assertThat(packageNames("maven")).doesNotContain("com.framed/lib");
  }

  /**
   * The events logged since the list had {@code before}: copied while holding the appender, which server threads
   * append under (logback's AppenderBase.doAppend is synchronized), else a copy races their appends.
   */
  private static List<ILoggingEvent> loggedSince(int before) {
    synchronized (logs) {
      return List.copyOf(logs.list.subList(before, logs.list.size()));
    }
  }

  @Test
  void aClientThatDisconnectsMidUploadLeavesNothingAndNoStackTrace() throws IOException {
    int before = logs.list.size();
    URI uri = wharf.endpoint();
    for (String request : List.of(
        head("PUT", "npm", "gone", token, "Content-Type: application/json", "Content-Length: 100000")
            + "{\"name\":\"gone\",\"versions\":{",
        head("PUT", "maven", "com/gone/lib/1.0/lib-1.0.jar", token, "Content-Length: 100000") + "x".repeat(5000))) {
      try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        socket.setSoLinger(true, 0); // a reset, as a killed client leaves
      }
    }
    // the server sees the resets when it reads on: wait for both to be logged (or time out failing)
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (loggedSince(before).stream()
        .filter(event -> event.getFormattedMessage().contains("could not be read")).count() < 2
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<ILoggingEvent> logged = loggedSince(before);
    assertThat(logged).filteredOn(event -> event.getFormattedMessage().contains("could not be read")).hasSize(2);
    assertThat(logged).noneMatch(event -> event.getThrowableProxy() != null);
    assertThat(packageNames("npm")).doesNotContain("null/gone");
    assertThat(packageNames("maven")).doesNotContain("com.gone/lib");
  }

  // ---------------------------------------------------------------- 4. uploaded files are downloads

  static void assertServedAsADownload(HttpResponse<byte[]> response, String fileName) {
    assertThat(response.statusCode()).as(fileName + ": " + text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Content-Type-Options")).as(fileName).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Security-Policy")).as(fileName)
        .hasValue("default-src 'none'; sandbox");
    assertThat(response.headers().firstValue("Content-Disposition")).as(fileName)
        .hasValue("attachment; filename=\"" + fileName + "\"");
  }

  static void assertNosniff(HttpResponse<byte[]> response, String what) {
    assertThat(response.statusCode()).as(what + ": " + text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
  }

  @Test
  void everyFormatsFilesAreServedAsSandboxedDownloadsAndItsMetadataUnsniffed() throws Exception {
    String bearer = "Bearer " + token;
    // npm
    assertThat(send("PUT", endpoint("npm") + "page", NpmTestingPackages.publishBody("page", "1.0.0")
        .getBytes(StandardCharsets.UTF_8), bearer, "Content-Type", "application/json").statusCode()).isEqualTo(201);
    assertServedAsADownload(send("GET", endpoint("npm") + "page/-/page-1.0.0.tgz", null, bearer), "package.tgz");
    assertNosniff(send("GET", endpoint("npm") + "page", null, bearer), "packument");

    // Maven: a POM, and files a browser would render (XML, HTML, SVG)
    String html = "<html><script>alert(document.cookie)</script></html>";
    for (String file : List.of("page-1.0.pom", "page-1.0.xml", "page-1.0.html", "page-1.0.svg")) {
      assertThat(send("PUT", endpoint("maven") + "com/example/page/1.0/" + file, (file.endsWith(".pom")
          ? "<project><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>page</artifactId>"
              + "<version>1.0</version></project>" : html).getBytes(StandardCharsets.UTF_8), bearer).statusCode())
          .as(file).isEqualTo(201);
    }
    assertThat(send("PUT", endpoint("maven") + "com/example/page/maven-metadata.xml", ("<metadata><groupId>com.example"
        + "</groupId><artifactId>page</artifactId><versioning><versions><version>1.0</version></versions></versioning>"
        + "</metadata>").getBytes(StandardCharsets.UTF_8), bearer).statusCode()).isEqualTo(201);
    for (String file : List.of("page-1.0.pom", "page-1.0.xml", "page-1.0.html", "page-1.0.svg")) {
      assertServedAsADownload(send("GET", endpoint("maven") + "com/example/page/1.0/" + file, null, bearer), file);
    }
    assertNosniff(send("GET", endpoint("maven") + "com/example/page/maven-metadata.xml", null, bearer), "maven-metadata");

    // PyPI
    byte[] wheel = PypiUploadIT.wheel(10, "1.0");
    HttpResponse<byte[]> upload = send("POST", endpoint("pypi"), PypiUploadIT.form(wheel, Map.of()), bearer,
        "Content-Type", "multipart/form-data; boundary=" + PypiUploadIT.BOUNDARY);
    assertThat(upload.statusCode()).as(text(upload)).isEqualTo(200);
    assertServedAsADownload(send("GET", endpoint("pypi") + "simple/tiny/tiny-1.0-py3-none-any.whl", null, bearer),
        "tiny-1.0-py3-none-any.whl");
    assertNosniff(send("GET", endpoint("pypi") + "simple/tiny/", null, bearer), "simple page");

    // cargo
    byte[] crate = TestingCrates.tarGz(Map.of("page-1.0.0/Cargo.toml", "[package]\nname = \"page\"\nversion = \"1.0.0\"\n"));
    HttpResponse<String> published = TestingCrates.publish(endpoint("cargo"), token, TestingCrates.body(
        "{\"name\":\"page\",\"vers\":\"1.0.0\",\"deps\":[],\"features\":{}}".getBytes(StandardCharsets.UTF_8), crate));
    assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
    assertServedAsADownload(send("GET", endpoint("cargo") + "api/v1/crates/page/1.0.0/download", null, token),
        "page-1.0.0.crate");
    assertNosniff(send("GET", endpoint("cargo") + "pa/ge/page", null, token), "index file");

    // RubyGems
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("metadata.gz", RubyClientIT.gzip(RubyClientIT.spec("page", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    entries.put("data.tar.gz", RubyClientIT.dataTarGz("lib/page.rb"));
    HttpResponse<byte[]> pushed = send("POST", endpoint("ruby") + "api/v1/gems", RubyClientIT.gem(entries), bearer,
        "Content-Type", "application/octet-stream");
    assertThat(pushed.statusCode()).as(text(pushed)).isEqualTo(200);
    assertServedAsADownload(send("GET", endpoint("ruby") + "gems/page-1.0.0.gem", null, bearer), "page-1.0.0.gem");
    assertNosniff(send("GET", endpoint("ruby") + "info/page", null, bearer), "info file");

    // a generic asset, and every asset through GetPackageVersionAsset
    byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".getBytes(StandardCharsets.UTF_8);
    String svgSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(svg));
    api.publishPackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("site")
        .packageValue("page").packageVersion("1.0").assetName("évil page (1).svg")
        .assetSHA256(svgSha256),
        RequestBody.fromBytes(svg));
    var generic = api.getPackageVersionAsset(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("site").packageValue("page").packageVersion("1.0").asset("évil page (1).svg"),
        ResponseTransformer.toBytes());
    Map<String, List<String>> headers = generic.response().sdkHttpResponse().headers();
    assertThat(headers.get("X-Content-Type-Options")).containsExactly("nosniff");
    assertThat(headers.get("Content-Security-Policy")).containsExactly("default-src 'none'; sandbox");
    assertThat(headers.get("Content-Disposition")).containsExactly(
        "attachment; filename=\"_vil page (1).svg\"; filename*=UTF-8''%C3%A9vil%20page%20%281%29.svg");
    assertThat(generic.asByteArray()).isEqualTo(svg);
    var pom = api.getPackageVersionAsset(b -> b.domain("acme").repository("app").format(PackageFormat.MAVEN)
        .namespace("com.example").packageValue("page").packageVersion("1.0").asset("page-1.0.html"),
        ResponseTransformer.toBytes());
    assertThat(pom.response().sdkHttpResponse().headers().get("Content-Disposition"))
        .containsExactly("attachment; filename=\"page-1.0.html\"");
  }
}
