package dev.wharf.format.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionMode;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionType;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * The Swift registry at the protocol level: no Swift toolchain runs on this machine, so the test
 * replays what SwiftPM sends. A package laid out as a real one (Package.swift, a version-specific
 * manifest, Sources/, Tests/) is zipped with {@code zip} the way {@code swift package archive-source}
 * lays an archive out (one top-level folder), published with the multipart body SwiftPM's
 * {@code RegistryClient.publish} writes (Basic {@code token:TOKEN}, the netrc entry
 * {@code aws codeartifact login --tool swift} writes), then resolved with {@code swift package
 * resolve}'s sequence: releases, release information, manifest (and a version-specific one), source
 * archive checked against the checksum. Bad uploads get problem details and store nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class SwiftRegistryIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = """
      // swift-tools-version:5.9
      import PackageDescription

      let package = Package(
          name: "LinkedList",
          products: [.library(name: "LinkedList", targets: ["LinkedList"])],
          targets: [
              .target(name: "LinkedList"),
              .testTarget(name: "LinkedListTests", dependencies: ["LinkedList"]),
          ]
      )
      """;
  private static final String MANIFEST_58 = MANIFEST.replace("5.9", "5.8");
  private static final String METADATA = """
      {
        "description": "One thing links to another.",
        "repositoryURLs": ["https://github.com/mona/LinkedList", "git@github.com:mona/LinkedList.git"],
        "licenseURL": "https://www.apache.org/licenses/LICENSE-2.0",
        "author": {"name": "Mona Lisa Octocat", "url": "https://mona.example"}
      }
      """;

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;
  static byte[] archive;

  @BeforeAll
  static void start() throws Exception {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("apple"));
    AwsBasicCredentials developer = TestingIam.user(wharf.iam(wharf.rootCredentials()), "dev", "developer",
        TestingIam.DEVELOPER);
    token = wharf.codeartifact(developer).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
    archive = zipWithZipCommand("LinkedList", Map.of(
        "Package.swift", MANIFEST,
        "Package@swift-5.8.swift", MANIFEST_58,
        "Sources/LinkedList/LinkedList.swift", "public struct LinkedList<Element> {\n  public init() {}\n}\n",
        "Tests/LinkedListTests/LinkedListTests.swift", "import XCTest\n@testable import LinkedList\n",
        "README.md", "# LinkedList\n"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  // ------------------------------------------------------------------ publish and resolve

  @Test
  @Order(1)
  void aReleasePublishedAsSwiftPmPublishesItIsCreatedWithItsLocation() {
    HttpResponse<byte[]> created = publish("mona", "LinkedList", "1.1.1", archive, METADATA, null, null, null);
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    assertThat(created.headers().firstValue("Content-Version")).hasValue("1");
    assertThat(created.headers().firstValue("Location")).hasValue(endpoint() + "mona/LinkedList/1.1.1");
    HttpResponse<byte[]> older = publish("mona", "LinkedList", "1.0.0", archive, METADATA, null, null, null);
    assertThat(older.statusCode()).as(text(older)).isEqualTo(201);
  }

  @Test
  @Order(2)
  void swiftPackageResolvesSequenceFindsTheReleaseItsManifestsAndAnArchiveMatchingTheChecksum() throws Exception {
    HttpResponse<byte[]> releases = get("mona/LinkedList", "json");
    assertThat(releases.statusCode()).as(text(releases)).isEqualTo(200);
    assertThat(releases.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(releases.headers().firstValue("Content-Version")).hasValue("1");
    JsonNode list = JSON.readTree(releases.body()).path("releases");
    assertThat(list.properties()).extracting(Map.Entry::getKey).containsExactly("1.1.1", "1.0.0");
    assertThat(list.path("1.1.1").path("url").asText()).isEqualTo(endpoint() + "mona/LinkedList/1.1.1");
    assertThat(releases.headers().firstValue("Link").orElse(""))
        .contains("<" + endpoint() + "mona/LinkedList/1.1.1>; rel=\"latest-version\"")
        .contains("<https://github.com/mona/LinkedList>; rel=\"canonical\"")
        .contains("<git@github.com:mona/LinkedList.git>; rel=\"alternate\"");

    HttpResponse<byte[]> information = get("mona/LinkedList/1.1.1", "json");
    assertThat(information.statusCode()).as(text(information)).isEqualTo(200);
    JsonNode release = JSON.readTree(information.body());
    assertThat(release.path("id").asText()).isEqualTo("mona.LinkedList");
    assertThat(release.path("version").asText()).isEqualTo("1.1.1");
    JsonNode resource = release.path("resources").path(0);
    assertThat(resource.path("name").asText()).isEqualTo("source-archive");
    assertThat(resource.path("type").asText()).isEqualTo("application/zip");
    assertThat(resource.path("checksum").asText()).isEqualTo(sha256Hex(archive));
    assertThat(resource.has("signing")).isFalse();
    assertThat(release.path("metadata").path("description").asText()).isEqualTo("One thing links to another.");
    assertThat(release.path("publishedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(information.headers().firstValue("Link").orElse(""))
        .contains("mona/LinkedList/1.0.0>; rel=\"predecessor-version\"").doesNotContain("successor-version");
    assertThat(get("mona/LinkedList/1.0.0", "json").headers().firstValue("Link").orElse(""))
        .contains("mona/LinkedList/1.1.1>; rel=\"latest-version\"")
        .contains("mona/LinkedList/1.1.1>; rel=\"successor-version\"").doesNotContain("predecessor-version");

    HttpResponse<byte[]> manifest = get("mona/LinkedList/1.1.1/Package.swift", "swift");
    assertThat(manifest.statusCode()).as(text(manifest)).isEqualTo(200);
    assertThat(text(manifest)).isEqualTo(MANIFEST);
    assertThat(manifest.headers().firstValue("Content-Type").orElse("")).startsWith("text/x-swift");
    assertThat(manifest.headers().firstValue("Content-Disposition").orElse("")).contains("Package.swift");
    assertThat(manifest.headers().firstValue("Link").orElse("")).isEqualTo("<" + endpoint()
        + "mona/LinkedList/1.1.1/Package.swift?swift-version=5.8>; rel=\"alternate\"; filename=\"Package@swift-5.8.swift\";"
        + " swift-tools-version=\"5.8\"");
    HttpResponse<byte[]> specific = get("mona/LinkedList/1.1.1/Package.swift?swift-version=5.8", "swift");
    assertThat(specific.statusCode()).isEqualTo(200);
    assertThat(text(specific)).isEqualTo(MANIFEST_58);
    HttpResponse<byte[]> other = get("mona/LinkedList/1.1.1/Package.swift?swift-version=4.2", "swift");
    assertThat(other.statusCode()).isEqualTo(303);
    assertThat(other.headers().firstValue("Location")).hasValue(endpoint() + "mona/LinkedList/1.1.1/Package.swift");

    HttpResponse<byte[]> zip = get("mona/LinkedList/1.1.1.zip", "zip");
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(zip.body()).isEqualTo(archive);
    assertThat(sha256Hex(zip.body())).isEqualTo(resource.path("checksum").asText());
    assertThat(zip.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
    assertThat(zip.headers().firstValue("Digest")).hasValue("sha-256="
        + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(archive)));
    assertThat(zip.headers().firstValue("Content-Disposition").orElse("")).contains("LinkedList-1.1.1.zip");
    assertThat(zip.headers().firstValue("X-Swift-Package-Signature")).isEmpty();
    assertThat(zip.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(zip.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
    assertThat(manifest.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
  }

  @Test
  @Order(3)
  void scopesAndNamesAreCaseInsensitiveAndJsonExtensionsAreTaken() {
    assertThat(get("MONA/linkedlist", "json").statusCode()).isEqualTo(200);
    assertThat(get("mona/LinkedList.json", "json").statusCode()).isEqualTo(200);
    assertThat(get("Mona/LINKEDLIST/1.0.0.json", "json").statusCode()).isEqualTo(200);
    assertThat(get("mona/LinkedList/9.9.9", "json").statusCode()).isEqualTo(404);
    assertProblem(get("mona/Unknown", "json"), 404);
  }

  @Test
  @Order(4)
  void identifiersAreLookedUpByAnySpellingOfTheRepositoryUrl() throws Exception {
    for (String url : List.of("https://github.com/mona/LinkedList", "https://github.com/mona/linkedlist.git",
        "git@github.com:mona/LinkedList.git", "ssh://git@github.com/mona/LinkedList")) {
      HttpResponse<byte[]> found = get("identifiers?url=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8),
          "json");
      assertThat(found.statusCode()).as(url + ": " + text(found)).isEqualTo(200);
      assertThat(JSON.readTree(found.body()).path("identifiers")).extracting(JsonNode::asText)
          .containsExactly("mona.LinkedList");
    }
    assertProblem(get("identifiers?url=https%3A%2F%2Fgithub.com%2Fmona%2FOther", "json"), 404);
    assertProblem(get("identifiers", "json"), 400);
  }

  @Test
  @Order(5)
  void theApiVersionIsNegotiatedAsTheSpecificationSays() {
    assertProblem(request("GET", "mona/LinkedList", "application/vnd.swift.registry.v2+json", null, null), 415);
    assertProblem(request("GET", "mona/LinkedList", "application/vnd.swift.registry.vx+json", null, null), 400);
    assertProblem(request("GET", "mona/LinkedList", "application/vnd.swift.registry.v1+zip", null, null), 415);
    HttpResponse<byte[]> any = request("GET", "mona/LinkedList", null, null, null);
    assertThat(any.statusCode()).isEqualTo(200);
    assertThat(any.headers().firstValue("Content-Version")).hasValue("1");
    assertThat(request("GET", "mona/LinkedList", "application/vnd.swift.registry.v1", null, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  @Order(6)
  void loginChecksTheNetrcCredentialsAndRefusesOthersWithProblemDetails() {
    assertThat(request("POST", "login", "application/vnd.swift.registry.v1+json", null, null).statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> refused = HTTP_send(HttpRequest.newBuilder(URI.create(endpoint() + "login"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", basic("token", "not-a-token")).build());
    assertProblem(refused, 401);
    HttpResponse<byte[]> anonymous = HTTP_send(HttpRequest.newBuilder(URI.create(endpoint() + "login"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertProblem(anonymous, 401);
    assertThat(text(anonymous)).contains("netrc");
  }

  @Test
  @Order(7)
  void aReleaseIsPublishedOnceAndAgainIsAConflict() {
    HttpResponse<byte[]> again = publish("mona", "LinkedList", "1.1.1", archive, METADATA, null, null, null);
    assertProblem(again, 409);
    assertThat(text(again)).contains("a release with version 1.1.1 already exists");
    byte[] other = zip("LinkedList", Map.of("Package.swift", MANIFEST + "// changed\n"));
    assertProblem(publish("MONA", "linkedlist", "1.1.1", other, null, null, null, null), 409);
    assertProblem(publish("mona", "LinkedList", "1.1.1+build.7", other, null, null, null, null), 409);
  }

  // ------------------------------------------------------------------ bad input

  @Test
  @Order(8)
  void badUploadsGetProblemDetailsAndStoreNothing() {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    byte[] good = zip("Bad", Map.of("Package.swift", MANIFEST));
    cases.put("invalid scope", new Object[] {"-bad", "Bad", "1.0.0", good, null, 400});
    cases.put("scope too long", new Object[] {"a".repeat(40), "Bad", "1.0.0", good, null, 400});
    cases.put("invalid name", new Object[] {"mona", "Bad__Name", "1.0.0", good, null, 400});
    cases.put("invalid version", new Object[] {"mona", "Bad", "1.0", good, null, 400});
    cases.put("no Package.swift", new Object[] {"mona", "Bad", "1.0.0",
        zip("Bad", Map.of("Sources/Bad/Bad.swift", "let x = 1\n")), null, 422});
    cases.put("not in one folder", new Object[] {"mona", "Bad", "1.0.0",
        zipEntries(Map.of("Package.swift", bytes(MANIFEST))), null, 422});
    cases.put("not a zip", new Object[] {"mona", "Bad", "1.0.0", bytes("just text"), null, 400});
    cases.put("traversal", new Object[] {"mona", "Bad", "1.0.0",
        zipEntries(Map.of("Bad/Package.swift", bytes(MANIFEST), "Bad/../../evil.swift", bytes("x"))), null, 400});
    cases.put("duplicate entries", new Object[] {"mona", "Bad", "1.0.0", duplicateManifest(), null, 400});
    cases.put("oversized manifest", new Object[] {"mona", "Bad", "1.0.0", zipEntries(Map.of("Bad/Package.swift",
        bytes(MANIFEST + ("// " + "x".repeat(77) + "\n").repeat(20_000)))), null, 400});
    cases.put("zip bomb", new Object[] {"mona", "Bad", "1.0.0", zipEntries(Map.of("Bad/Package.swift", bytes(MANIFEST),
        "Bad/Sources/zeros.bin", new byte[64 * 1024 * 1024])), null, 400});
    cases.put("invalid metadata", new Object[] {"mona", "Bad", "1.0.0", good, "{not json", 422});
    cases.put("metadata not an object", new Object[] {"mona", "Bad", "1.0.0", good, "[1]", 422});
    cases.put("missing source-archive", new Object[] {"mona", "Bad", "1.0.0", null, METADATA, 400});
    for (var entry : cases.entrySet()) {
      Object[] c = entry.getValue();
      HttpResponse<byte[]> refused = publish((String) c[0], (String) c[1], (String) c[2], (byte[]) c[3], (String) c[4],
          null, null, null);
      assertThat(refused.statusCode()).as(entry.getKey() + ": " + text(refused)).isEqualTo((int) c[5]);
      assertProblem(refused, (int) c[5]);
    }
    HttpResponse<byte[]> unsigned = publish("mona", "Bad", "1.0.0", good, null, bytes("sig"), null, null);
    assertProblem(unsigned, 400);
    assertThat(text(unsigned)).contains("X-Swift-Package-Signature-Format");
    assertProblem(publish("mona", "Bad", "1.0.0", good, null, bytes("sig"), null, "pgp"), 400);
    assertProblem(publish("mona", "Bad", "1.0.0", good, METADATA, bytes("sig"), null, "cms-1.0.0"), 400);
    assertProblem(publish("mona", "Bad", "1.0.0", good, null, new byte[70 * 1024], null, "cms-1.0.0"), 413);
    assertThat(get("mona/Bad", "json").statusCode()).isEqualTo(404);
    assertThatThrownBy(() -> api.listPackageVersions(b -> b.domain("acme").repository("apple")
        .format(PackageFormat.SWIFT).namespace("mona").packageValue("bad")))
        .isInstanceOf(ResourceNotFoundException.class);
    Path spool = wharf.dataDirectory().resolve("tmp");
    if (Files.isDirectory(spool)) {
      try (var files = Files.list(spool)) {
        assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.startsWith("swift-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ------------------------------------------------------------------ signing

  @Test
  @Order(9)
  void aSignedReleaseKeepsItsSignaturesAndServesThemWithTheArchive() throws Exception {
    byte[] signed = zip("Signed", Map.of("Package.swift", MANIFEST.replace("LinkedList", "Signed")));
    byte[] signature = new byte[512];
    new java.util.Random(7).nextBytes(signature);
    HttpResponse<byte[]> created = publish("mona", "Signed", "2.0.0", signed, "{\"description\": \"signed\"}", signature,
        bytes("metadata signature"), "cms-1.0.0");
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    JsonNode resource = JSON.readTree(get("mona/Signed/2.0.0", "json").body()).path("resources").path(0);
    assertThat(resource.path("signing").path("signatureFormat").asText()).isEqualTo("cms-1.0.0");
    assertThat(resource.path("signing").path("signatureBase64Encoded").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(signature));
    HttpResponse<byte[]> zip = get("mona/Signed/2.0.0.zip", "zip");
    assertThat(zip.headers().firstValue("X-Swift-Package-Signature-Format")).hasValue("cms-1.0.0");
    assertThat(zip.headers().firstValue("X-Swift-Package-Signature"))
        .hasValue(Base64.getEncoder().encodeToString(signature));
  }

  @Test
  @Order(10)
  void partsSentAsFilesAsCurlSendsThemAreReadTheSame() throws Exception {
    String boundary = "curl-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"source-archive\";"
        + " filename=\"Curl.zip\"\r\nContent-Type: application/zip\r\n\r\n"));
    body.writeBytes(zip("Curl", Map.of("Package.swift", MANIFEST.replace("LinkedList", "Curl"))));
    body.writeBytes(bytes("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\";"
        + " filename=\"package-metadata.json\"\r\nContent-Type: application/json\r\n\r\n"
        + "{\"description\": \"sent as a file\"}\r\n--" + boundary + "--\r\n"));
    HttpResponse<byte[]> created = request("PUT", "mona/Curl/1.0.0", "application/vnd.swift.registry.v1+json",
        body.toByteArray(), "multipart/form-data; boundary=" + boundary);
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    assertThat(JSON.readTree(get("mona/Curl/1.0.0", "json").body()).path("metadata").path("description").asText())
        .isEqualTo("sent as a file");
    String large = "{\"description\": \"" + "x".repeat(1024 * 1024) + "\"}";
    assertProblem(publish("mona", "Curl", "2.0.0", archive, large, null, null, null), 413);
    assertThat(get("mona/Curl/2.0.0", "json").statusCode()).isEqualTo(404);
  }

  // ------------------------------------------------------------------ the package API

  @Test
  @Order(11)
  void thePackageApiDescribesReleasesFromTheirMetadata() {
    var described = api.describePackageVersion(b -> b.domain("acme").repository("apple").format(PackageFormat.SWIFT)
        .namespace("mona").packageValue("linkedlist").packageVersion("1.1.1")).packageVersion();
    assertThat(described.displayName()).isEqualTo("LinkedList");
    assertThat(described.summary()).isEqualTo("One thing links to another.");
    assertThat(described.sourceCodeRepository()).isEqualTo("https://github.com/mona/LinkedList");
    assertThat(described.homePage()).isEqualTo("https://mona.example");
    assertThat(described.licenses()).extracting(l -> l.url()).containsExactly("https://www.apache.org/licenses/LICENSE-2.0");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("apple").format(PackageFormat.SWIFT)
        .namespace("mona").packageValue("linkedlist")).versions()).extracting(v -> v.version())
        .containsExactlyInAnyOrder("1.1.1", "1.0.0");
    // CodeArtifact's Swift guide: non-normalized names and namespaces may be used in API requests
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("apple").format(PackageFormat.SWIFT)
        .namespace("Mona").packageValue("LinkedList")).versions()).extracting(v -> v.version())
        .containsExactlyInAnyOrder("1.1.1", "1.0.0");
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("apple").format(PackageFormat.SWIFT)
        .namespace("mona").packageValue("linkedlist").packageVersion("1.1.1")).assets()).extracting(a -> a.name())
        .containsExactlyInAnyOrder("LinkedList-1.1.1.zip", "Package.swift", "Package@swift-5.8.swift");
    api.updatePackageVersionsStatus(b -> b.domain("acme").repository("apple").format(PackageFormat.SWIFT)
        .namespace("mona").packageValue("linkedlist").versions("1.0.0").targetStatus("Unlisted"));
    JsonNode list;
    try {
      list = JSON.readTree(get("mona/LinkedList", "json").body()).path("releases");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(list.path("1.0.0").path("problem").path("status").asInt()).isEqualTo(410);
    assertThat(list.path("1.1.1").has("problem")).isFalse();
  }

  @Test
  @Order(12)
  void aRepositoryReadsReleasesThroughItsUpstreamAndKeepsWhatItServed() throws Exception {
    api.createRepository(b -> b.domain("acme").repository("app").upstreams(u -> u.repositoryName("apple")));
    String app = endpoint().replace("/swift/apple/", "/swift/app/");
    HttpResponse<byte[]> releases = HTTP_send(HttpRequest.newBuilder(URI.create(app + "mona/LinkedList"))
        .header("Authorization", basic("token", token)).header("Accept", "application/vnd.swift.registry.v1+json").build());
    assertThat(releases.statusCode()).as(text(releases)).isEqualTo(200);
    assertThat(JSON.readTree(releases.body()).path("releases").path("1.1.1").path("url").asText())
        .isEqualTo(app + "mona/LinkedList/1.1.1");
    HttpResponse<byte[]> zip = HTTP_send(HttpRequest.newBuilder(URI.create(app + "mona/LinkedList/1.1.1.zip"))
        .header("Authorization", basic("token", token)).header("Accept", "application/vnd.swift.registry.v1+zip").build());
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(zip.body()).isEqualTo(archive);
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.SWIFT)
        .namespace("mona").packageValue("linkedlist")).versions()).extracting(v -> v.version()).contains("1.1.1");
  }

  // ------------------------------------------------------------------ package groups

  @Test
  @Order(50)
  void aPackageGroupWithAPublishBlockRefusesAPublishAsAProblemAndListsItsPackages() {
    assertThat(publish("Contoso", "Widget", "1.0.0", archive, null, null, null, null).statusCode()).isEqualTo(201);
    // written with the scope's capitals; the group is the lower-case scope, as Swift scopes are stored
    api.createPackageGroup(b -> b.domain("acme").packageGroup("/swift/Contoso/*"));
    api.updatePackageGroupOriginConfiguration(b -> b.domain("acme").packageGroup("/swift/contoso/*")
        .restrictions(Map.of(PackageGroupOriginRestrictionType.PUBLISH, PackageGroupOriginRestrictionMode.BLOCK)));

    HttpResponse<byte[]> refused = publish("contoso", "Widget", "1.0.1", archive, null, null, null, null);

    assertProblem(refused, 403);
    assertThat(text(refused)).contains("/swift/contoso/*").contains("BLOCK");
    assertThat(get("contoso/Widget/1.0.1", "json").statusCode()).isEqualTo(404);
    assertThat(publish("mona", "Widget", "1.0.1", archive, null, null, null, null).statusCode())
        .as("another scope, outside the group").isEqualTo(201);
    assertThat(api.listAssociatedPackages(b -> b.domain("acme").packageGroup("/swift/contoso/*")).packages())
        .extracting(p -> p.formatAsString() + "/" + p.namespace() + "/" + p.packageValue())
        .containsExactly("swift/contoso/widget");
    assertThat(api.listAssociatedPackages(b -> b.domain("acme").packageGroup("/swift/mona/W~").preview(true))
        .packages()).extracting(p -> p.packageValue()).containsExactly("widget");
  }

  // ------------------------------------------------------------------ helpers

  static String endpoint() {
    return wharf.endpoint() + "/acme-" + account + "/swift/apple/";
  }

  /** What SwiftPM's netrc entry sends: Basic with login 'token'. */
  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> get(String path, String media) {
    return request("GET", path, "application/vnd.swift.registry.v1+" + media, null, null);
  }

  static HttpResponse<byte[]> request(String method, String path, String accept, byte[] body, String contentType) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint() + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", basic("token", token));
    if (accept != null) {
      builder.header("Accept", accept);
    }
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return HTTP_send(builder.build());
  }

  static HttpResponse<byte[]> HTTP_send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The body SwiftPM's RegistryClient.publish writes, part by part, with its headers. */
  static HttpResponse<byte[]> publish(String scope, String name, String version, byte[] archive, String metadata,
      byte[] signature, byte[] metadataSignature, String signatureFormat) {
    String boundary = UUID.randomUUID().toString();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean first = true;
    if (archive != null) {
      body.writeBytes(bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"source-archive\"\r\n"
          + "Content-Type: application/zip\r\nContent-Transfer-Encoding: binary\r\n\r\n"));
      body.writeBytes(archive);
      first = false;
    }
    if (signature != null) {
      body.writeBytes(bytes("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"source-archive-signature\""
          + "\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"));
      body.writeBytes(signature);
    }
    if (metadata != null) {
      body.writeBytes(bytes((first ? "" : "\r\n") + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\""
          + "\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + metadata));
      if (metadataSignature != null) {
        body.writeBytes(bytes("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata-signature\""
            + "\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"));
        body.writeBytes(metadataSignature);
      }
    }
    body.writeBytes(bytes("\r\n--" + boundary + "--\r\n"));
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(endpoint() + scope + "/" + name + "/" + version))
        .timeout(Duration.ofSeconds(60)).expectContinue(true)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .header("Authorization", basic("token", token))
        .header("Content-Type", "multipart/form-data;boundary=\"" + boundary + "\"")
        .header("Accept", "application/vnd.swift.registry.v1+json")
        .header("Prefer", "respond-async");
    if (signatureFormat != null) {
      builder.header("X-Swift-Package-Signature-Format", signatureFormat);
    }
    return HTTP_send(builder.build());
  }

  static void assertProblem(HttpResponse<byte[]> response, int status) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(response.headers().firstValue("Content-Version")).hasValue("1");
    try {
      assertThat(JSON.readTree(response.body()).path("detail").asText()).isNotBlank();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A package folder written out and zipped with the zip command, entries under {@code folder/}. */
  static byte[] zipWithZipCommand(String folder, Map<String, String> files) throws Exception {
    Path root = Files.createTempDirectory(scratch, "package");
    for (var file : files.entrySet()) {
      Path path = root.resolve(folder).resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    Path out = root.resolve(folder + ".zip");
    Process zip = new ProcessBuilder("zip", "-q", "-r", "-X", out.toString(), folder).directory(root.toFile())
        .redirectErrorStream(true).start();
    String output = new String(zip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(zip.waitFor()).as(output).isZero();
    return Files.readAllBytes(out);
  }

  /** A package zipped with java.util.zip, entries under {@code folder/}. */
  static byte[] zip(String folder, Map<String, String> files) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    files.forEach((name, content) -> entries.put(folder + "/" + name, bytes(content)));
    return zipEntries(entries);
  }

  static byte[] zipEntries(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Two entries named Bad/Package.swift: java.util.zip refuses to write that, so one name is patched afterwards. */
  static byte[] duplicateManifest() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("Bad/Package.swift", bytes(MANIFEST));
    entries.put("Bad/Package.swifT", bytes("// the other one\n"));
    byte[] zip = zipEntries(entries);
    byte[] from = bytes("Package.swifT");
    for (int i = 0; i + from.length <= zip.length; i++) {
      if (java.util.Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
        zip[i + from.length - 1] = 't';
      }
    }
    return zip;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static String sha256Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
