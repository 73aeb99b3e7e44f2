package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.format.FormatErrors;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;

/**
 * The Maven endpoints over plain HTTP, for what Gradle relies on (no usable Gradle runs on these
 * machines): the 401 challenge then credentials, HEAD before GET, {@code .module} files, sha256
 * and sha512 checksums; and the bad input no real client sends: traversal, paths outside the
 * layout, checksum mismatches, uploads over the limit, malformed metadata, concurrent deploys.
 */
class MavenHttpIT {
  private static final long LIMIT = 1024 * 1024;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient codeartifact;
  static String account;
  static String token;
  static String endpoint;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(), Map.of("WHARF_MAX_ASSET_SIZE",
        Long.toString(LIMIT)));
    codeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("libs"));
    token = codeartifact.getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
    endpoint = wharf.endpoint() + "/acme-" + account + "/maven/libs/";
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> send(String method, String path, String authorization, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(String path) {
    return send("GET", path, basic(), null);
  }

  static HttpResponse<String> put(String path, String body) {
    return send("PUT", path, basic(), body.getBytes(StandardCharsets.UTF_8));
  }

  static String digest(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pom(String groupId, String artifactId, String version) {
    return "<project><modelVersion>4.0.0</modelVersion><groupId>" + groupId + "</groupId><artifactId>" + artifactId
        + "</artifactId><version>" + version + "</version></project>";
  }

  @Test
  void withoutCredentialsA401WithTheBasicChallengeThenCredentialsArePreemptiveBasicOrBearer() {
    for (String method : List.of("GET", "HEAD", "PUT")) {
      HttpResponse<String> challenge = send(method, "org/example/none/1.0/none-1.0.jar", null,
          method.equals("PUT") ? new byte[] {1} : null);
      assertThat(challenge.statusCode()).as(method).isEqualTo(401);
      assertThat(challenge.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");
    }
    HttpResponse<String> wrong = send("GET", "org/example/none/1.0/none-1.0.jar", "Basic "
        + Base64.getEncoder().encodeToString("aws:not-a-token".getBytes(StandardCharsets.UTF_8)), null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wharf\"");
    assertThat(get("org/example/none/1.0/none-1.0.jar").statusCode()).isEqualTo(404);
    assertThat(send("GET", "org/example/none/1.0/none-1.0.jar", "Bearer " + token, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "org/example/none/1.0/none-1.0.jar", basic(), null).statusCode()).isEqualTo(405);
  }

  @Test
  void whatGradlePublishesAndReadsModuleFilesHeadBeforeGetAndSha256Sha512() {
    String base = "org/example/gradle/lib/1.0/lib-1.0";
    String jar = "gradle jar bytes";
    String module = "{\"formatVersion\":\"1.1\",\"component\":{\"group\":\"org.example.gradle\",\"module\":\"lib\"}}";
    // Gradle's order: the jar and its checksums, the POM, the module, then maven-metadata.xml.
    assertThat(put(base + ".jar", jar).statusCode()).isEqualTo(201);
    for (String[] c : new String[][] {{"md5", "MD5"}, {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"}}) {
      assertThat(put(base + ".jar." + c[0], digest(c[1], jar)).statusCode()).as(c[0]).isEqualTo(201);
    }
    assertThat(put(base + ".pom", "<project><groupId>org.example.gradle</groupId><artifactId>lib</artifactId>"
        + "<version>1.0</version><description>Published by Gradle</description><licenses><license><name>MIT</name>"
        + "<url>https://opensource.org/licenses/MIT</url></license></licenses></project>").statusCode()).isEqualTo(201);
    assertThat(put(base + ".module", module).statusCode()).isEqualTo(201);
    assertThat(put("org/example/gradle/lib/maven-metadata.xml", "<metadata><versioning><versions>"
        + "<version>1.0</version></versions></versioning></metadata>").statusCode()).isEqualTo(201);

    HttpResponse<String> head = send("HEAD", base + ".module", basic(), null);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(module.length());
    HttpResponse<String> moduleGet = get(base + ".module");
    assertThat(moduleGet.body()).isEqualTo(module);
    assertThat(moduleGet.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(get(base + ".module.sha256").body().strip()).isEqualTo(digest("SHA-256", module));
    assertThat(get(base + ".module.sha512").body().strip()).isEqualTo(digest("SHA-512", module));
    assertThat(get(base + ".jar.sha256").body().strip()).isEqualTo(digest("SHA-256", jar));
    assertThat(send("HEAD", base + ".jar.sha512", basic(), null).statusCode()).isEqualTo(200);
    assertThat(get(base + ".jar").body()).isEqualTo(jar);
    assertThat(get(base + ".jar").headers().firstValue("X-Checksum-Sha1")).hasValue(digest("SHA-1", jar));

    HttpResponse<String> metadata = get("org/example/gradle/lib/maven-metadata.xml");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body()).contains("<release>1.0</release>");
    assertThat(get("org/example/gradle/lib/maven-metadata.xml.sha256").body().strip())
        .isEqualTo(digest("SHA-256", metadata.body()));
    assertThat(get("org/example/gradle/lib/maven-metadata.xml.sha1").body().strip())
        .isEqualTo(digest("SHA-1", metadata.body()));

    var version = codeartifact.describePackageVersion(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("org.example.gradle").packageValue("lib").packageVersion("1.0"))
        .packageVersion();
    assertThat(version.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
    assertThat(version.namespace()).isEqualTo("org.example.gradle");
    assertThat(version.displayName()).isEqualTo("lib");
    assertThat(version.summary()).isEqualTo("Published by Gradle");
    assertThat(version.licenses()).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("MIT");
      assertThat(l.url()).isEqualTo("https://opensource.org/licenses/MIT");
    });
  }

  @Test
  void aMismatchedChecksumTakesBackTheFileJustUploadedAndItsVersionWaitsForTheRightOne() {
    String base = "org/example/checks/lib/1.0/lib-1.0";
    assertThat(put(base + ".pom", pom("org.example.checks", "lib", "1.0")).statusCode()).isEqualTo(201);
    assertThat(put(base + ".jar", "corrupted in transit").statusCode()).isEqualTo(201);
    assertThat(status("org.example.checks", "lib", "1.0")).isEqualTo("Published");

    HttpResponse<String> mismatch = put(base + ".jar.sha1", digest("SHA-1", "the real bytes"));
    assertThat(mismatch.statusCode()).isEqualTo(400);
    assertThat(mismatch.body()).contains("Checksum mismatch", "not kept");
    assertThat(get(base + ".jar").statusCode()).as("the bad file is gone").isEqualTo(404);
    assertThat(status("org.example.checks", "lib", "1.0")).as("waits for its main artifact again")
        .isEqualTo("Unfinished");

    assertThat(put(base + ".jar", "the real bytes").statusCode()).isEqualTo(201);
    assertThat(put(base + ".jar.sha1", digest("SHA-1", "the real bytes")).statusCode()).isEqualTo(201);
    assertThat(status("org.example.checks", "lib", "1.0")).isEqualTo("Published");
    assertThat(get(base + ".jar").body()).isEqualTo("the real bytes");
    assertThat(get(base + ".jar.sha256").body().strip()).isEqualTo(digest("SHA-256", "the real bytes"));
    assertThat(put("org/example/checks/lib/1.0/lib-1.0-missing.jar.md5", "00").statusCode()).isEqualTo(404);
  }

  private static String status(String group, String artifact, String version) {
    return codeartifact.describePackageVersion(b -> b.domain("acme").repository("libs").format("maven")
        .namespace(group).packageValue(artifact).packageVersion(version)).packageVersion().statusAsString();
  }

  @Test
  void releaseFilesAreImmutableAndOfConcurrentDeploysOfOneFileExactlyOneWins() throws Exception {
    String base = "org/example/race/lib/1.0/lib-1.0";
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      for (int i = 0; i < racers; i++) {
        String body = "racer " + i;
        Callable<Integer> racer = () -> {
          start.await();
          return put(base + ".jar", body).statusCode();
        };
        results.add(pool.submit(racer));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> result : results) {
        statuses.add(result.get());
      }
      assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    }
    put(base + ".pom", pom("org.example.race", "lib", "1.0"));
    String stored = get(base + ".jar").body();
    assertThat(stored).startsWith("racer ");
    assertThat(put(base + ".jar", stored).statusCode()).as("identical bytes: a no-op").isEqualTo(200);
    HttpResponse<String> conflict = put(base + ".jar", "different");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(get(base + ".jar").body()).isEqualTo(stored);
  }

  @Test
  void anUploadOverTheLimitIs413WithoutStoringAnythingDeclaredOrChunked() throws IOException {
    byte[] big = new byte[(int) LIMIT + 1];
    HttpResponse<String> declared = send("PUT", "org/example/big/lib/1.0/lib-1.0.jar", basic(), big);
    assertThat(declared.statusCode()).isEqualTo(413);
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(endpoint + "org/example/big/lib/1.0/lib-1.0.jar"))
        .header("Authorization", basic())
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
    try {
      assertThat(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    // Far beyond the limit, announced: answered without reading the body.
    try (Socket socket = new Socket(wharf.endpoint().getHost(), wharf.endpoint().getPort())) {
      String request = "PUT " + URI.create(endpoint).getPath() + "org/example/big/lib/1.0/lib-1.0.pom HTTP/1.1\r\n"
          + "Host: localhost\r\nAuthorization: " + basic() + "\r\nContent-Length: 107374182400\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 413");
    }
    assertThat(codeartifact.listPackages(b -> b.domain("acme").repository("libs").namespace("org.example.big"))
        .packages()).isEmpty();
  }

  @Test
  void a401sStatusLineSaysWhatToRunAndOtherAnswersKeepTheStandardReason() throws IOException {
    String path = "org/example/none/1.0/none-1.0.pom";
    // Maven, Gradle, twine and gem print the status line and none of the body
    assertThat(statusLine(path, null)).isEqualTo("HTTP/1.1 401 " + FormatErrors.NO_TOKEN_REASON);
    String expired = "Basic " + Base64.getEncoder().encodeToString("aws:not-a-token".getBytes(StandardCharsets.UTF_8));
    assertThat(statusLine(path, expired)).isEqualTo("HTTP/1.1 401 " + FormatErrors.INVALID_TOKEN_REASON);
    assertThat(statusLine(path, basic())).isEqualTo("HTTP/1.1 404 Not Found");
  }

  private static String statusLine(String path, String authorization) throws IOException {
    try (Socket socket = new Socket(wharf.endpoint().getHost(), wharf.endpoint().getPort())) {
      String request = "GET " + URI.create(endpoint).getPath() + path + " HTTP/1.1\r\nHost: localhost\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      return answer.substring(0, answer.indexOf("\r\n"));
    }
  }

  @Test
  void traversalAndPathsOutsideTheLayoutAre400AndNothingIsStored() {
    for (String path : List.of("org/%2e%2e/lib/1.0/lib-1.0.jar", "org/x%2F..%2F..%2F/lib/1.0/lib-1.0.jar",
        "org/example/lib/1.0/other-1.0.jar", "lib-1.0.jar", "org/example/lib/1.0/lib-1.0",
        "org/example/lib/1.0/lib-1.0.jar.sha1.md5", "org/example/lib/1.0/%00lib-1.0.jar")) {
      HttpResponse<String> response = put(path, "x");
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(get(path).statusCode()).as(path).isEqualTo(400);
    }
    try (Socket socket = new Socket(wharf.endpoint().getHost(), wharf.endpoint().getPort())) {
      String request = "GET " + URI.create(endpoint).getPath() + "org/../../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: " + basic() + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 4").doesNotContain("root:");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // ListPackages' namespace filter is a prefix: only the groups the other tests publish may be listed.
    assertThat(codeartifact.listPackages(b -> b.domain("acme").repository("libs").namespace("org")).packages())
        .allSatisfy(p -> assertThat(p.namespace()).matches("org\\.example\\.[a-z]+"));
  }

  @Test
  void mavenMetadataRevalidatesWithItsETagAndIsGzippedWhenAccepted() {
    String base = "org/example/revalidated/lib/";
    for (int minor = 0; minor < 45; minor++) {
      put(base + "1." + minor + "/lib-1." + minor + ".pom", "<project><packaging>pom</packaging></project>");
    }
    String etag = dev.wharf.testing.TestingRevalidation.assertRevalidates(endpoint + base + "maven-metadata.xml", basic());
    put(base + "2.0/lib-2.0.pom", "<project><packaging>pom</packaging></project>");
    var changed = dev.wharf.testing.TestingRevalidation.get(endpoint + base + "maven-metadata.xml", basic(),
        "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(new String(changed.body(), StandardCharsets.UTF_8)).contains("<release>2.0</release>");
    // Its checksum is of the uncompressed document, as Maven checks it.
    assertThat(get(base + "maven-metadata.xml.sha1").body().strip())
        .isEqualTo(digest("SHA-1", new String(changed.body(), StandardCharsets.UTF_8)));
  }

  @Test
  void anUploadedMetadataIsAcceptedButNeverTrustedMalformedOrNot() {
    String base = "org/example/meta/lib/";
    put(base + "1.0/lib-1.0.pom", "<project><packaging>pom</packaging></project>");
    assertThat(put(base + "maven-metadata.xml", "<metadata><versioning><latest>9.9</latest><release>9.9</release>"
        + "<versions><version>9.9</version></versions></versioning></metadata>").statusCode()).isEqualTo(201);
    assertThat(put(base + "maven-metadata.xml", "<metadata><unclosed>").statusCode()).isEqualTo(201);
    assertThat(put(base + "maven-metadata.xml.sha1", "0123").statusCode()).isEqualTo(201);
    assertThat(put(base + "maven-metadata.xml", "<!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><m>&x;</m>")
        .statusCode()).isEqualTo(201);
    String metadata = get(base + "maven-metadata.xml").body();
    assertThat(metadata).contains("<release>1.0</release>", "<versions><version>1.0</version></versions>")
        .doesNotContain("9.9");
    assertThat(get("org/example/meta/none/maven-metadata.xml").statusCode()).isEqualTo(404);
    // A malformed POM is stored as bytes and served back exactly.
    String malformed = "<project><oops>";
    put("org/example/meta/bad/1.0/bad-1.0.pom", malformed);
    put("org/example/meta/bad/1.0/bad-1.0.jar", "jar");
    assertThat(get("org/example/meta/bad/1.0/bad-1.0.pom").body()).isEqualTo(malformed);
  }
}
