package dev.wharf.format.npm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** The npm endpoints over raw HTTP: what npm itself never sends or checks before the server can. */
class NpmHttpIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static String base;
  static String token;
  static String noReadToken;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"), java.time.Clock.systemUTC(),
        Map.of("WHARF_PUBLIC_URL", "https://packages.example.com"));
    var api = wharf.codeartifact(wharf.rootCredentials());
    String account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("app"));
    base = wharf.endpoint() + "/acme-" + account + "/npm/app/";
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    var iam = wharf.iam(wharf.rootCredentials());
    iam.createUser(b -> b.userName("nobody"));
    iam.putUserPolicy(b -> b.userName("nobody").policyName("p").policyDocument(READ_ONLY));
    var key = iam.createAccessKey(b -> b.userName("nobody")).accessKey();
    noReadToken = wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))
        .getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
    assertThat(send("PUT", "@acme%2futil", NpmTestingPackages.publishBody("@acme/util", "1.0.0"), token).statusCode())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static HttpResponse<String> send(String method, String path, String body, String bearer, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void scopedNamesAreServedWithLowerUpperAndRawSlashesAndTarballsFollowThePublicUrl() {
    for (String path : new String[] {"@acme%2futil", "@acme%2Futil", "@acme/util"}) {
      HttpResponse<String> response = send("GET", path, null, token, "Accept", NpmFormat.ABBREVIATED);
      assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Vary")).hasValue("Accept");
      assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(NpmFormat.ABBREVIATED);
      assertThat(response.body()).contains("\"tarball\":\"https://packages.example.com/acme-" + wharf.managementAccountId()
          + "/npm/app/@acme/util/-/util-1.0.0.tgz\"");
    }
    HttpResponse<String> tarball = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token);
    assertThat(tarball.statusCode()).isEqualTo(200);
  }

  @Test
  void republishingOverTheWireIs403WithNpmsMeaning() {
    HttpResponse<String> response = send("PUT", "@acme%2futil", NpmTestingPackages.publishBody("@acme/util", "1.0.0"), token);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("cannot publish over the previously published versions");
  }

  @Test
  void aMissingPackageAndAnUnreadableOneAnswerAlike() {
    HttpResponse<String> missing = send("GET", "no-such-package", null, noReadToken);
    HttpResponse<String> existing = send("GET", "@acme%2futil", null, noReadToken);
    assertThat(missing.statusCode()).isEqualTo(existing.statusCode()).isEqualTo(403);
    assertThat(send("GET", "no-such-package", null, token).statusCode()).isEqualTo(404);
  }

  @Test
  void badTokensAre401WithoutOtpAndBadPathsAre400() {
    HttpResponse<String> noToken = send("GET", "@acme%2futil", null, null);
    assertThat(noToken.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = send("GET", "@acme%2futil", null, "garbage");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).startsWith("{\"error\":").doesNotContainIgnoringCase("otp");
    assertThat(wrong.headers().allValues("WWW-Authenticate")).noneMatch(v -> v.toLowerCase().contains("otp"));
    assertThat(send("GET", "%2e%2e%2f%2e%2e%2fetc", null, token).statusCode()).isEqualTo(400);
    assertThat(send("GET", "@acme%2futil/-/%2e%2e%2futil-1.0.0.tgz", null, token).statusCode()).isEqualTo(400);
    assertThat(send("GET", ".hidden", null, token).statusCode()).isEqualTo(400);
  }

  @Test
  void aBodyDeclaredOverTheLimitIs413BeforeItIsRead() throws IOException {
    assertThat(statusOfAPutWhoseBodyIsNotSent("big", token, 2L * 1024 * 1024 * 1024)).isEqualTo("HTTP/1.1 413 Payload Too Large");
  }

  /**
   * Sends a PUT's headers declaring {@code declaredLength} bytes and only the body's first bytes,
   * and returns the answer's status line: an answer given without the rest of the body (a server
   * that waits for it times this out and the test fails).
   */
  static String statusOfAPutWhoseBodyIsNotSent(String path, String bearer, long declaredLength) throws IOException {
    URI uri = URI.create(base);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(20_000);
      var out = socket.getOutputStream();
      out.write(("PUT " + uri.getRawPath() + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + bearer
          + "\r\nContent-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n\r\n{\"name\":")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  void aPutByATokenThatMayNeitherPublishNorPutMetadataIsRefusedBeforeItsBodyIsRead() throws IOException {
    assertThat(statusOfAPutWhoseBodyIsNotSent("not-mine", noReadToken, 1_000_000)).isEqualTo("HTTP/1.1 403 Forbidden");
  }

  @Test
  void pingWhoamiAuditAndUnpublish() {
    assertThat(send("GET", "-/ping?write=true", null, token).body()).isEqualTo("{}");
    assertThat(send("GET", "-/whoami", null, token).body()).isEqualTo("{\"username\":\"root\"}");
    assertThat(send("POST", "-/npm/v1/security/advisories/bulk", "{}", token).statusCode()).isEqualTo(200);
    assertThat(send("POST", "-/npm/v1/security/audits/quick", "{}", token).statusCode()).isEqualTo(200);
    HttpResponse<String> unpublish = send("DELETE", "@acme%2futil/-rev/1-abc", null, token);
    assertThat(unpublish.statusCode()).isEqualTo(405);
    assertThat(unpublish.body()).contains("delete-package-versions");
  }

  @Test
  void packumentsRevalidateWithETagsAndDatesAndAreGzippedWhenAccepted() {
    for (int minor = 0; minor < 6; minor++) {
      assertThat(send("PUT", "revalidated", NpmTestingPackages.publishBody("revalidated", "1." + minor + ".0"), token)
          .statusCode()).isEqualTo(201);
    }
    String full = dev.wharf.testing.TestingRevalidation.assertRevalidates(base + "revalidated", "Bearer " + token);
    String abbreviated = dev.wharf.testing.TestingRevalidation.assertRevalidates(base + "revalidated", "Bearer " + token,
        "Accept", NpmFormat.ABBREVIATED);
    assertThat(abbreviated).isNotEqualTo(full);

    // A new version is a new document: the old ETag no longer matches.
    assertThat(send("PUT", "revalidated", NpmTestingPackages.publishBody("revalidated", "2.0.0"), token).statusCode())
        .isEqualTo(201);
    var changed = dev.wharf.testing.TestingRevalidation.get(base + "revalidated", "Bearer " + token, "If-None-Match", full);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(new String(changed.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"2.0.0\"");
    // A conditional request is still authenticated first.
    assertThat(dev.wharf.testing.TestingRevalidation.get(base + "revalidated", "Bearer nope", "If-None-Match", full)
        .statusCode()).isEqualTo(401);
  }

  @Test
  void tarballsAnswerHeadConditionalRequestsAndByteRanges() {
    HttpResponse<String> whole = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token);
    String etag = whole.headers().firstValue("ETag").orElseThrow();
    int size = Integer.parseInt(whole.headers().firstValue("Content-Length").orElseThrow());
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

    HttpResponse<String> head = send("HEAD", "@acme/util/-/util-1.0.0.tgz", null, token);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
    assertThat(head.headers().firstValue("ETag")).hasValue(etag);

    HttpResponse<String> unchanged = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token, "If-None-Match", etag);
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();

    HttpResponse<String> first = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token, "Range", "bytes=0-9");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + size);
    assertThat(first.headers().firstValue("Content-Length")).hasValue("10");
    HttpResponse<String> last = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token, "Range", "bytes=-5");
    assertThat(last.headers().firstValue("Content-Range")).hasValue("bytes " + (size - 5) + "-" + (size - 1) + "/" + size);
    HttpResponse<String> beyond = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token, "Range", "bytes=" + size + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
    HttpResponse<String> stale = send("GET", "@acme/util/-/util-1.0.0.tgz", null, token, "Range", "bytes=0-9",
        "If-Range", "\"another\"");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
  }

  @Test
  void aTarballWhoseBlobIsMissingIs404ForNpmAndForTheApi() throws IOException {
    assertThat(send("PUT", "lost", NpmTestingPackages.publishBody("lost", "1.0.0"), token).statusCode()).isEqualTo(201);
    var api = wharf.codeartifact(wharf.rootCredentials());
    // the digest from the API, without reading the file: a file once served stays mapped, and served, for a
    // while after it is removed behind the store's back (MappedBlobs, as nginx's open_file_cache)
    String sha256 = api.listPackageVersionAssets(b -> b.domain("acme").repository("app").format("npm")
        .packageValue("lost").packageVersion("1.0.0")).assets().get(0).hashes().get(
            software.amazon.awssdk.services.codeartifact.model.HashAlgorithm.SHA_256);
    java.nio.file.Files.delete(wharf.dataDirectory().resolve("blobs").resolve(sha256.substring(0, 2))
        .resolve(sha256.substring(2, 4)).resolve(sha256));

    HttpResponse<String> npm = send("GET", "lost/-/lost-1.0.0.tgz", null, token);
    assertThat(npm.statusCode()).isEqualTo(404);
    assertThat(npm.body()).startsWith("{\"error\":");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.getPackageVersionAsset(b -> b.domain("acme")
            .repository("app").format("npm").packageValue("lost").packageVersion("1.0.0").asset("package.tgz"),
            software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()))
        .isInstanceOf(software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException.class);
  }
}
