package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAudit;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * Every route of every package format declares what it needs, and the real server enforces it,
 * as {@code QueryOperationPermissionsIT} shows for the AWS operations: for each route and method,
 * a request without a token, with a token that is not one, and with the token of a user who may
 * not read gets 401 or 403 in that format's own error shape; a user who may only read is refused
 * every route that needs more. The walk uses each route's declared example, so a new route is
 * walked without a change here.
 */
class PackageRoutePermissionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String TOKEN_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}";
  private static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"],"
      + "\"Resource\":\"*\"}]}";
  private static final String BOUNDARY = "wharf-route-walk";
  /**
   * The bodies of routes whose body decides what they need (every such route must have one here):
   * each names a package, so the decision is the one under test.
   */
  private static final Map<String, byte[]> DECIDING_BODIES = Map.of(
      "ruby push", rubyGem(),
      "ruby yank", bytes("gem_name=rake&version=13.0.6"),
      "npm publish or deprecate", bytes("{\"_id\":\"pkg\",\"name\":\"pkg\",\"versions\":{\"1.0.0\":{\"name\":\"pkg\","
          + "\"version\":\"1.0.0\",\"deprecated\":\"old\"}}}"),
      "pypi upload or yank", bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n"
          + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nsome-project\r\n"
          + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1.0\r\n"
          + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"some_project-1.0.tar.gz\""
          + "\r\nContent-Type: application/octet-stream\r\n\r\nnot read\r\n--" + BOUNDARY + "--\r\n"),
      // cargo's framing: a 32-bit little-endian length (31: one ASCII character), the JSON, then the crate's
      "cargo publish", bytes("\u001f\u0000\u0000\u0000{\"name\":\"serde\",\"vers\":\"1.0.0\"}\u0008\u0000\u0000\u0000not read"),
      "nuget push", nugetPush());

  /** A push's multipart body: a .nupkg whose .nuspec names Newtonsoft.Json, what the push is decided on. */
  private static byte[] nugetPush() {
    java.io.ByteArrayOutputStream nupkg = new java.io.ByteArrayOutputStream();
    try (var zip = new java.util.zip.ZipOutputStream(nupkg)) {
      zip.putNextEntry(new java.util.zip.ZipEntry("Newtonsoft.Json.nuspec"));
      zip.write(bytes("<package><metadata><id>Newtonsoft.Json</id><version>13.0.3</version></metadata></package>"));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(bytes("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"package\"; filename=\"package.nupkg\""
        + "\r\nContent-Type: application/octet-stream\r\n\r\n"));
    body.writeBytes(nupkg.toByteArray());
    body.writeBytes(bytes("\r\n--" + BOUNDARY + "--\r\n"));
    return body.toByteArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A gem's first entry, its specification (gzip'd YAML) naming rake: what the push is decided on. */
  private static byte[] rubyGem() {
    try {
      java.io.ByteArrayOutputStream yaml = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(yaml)) {
        gzip.write(bytes("--- !ruby/object:Gem::Specification\nname: rake\nversion: !ruby/object:Gem::Version\n"
            + "  version: 13.0.6\nplatform: ruby\n"));
      }
      java.io.ByteArrayOutputStream gem = new java.io.ByteArrayOutputStream();
      try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gem)) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("metadata.gz");
        entry.setSize(yaml.size());
        tar.putArchiveEntry(entry);
        tar.write(yaml.toByteArray());
        tar.closeArchiveEntry();
      }
      return gem.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TempDir static Path data;
  static TestingServer wharf;
  static String account;
  static String noReadToken;
  static String readOnlyToken;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    account = wharf.managementAccountId();
    var api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("app"));
    var iam = wharf.iam(wharf.rootCredentials());
    noReadToken = token(TestingIam.user(iam, "token-only", "p", TOKEN_ONLY));
    readOnlyToken = token(TestingIam.user(iam, "reader", "p", READ_ONLY));
  }

  private static String token(AwsBasicCredentials user) {
    return wharf.codeartifact(user).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  @Test
  void everyFormatIsServedWithRoutesAndEveryBodyDecidedRouteIsWalkedWithABody() {
    Map<PackageFormat, List<PackageRoute<?>>> formats = wharf.server().packageRoutes();
    assertThat(formats.keySet()).extracting(PackageFormat::name)
        .contains("npm", "pypi", "maven", "generic", "nuget", "ruby", "swift", "cargo");
    List<String> decided = new ArrayList<>();
    formats.forEach((format, routes) -> routes.stream().filter(r -> r.need() instanceof Need.DecidedByBody<?>)
        .forEach(r -> decided.add(format.name() + " " + r.name())));
    assertThat(decided).containsExactlyInAnyOrderElementsOf(DECIDING_BODIES.keySet());
  }

  @Test
  void everyRouteRefusesCallersWithoutTheDeclaredPermissionInItsFormatsShape() {
    List<String> problems = new ArrayList<>();
    int walked = 0;
    for (var entry : wharf.server().packageRoutes().entrySet()) {
      PackageFormat format = entry.getKey();
      for (PackageRoute<?> route : entry.getValue()) {
        byte[] body = DECIDING_BODIES.get(format.name() + " " + route.name());
        for (String method : route.methods()) {
          String what = format.name() + " " + route.name() + " (" + method + " " + route.example() + ")";
          walked++;
          check(problems, format, what + " without a token", send(format, method, route.example(), body, null), 401);
          check(problems, format, what + " with a malformed token",
              send(format, method, route.example(), body, "Bearer not-a-token"), 401);
          check(problems, format, what + " with Basic and another user",
              send(format, method, route.example(), body, "Basic " + Base64.getEncoder()
                  .encodeToString(("someone:" + readOnlyToken).getBytes(StandardCharsets.UTF_8))), 401);
          check(problems, format, what + " without read permission",
              send(format, method, route.example(), body, "Bearer " + noReadToken), 403);
          HttpResponse<String> reader = send(format, method, route.example(), body, "Bearer " + readOnlyToken);
          if (route.need() instanceof Need.Read<?>) {
            if (reader.statusCode() == 401 || reader.statusCode() == 403) {
              problems.add(what + " refused a reader: " + reader.statusCode() + " " + reader.body());
            }
          } else {
            check(problems, format, what + " with read permission only", reader, 403);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(walked).isGreaterThan(25);
  }

  @Test
  void refusalsAreAuditedWithTheActionTheRouteDeclares() {
    HttpResponse<String> refused = send(wharf.server().packageRoutes().keySet().stream()
        .filter(f -> f.name().equals("maven")).findFirst().orElseThrow(), "PUT", "com/example/lib/1.0/lib-1.0.jar",
        bytes("jar"), "Bearer " + readOnlyToken);
    assertThat(refused.statusCode()).isEqualTo(403);
    TestingAudit.awaitEvents(() -> wharf.server().audit().lookup(account, java.time.Instant.EPOCH, null,
            "codeartifact:PublishPackageVersion", 1000),
        found -> found.stream().anyMatch(e -> e.resource() != null && e.resource().endsWith("/app/maven/com.example/lib")
            && e.outcome() == dev.wharf.audit.AuditEvent.Outcome.DENIED), "the refused Maven PUT, DENIED");
  }

  private static void check(List<String> problems, PackageFormat format, String what, HttpResponse<String> response,
      int expected) {
    if (response.statusCode() != expected) {
      problems.add(what + ": " + response.statusCode() + " " + response.body());
      return;
    }
    if (expected == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
      problems.add(what + ": 401 without a WWW-Authenticate challenge");
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    boolean head = response.request().method().equals("HEAD"); // headers only
    if (format.spec().errorBody() == dev.wharf.format.swift.SwiftFormat.PROBLEM_DETAILS) {
      if (!type.startsWith("application/problem+json")
          || !response.headers().firstValue("Content-Version").orElse("").equals("1")) {
        problems.add(what + ": not problem details in API version 1: " + type + " " + response.headers().map());
      } else if (!head) {
        try {
          if (JSON.readTree(response.body()).path("detail").asText().isBlank()) {
            problems.add(what + ": not {\"detail\": ...}: " + response.body());
          }
        } catch (IOException e) {
          problems.add(what + ": not problem details JSON: " + response.body());
        }
      }
    } else if (format.spec().errorBody() == dev.wharf.format.cargo.CargoFormat.ERRORS) {
      if (!type.startsWith("application/json")) {
        problems.add(what + ": not JSON: " + type);
      } else if (!head) {
        try {
          if (JSON.readTree(response.body()).path("errors").path(0).path("detail").asText().isBlank()) {
            problems.add(what + ": not {\"errors\": [{\"detail\": ...}]}: " + response.body());
          }
        } catch (IOException e) {
          problems.add(what + ": not cargo's JSON: " + response.body());
        }
      }
    } else if (format.spec().errorBody() == ErrorBody.JSON && head) {
      if (!type.startsWith("application/json")) {
        problems.add(what + ": not JSON: " + type);
      }
    } else if (format.spec().errorBody() == ErrorBody.JSON) {
      JsonNode error;
      try {
        error = JSON.readTree(response.body()).path("error");
      } catch (IOException e) {
        problems.add(what + ": not npm JSON: " + response.body());
        return;
      }
      if (!type.startsWith("application/json") || !error.isTextual() || error.asText().isBlank()) {
        problems.add(what + ": not {\"error\": ...} as JSON: " + type + " " + response.body());
      }
    } else if (!type.startsWith("text/plain") || (!head && response.body().isBlank())) {
      problems.add(what + ": not a plain-text error: " + type + " " + response.body());
    }
  }

  private static HttpResponse<String> send(PackageFormat format, String method, String path, byte[] body,
      String authorization) {
    URI uri = URI.create(wharf.endpoint() + "/acme-" + account + "/" + format.name() + "/app/" + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      request.header("Content-Type", List.of("pypi", "nuget").contains(format.name())
          ? "multipart/form-data; boundary=" + BOUNDARY
          : "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
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
}
