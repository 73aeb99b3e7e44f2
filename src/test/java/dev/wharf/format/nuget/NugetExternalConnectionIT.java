package dev.wharf.format.nuget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingPublicRegistry;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * The external connection {@code public:nuget-org}, mapped by the operator to a feed's
 * {@code RegistrationsBaseUrl}. nuget.org cannot be reached from here, so a small HTTP server plays it
 * with nuget.org's layout and habits: registration documents always gzip-encoded, an index that
 * inlines one page and links the other, a catalog leaf per version that states the package's SHA-512,
 * and the {@code .nupkg} files in a flat container. (No NuGet client can be installed on this machine:
 * the requests are the ones {@code dotnet restore} makes through a {@code PackageBaseAddress}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NugetExternalConnectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGISTRATION = "/v3/registration5-gz-semver2/";

  @TempDir static Path scratch;
  static HttpServer nugetOrg;
  static String origin;
  static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
  static final Map<String, byte[]> GZIPPED = new ConcurrentHashMap<>();
  static final AtomicBoolean DOWN = new AtomicBoolean();
  static final List<String> REQUESTS = java.util.Collections.synchronizedList(new ArrayList<>());
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String feed;

  @BeforeAll
  static void start() throws IOException {
    nugetOrg = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    nugetOrg.createContext("/", NugetExternalConnectionIT::serve);
    nugetOrg.start();
    origin = "http://127.0.0.1:" + nugetOrg.getAddress().getPort();

    byte[] v100 = TestingNupkgs.nupkg("Contoso.Ext", "1.0.0");
    byte[] v110 = TestingNupkgs.nupkg("Contoso.Ext", "1.1.0-Beta");
    byte[] v200 = TestingNupkgs.nupkg("Contoso.Ext", "2.0.0");
    ObjectNode firstPage = page("contoso.ext", "1.0.0", "1.1.0-Beta", leaf("Contoso.Ext", "1.0.0", v100, true),
        leaf("Contoso.Ext", "1.1.0-Beta", v110, true));
    ObjectNode secondPage = page("contoso.ext", "2.0.0", "2.0.0", leaf("Contoso.Ext", "2.0.0", v200, true));
    GZIPPED.put(REGISTRATION + "contoso.ext/page/2.0.0/2.0.0.json", JSON.writeValueAsBytes(secondPage));
    secondPage.remove("items"); // linked, not inlined, as nuget.org does for packages with many versions
    index("contoso.ext", firstPage, secondPage);

    byte[] bad = TestingNupkgs.nupkg("Contoso.Bad", "1.0.0");
    ObjectNode badLeaf = leaf("Contoso.Bad", "1.0.0", TestingNupkgs.nupkg("Contoso.Bad", "1.0.1"), true);
    FILES.put("/v3-flatcontainer/contoso.bad/1.0.0/contoso.bad.1.0.0.nupkg", bad); // not what the catalog hashed
    index("contoso.bad", page("contoso.bad", "1.0.0", "1.0.0", badLeaf));

    wharf = TestingPublicRegistry.mirror(scratch.resolve("wharf"), "public:nuget-org", origin + REGISTRATION, "dotnet");
    api = wharf.codeartifact(wharf.rootCredentials());
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    feed = api.getRepositoryEndpoint(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET))
        .repositoryEndpoint();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (nugetOrg != null) {
      nugetOrg.stop(0);
    }
  }

  /** A registration leaf with its catalog entry, whose catalog leaf (served too) states {@code hashed}'s SHA-512. */
  private static ObjectNode leaf(String id, String version, byte[] hashed, boolean listed) {
    String lowerId = id.toLowerCase(java.util.Locale.ROOT);
    String lowerVersion = version.toLowerCase(java.util.Locale.ROOT);
    String catalog = "/v3/catalog0/data/2026.12.07.00.00.00/" + lowerId + "." + lowerVersion + ".json";
    String content = "/v3-flatcontainer/" + lowerId + "/" + lowerVersion + "/" + lowerId + "." + lowerVersion + ".nupkg";
    FILES.putIfAbsent(content, hashed);
    ObjectNode catalogLeaf = JSON.createObjectNode().put("@id", origin + catalog).put("id", id).put("version", version)
        .put("packageHash", Base64.getEncoder().encodeToString(sha512(hashed))).put("packageHashAlgorithm", "SHA512")
        .put("packageSize", hashed.length);
    try {
      FILES.put(catalog, JSON.writeValueAsBytes(catalogLeaf));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode leaf = JSON.createObjectNode();
    leaf.put("@id", origin + REGISTRATION + lowerId + "/" + lowerVersion + ".json");
    leaf.put("@type", "Package");
    ObjectNode entry = leaf.putObject("catalogEntry");
    entry.put("@id", origin + catalog);
    entry.put("@type", "PackageDetails");
    entry.put("authors", "Contoso, Jane Doe");
    ArrayNode groups = entry.putArray("dependencyGroups");
    ObjectNode group = groups.addObject().put("targetFramework", "net8.0");
    group.putArray("dependencies").addObject().put("id", "Newtonsoft.Json").put("range", "[13.0.3, )");
    entry.put("description", "Helpers for Contoso services.");
    entry.put("id", id);
    entry.put("listed", listed);
    entry.put("packageContent", origin + content);
    entry.put("published", "2026-11-01T10:00:00+00:00");
    entry.putArray("tags").add("contoso").add("utilities");
    entry.put("version", version);
    leaf.put("packageContent", origin + content);
    return leaf;
  }

  private static ObjectNode page(String lowerId, String lower, String upper, ObjectNode... leaves) {
    ObjectNode page = JSON.createObjectNode();
    page.put("@id", origin + REGISTRATION + lowerId + "/page/" + lower.toLowerCase(java.util.Locale.ROOT) + "/"
        + upper.toLowerCase(java.util.Locale.ROOT) + ".json");
    page.put("count", leaves.length);
    ArrayNode items = page.putArray("items");
    for (ObjectNode leaf : leaves) {
      items.add(leaf);
    }
    page.put("lower", lower);
    page.put("upper", upper);
    return page;
  }

  private static void index(String lowerId, ObjectNode... pages) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("@id", origin + REGISTRATION + lowerId + "/index.json");
    index.put("count", pages.length);
    ArrayNode items = index.putArray("items");
    for (ObjectNode page : pages) {
      items.add(page);
    }
    GZIPPED.put(REGISTRATION + lowerId + "/index.json", JSON.writeValueAsBytes(index));
  }

  private static void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      REQUESTS.add(path);
      if (DOWN.get()) {
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      byte[] gzipped = GZIPPED.get(path);
      byte[] body = gzipped != null ? gzip(gzipped) : FILES.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (gzipped != null) { // nuget.org sends its gz registrations encoded whatever the client accepts
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
  }

  private static byte[] sha512(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-512").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> get(String path) {
    return TestingHttp.send("GET", feed + path, null, "Basic " + Base64.getEncoder()
        .encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode json(String path) throws IOException {
    HttpResponse<byte[]> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + TestingHttp.text(response)).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<PackageVersionSummary> stored(String id) {
    return api.listPackageVersions(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET)
        .packageValue(id)).versions();
  }

  @Test
  @Order(1)
  void theFeedListsEveryVersionOfTheRegistrationIncludingTheLinkedPageBeforeAnyIsFetched() throws IOException {
    List<String> versions = new ArrayList<>();
    json("v3/package/contoso.ext/index.json").path("versions").forEach(v -> versions.add(v.asText()));
    assertThat(versions).containsExactly("1.0.0", "1.1.0-beta", "2.0.0");

    JsonNode registration = json("v3/registration/contoso.ext/index.json");
    List<String> listed = new ArrayList<>();
    registration.path("items").forEach(page -> page.path("items").forEach(leaf ->
        listed.add(leaf.path("catalogEntry").path("version").asText())));
    assertThat(listed).containsExactly("1.0.0", "1.1.0-Beta", "2.0.0");
    assertThat(REQUESTS).contains(REGISTRATION + "contoso.ext/page/2.0.0/2.0.0.json");
    assertThat(REQUESTS).noneMatch(path -> path.endsWith(".nupkg"));
    assertThatNoVersionIsStored("contoso.ext");
  }

  @Test
  @Order(2)
  void aPackageIsFetchedCheckedAgainstItsCatalogLeafAndKeptWithItsNuspec() throws IOException {
    HttpResponse<byte[]> nupkg = get("v3/package/contoso.ext/2.0.0/contoso.ext.2.0.0.nupkg");

    assertThat(nupkg.statusCode()).as(TestingHttp.text(nupkg)).isEqualTo(200);
    assertThat(nupkg.body()).isEqualTo(FILES.get("/v3-flatcontainer/contoso.ext/2.0.0/contoso.ext.2.0.0.nupkg"));
    assertThat(REQUESTS).contains("/v3/catalog0/data/2026.12.07.00.00.00/contoso.ext.2.0.0.json");
    List<PackageVersionSummary> kept = stored("contoso.ext");
    assertThat(kept).extracting(PackageVersionSummary::version).containsExactly("2.0.0");
    assertThat(kept.getFirst().origin().originTypeAsString()).isEqualTo("EXTERNAL");
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET)
        .packageValue("contoso.ext").packageVersion("2.0.0")).assets()).extracting(a -> a.name())
        .containsExactly("contoso.ext.2.0.0.nupkg");

    HttpResponse<byte[]> nuspec = get("v3/package/contoso.ext/2.0.0/contoso.ext.nuspec");
    assertThat(nuspec.statusCode()).isEqualTo(200);
    assertThat(TestingHttp.text(nuspec)).contains("<id>Contoso.Ext</id>", "<version>2.0.0</version>");
    assertThat(api.describePackageVersion(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET)
        .packageValue("contoso.ext").packageVersion("2.0.0")).packageVersion().licenses())
        .extracting(l -> l.name()).containsExactly("MIT");
  }

  @Test
  @Order(3)
  void aPreReleaseIsFoundInAnySpellingOfItsLabel() {
    HttpResponse<byte[]> nupkg = get("v3/package/contoso.ext/1.1.0-beta/contoso.ext.1.1.0-beta.nupkg");

    assertThat(nupkg.statusCode()).as(TestingHttp.text(nupkg)).isEqualTo(200);
    assertThat(stored("contoso.ext")).extracting(PackageVersionSummary::version).contains("1.1.0-Beta");
  }

  @Test
  @Order(4)
  void aPackageThatDoesNotMatchItsCatalogHashIsRefusedWith502AndNothingIsStored() {
    HttpResponse<byte[]> nupkg = get("v3/package/contoso.bad/1.0.0/contoso.bad.1.0.0.nupkg");

    assertThat(nupkg.statusCode()).isEqualTo(502);
    assertThat(TestingHttp.text(nupkg)).doesNotContain("Exception", "at dev.wharf");
    assertThatNoVersionIsStored("contoso.bad");
  }

  @Test
  @Order(5)
  void whatWasFetchedIsServedWhenTheFeedIsDownAndWhatWasNotIsA502() {
    DOWN.set(true);
    try {
      assertThat(get("v3/package/contoso.ext/2.0.0/contoso.ext.2.0.0.nupkg").statusCode()).isEqualTo(200);
      assertThat(get("v3/package/contoso.ext/1.0.0/contoso.ext.1.0.0.nupkg").statusCode()).isEqualTo(502);
    } finally {
      DOWN.set(false);
    }
  }

  private static void assertThatNoVersionIsStored(String id) {
    try {
      assertThat(stored(id)).isEmpty();
    } catch (ResourceNotFoundException e) {
      assertThat(e.getMessage()).contains(id);
    }
  }
}
