package dev.wharf.format.nuget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionMode;
import software.amazon.awssdk.services.codeartifact.model.PackageGroupOriginRestrictionType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;

/**
 * NuGet V3 at the protocol level: no dotnet or nuget V3 client runs here (Debian's nuget is 2.8, V2 only), so this
 * replays the requests the NuGet client makes, from its protocol documents: {@code dotnet nuget push} (service index,
 * then a multipart PUT to PackagePublish), restore (service index, the flat container's versions, the .nupkg),
 * {@code dotnet add package} (the registration index), delete (unlist), search and autocomplete; with packages built
 * here in the layout {@code dotnet pack} writes. Bad packages get a 4xx and store nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NugetProtocolIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient codeartifact;
  static String account;
  static String token;
  static String source;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    codeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("dotnet"));
    token = codeartifact.getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
    source = codeartifact.getRepositoryEndpoint(b -> b.domain("acme").domainOwner(account).repository("dotnet")
        .format(PackageFormat.NUGET)).repositoryEndpoint() + "v3/index.json";
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<byte[]> get(String url) {
    return TestingHttp.send("GET", url, null, basic());
  }

  private static JsonNode json(String url) throws IOException {
    HttpResponse<byte[]> response = get(url);
    assertThat(response.statusCode()).as(url + ": " + TestingHttp.text(response)).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The first resource of the service index with that type, as the NuGet client picks it. */
  private static String resource(String type) throws IOException {
    for (JsonNode resource : json(source).path("resources")) {
      if (resource.path("@type").asText().equals(type)) {
        return resource.path("@id").asText();
      }
    }
    throw new AssertionError("no " + type + " in the service index");
  }

  private static HttpResponse<byte[]> push(byte[] nupkg, String... headers) throws IOException {
    String publish = resource("PackagePublish/2.0.0");
    List<String> all = new ArrayList<>(List.of("Content-Type", TestingNupkgs.pushContentType()));
    all.addAll(List.of(headers));
    return TestingHttp.send("PUT", publish, TestingNupkgs.pushBody(nupkg), headers.length == 0 ? basic() : null,
        all.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void theServiceIndexListsEveryResourceCodeArtifactServesAndRefusesAnUnauthenticatedClient() throws IOException {
    JsonNode index = json(source);

    assertThat(index.path("version").asText()).isEqualTo("3.0.0");
    List<String> types = new ArrayList<>();
    index.path("resources").forEach(r -> types.add(r.path("@type").asText()));
    assertThat(types).contains("PackagePublish/2.0.0", "PackageBaseAddress/3.0.0", "RegistrationsBaseUrl",
        "RegistrationsBaseUrl/3.6.0", "SearchQueryService", "SearchQueryService/3.5.0", "SearchAutocompleteService",
        "SearchAutocompleteService/3.5.0");
    index.path("resources").forEach(r -> assertThat(r.path("@id").asText()).startsWith(source.replace("index.json", "")));
    HttpResponse<byte[]> anonymous = TestingHttp.send("GET", source, null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
  }

  @Test
  @Order(2)
  void aPushIsStoredUnderTheLowerCaseIdAndTheNormalizedVersionAndRestoreReadsItFromTheFlatContainer()
      throws IOException {
    byte[] nupkg = TestingNupkgs.nupkg("Contoso.Utils", "1.01.0.0+build.7");

    HttpResponse<byte[]> pushed = push(nupkg);

    assertThat(pushed.statusCode()).as(TestingHttp.text(pushed)).isEqualTo(201);
    // restore: service index -> PackageBaseAddress -> {id}/index.json -> the .nupkg
    String base = resource("PackageBaseAddress/3.0.0");
    JsonNode versions = json(base + "contoso.utils/index.json");
    assertThat(versions.path("versions").toString()).isEqualTo("[\"1.1.0\"]");
    HttpResponse<byte[]> download = get(base + "contoso.utils/1.1.0/contoso.utils.1.1.0.nupkg");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(nupkg);
    HttpResponse<byte[]> nuspec = get(base + "contoso.utils/1.1.0/contoso.utils.nuspec");
    assertThat(TestingHttp.text(nuspec)).isEqualTo(TestingNupkgs.nuspec("Contoso.Utils", "1.01.0.0+build.7"));
    assertThat(get(base + "contoso.utils/1.2.0/contoso.utils.1.2.0.nupkg").statusCode()).isEqualTo(404);
    assertThat(get(base + "contoso.utils/1.1.0/other.1.1.0.nupkg").statusCode()).isEqualTo(404);
    assertThat(get(base + "nothing.here/index.json").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(50)
  void aPackageGroupWithAPublishBlockRefusesAPushInNugetsShapeAndListsItsPackages() throws IOException {
    assertThat(push(TestingNupkgs.nupkg("Contoso.Internal.Utils", "1.0.0")).statusCode()).isEqualTo(201);
    assertThat(push(TestingNupkgs.nupkg("Contoso.Public", "1.0.0")).statusCode()).isEqualTo(201);
    // written as NuGet users write ids; the group is the lower-case prefix, as NuGet ids are stored
    codeartifact.createPackageGroup(b -> b.domain("acme").packageGroup("/nuget//Contoso.Internal~"));
    codeartifact.updatePackageGroupOriginConfiguration(b -> b.domain("acme").packageGroup("/nuget//contoso.internal~")
        .restrictions(Map.of(PackageGroupOriginRestrictionType.PUBLISH, PackageGroupOriginRestrictionMode.BLOCK)));

    HttpResponse<byte[]> refused = push(TestingNupkgs.nupkg("Contoso.Internal.Utils", "1.0.1"));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
        .startsWith("text/plain"));
    assertThat(TestingHttp.text(refused)).contains("/nuget//contoso.internal~").contains("BLOCK");
    assertThat(json(resource("PackageBaseAddress/3.0.0") + "contoso.internal.utils/index.json").path("versions")
        .toString()).isEqualTo("[\"1.0.0\"]");
    assertThat(push(TestingNupkgs.nupkg("Contoso.Public", "1.0.1")).statusCode()).as("outside the group")
        .isEqualTo(201);
    assertThat(codeartifact.listAssociatedPackages(b -> b.domain("acme").packageGroup("/nuget//contoso.internal~"))
        .packages()).extracting(p -> p.formatAsString() + "/" + p.namespace() + "/" + p.packageValue())
        .containsExactly("nuget/null/contoso.internal.utils");
    assertThat(codeartifact.getAssociatedPackageGroup(b -> b.domain("acme").format(PackageFormat.NUGET)
        .packageValue("contoso.public")).packageGroup().pattern()).isEqualTo("/*");
  }

  /** A token of a new IAM user whose policy allows reading and {@code publish} (a statement's JSON, or null). */
  private static String tokenOf(String user, String publish) {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
        + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\"],"
        + "\"Resource\":\"*\"}" + (publish == null ? "" : "," + publish) + "]}";
    var credentials = dev.wharf.testing.TestingIam.user(wharf.iam(wharf.rootCredentials()), user, "p", policy);
    return wharf.codeartifact(credentials).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
  }

  /**
   * Sends a push's headers and the start of its multipart body, declaring a 1 MB body, then nothing more, and reads
   * the status line: a server that waits for the package before deciding never answers (the read times out).
   */
  private static String statusOfAPushWhosePackageIsNotSent(String apiKey) throws Exception {
    java.net.URI publish = java.net.URI.create(resource("PackagePublish/2.0.0"));
    byte[] start = java.util.Arrays.copyOf(TestingNupkgs.pushBody(TestingNupkgs.nupkg("Contoso.Sent", "1.0.0")), 300);
    try (java.net.Socket socket = new java.net.Socket(publish.getHost(), publish.getPort())) {
      socket.setSoTimeout(20_000);
      var out = socket.getOutputStream();
      out.write(("PUT " + publish.getRawPath() + " HTTP/1.1\r\nHost: localhost\r\nX-NuGet-ApiKey: " + apiKey
          + "\r\nContent-Type: " + TestingNupkgs.pushContentType() + "\r\nContent-Length: 1000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(start);
      out.flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
    }
  }

  @Test
  @Order(40)
  void aPushByATokenThatMayPublishNoPackageInTheRepositoryIsRefusedBeforeThePackageIsRead() throws Exception {
    assertThat(statusOfAPushWhosePackageIsNotSent(tokenOf("reader", null))).isEqualTo("HTTP/1.1 403 Forbidden");
    String elsewhere = "{\"Effect\":\"Allow\",\"Action\":\"codeartifact:PublishPackageVersion\",\"Resource\":"
        + "\"arn:aws:codeartifact:*:" + account + ":package/acme/other/nuget/*\"}";
    assertThat(statusOfAPushWhosePackageIsNotSent(tokenOf("elsewhere", elsewhere)))
        .as("allowed to publish in another repository only").isEqualTo("HTTP/1.1 403 Forbidden");

    // a token that may publish some packages here is not refused before the package names itself
    String contoso = tokenOf("contoso", "{\"Effect\":\"Allow\",\"Action\":\"codeartifact:PublishPackageVersion\","
        + "\"Resource\":\"arn:aws:codeartifact:*:" + account + ":package/acme/dotnet/nuget//contoso.scoped*\"}");
    assertThat(push(TestingNupkgs.nupkg("Contoso.Scoped", "1.0.0"), "X-NuGet-ApiKey", contoso).statusCode())
        .isEqualTo(201);
    HttpResponse<byte[]> other = push(TestingNupkgs.nupkg("Fabrikam.Scoped", "1.0.0"), "X-NuGet-ApiKey", contoso);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(TestingHttp.text(other)).contains("package/acme/dotnet/nuget//fabrikam.scoped");
  }

  @Test
  @Order(3)
  void aPushMaySendTheTokenAsXNuGetApiKeyAndAPrereleaseSortsBeforeItsRelease() throws IOException {
    HttpResponse<byte[]> pushed = push(TestingNupkgs.nupkg("contoso.utils", "1.1.0-Beta.2"), "X-NuGet-ApiKey", token);

    assertThat(pushed.statusCode()).as(TestingHttp.text(pushed)).isEqualTo(201);
    JsonNode versions = json(resource("PackageBaseAddress/3.0.0") + "contoso.utils/index.json");
    assertThat(versions.path("versions").toString()).isEqualTo("[\"1.1.0-beta.2\",\"1.1.0\"]");
    assertThat(push(TestingNupkgs.nupkg("contoso.utils", "1.0"), "X-NuGet-ApiKey", "not-a-token").statusCode())
        .isEqualTo(401);
  }

  @Test
  @Order(4)
  void aVersionPushedAgainInAnySpellingIsAConflict() throws IOException {
    assertThat(push(TestingNupkgs.nupkg("CONTOSO.UTILS", "1.1")).statusCode()).isEqualTo(409);
    assertThat(push(TestingNupkgs.nupkg("Contoso.Utils", "1.1.0-BETA.2")).statusCode()).isEqualTo(409);
  }

  @Test
  @Order(5)
  void theRegistrationIndexInlinesItsLeavesWithDependencyGroupsAsDotnetAddPackageReadsThem() throws IOException {
    JsonNode index = json(resource("RegistrationsBaseUrl/3.6.0") + "contoso.utils/index.json");

    assertThat(index.path("count").asInt()).isEqualTo(1);
    JsonNode page = index.path("items").get(0);
    assertThat(page.path("lower").asText()).isEqualTo("1.1.0-Beta.2");
    assertThat(page.path("upper").asText()).isEqualTo("1.1.0");
    assertThat(page.path("items")).hasSize(2);
    JsonNode release = page.path("items").get(1).path("catalogEntry");
    assertThat(release.path("id").asText()).isEqualTo("Contoso.Utils");
    assertThat(release.path("version").asText()).isEqualTo("1.1.0");
    assertThat(release.path("listed").asBoolean()).isTrue();
    assertThat(release.path("licenseExpression").asText()).isEqualTo("MIT");
    assertThat(release.path("packageContent").asText())
        .isEqualTo(resource("PackageBaseAddress/3.0.0") + "contoso.utils/1.1.0/contoso.utils.1.1.0.nupkg");
    JsonNode groups = release.path("dependencyGroups");
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).path("targetFramework").asText()).isEqualTo("net8.0");
    assertThat(groups.get(1).path("dependencies").get(0).path("id").asText()).isEqualTo("System.Text.Json");
    assertThat(groups.get(1).path("dependencies").get(0).path("range").asText()).isEqualTo("[8.0.0, 9.0.0)");
    JsonNode leaf = json(page.path("items").get(1).path("@id").asText());
    assertThat(leaf.path("listed").asBoolean()).isTrue();
    assertThat(leaf.path("packageContent").asText()).isEqualTo(release.path("packageContent").asText());
  }

  @Test
  @Order(6)
  void thePackageApiDescribesTheVersionFromItsNuspec() {
    var described = codeartifact.describePackageVersion(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils").packageVersion("1.1.0")).packageVersion();
    assertThat(described.displayName()).isEqualTo("Contoso.Utils");
    assertThat(described.homePage()).isEqualTo("https://example.com/contoso");
    assertThat(described.sourceCodeRepository()).isEqualTo("https://example.com/contoso.git");
    assertThat(described.licenses()).singleElement().satisfies(l -> assertThat(l.name()).isEqualTo("MIT"));

    var dependencies = codeartifact.listPackageVersionDependencies(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils").packageVersion("1.1.0")).dependencies();
    assertThat(dependencies).extracting(d -> d.packageValue() + " " + d.dependencyType() + " " + d.versionRequirement())
        .containsExactly("newtonsoft.json net8.0 13.0.3", "system.text.json .NETStandard2.0 [8.0.0, 9.0.0)",
            "newtonsoft.json .NETStandard2.0 13.0.1");

    String readme = codeartifact.getPackageVersionReadme(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils").packageVersion("1.1.0")).readme();
    assertThat(readme).startsWith("# Contoso.Utils\n");

    var versions = codeartifact.listPackageVersions(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils")).versions();
    assertThat(versions).extracting(v -> v.version()).containsExactlyInAnyOrder("1.1.0", "1.1.0-Beta.2");
    var assets = codeartifact.listPackageVersionAssets(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils").packageVersion("1.1.0")).assets();
    assertThat(assets).extracting(a -> a.name()).containsExactlyInAnyOrder("contoso.utils.1.1.0.nupkg",
        "contoso.utils.nuspec");
  }

  @Test
  @Order(7)
  void theApiTakesTheIdInTheSpellingItWasPublishedWithAsCodeArtifactNormalizesIt() {
    var described = codeartifact.describePackage(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("Contoso.Utils")).packageValue();
    assertThat(described.name()).isEqualTo("contoso.utils");
    assertThat(codeartifact.listPackageVersions(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET)
        .packageValue("CONTOSO.UTILS")).versions()).extracting(v -> v.version()).contains("1.1.0");
    assertThat(codeartifact.listPackages(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET)
        .packagePrefix("Contoso.U")).packages()).extracting(p -> p.packageValue()).contains("contoso.utils");
  }

  @Test
  @Order(7)
  void searchAndAutocompleteFindListedPackagesAndPrereleasesOnlyWhenAsked() throws IOException {
    JsonNode found = json(resource("SearchQueryService/3.5.0") + "?q=utils&prerelease=true&semVerLevel=2.0.0");
    assertThat(found.path("totalHits").asInt()).isEqualTo(1);
    JsonNode hit = found.path("data").get(0);
    assertThat(hit.path("id").asText()).isEqualTo("Contoso.Utils");
    assertThat(hit.path("version").asText()).isEqualTo("1.1.0");
    assertThat(hit.path("versions")).hasSize(2);
    assertThat(json(resource("SearchQueryService") + "?q=utils").path("data").get(0).path("versions")).hasSize(1);
    assertThat(json(resource("SearchQueryService") + "?q=nothing").path("totalHits").asInt()).isZero();

    JsonNode ids = json(resource("SearchAutocompleteService") + "?q=cont");
    assertThat(ids.path("data").toString()).isEqualTo("[\"Contoso.Utils\"]");
    JsonNode versions = json(resource("SearchAutocompleteService") + "?id=Contoso.Utils&prerelease=true");
    assertThat(versions.path("data").toString()).isEqualTo("[\"1.1.0-Beta.2\",\"1.1.0\"]");
    assertThat(get(resource("SearchQueryService") + "?take=x").statusCode()).isEqualTo(400);
  }

  @Test
  @Order(8)
  void deleteUnlistsTheVersionWhichStaysDownloadableButIsNoLongerListedOrFound() throws IOException {
    String publish = resource("PackagePublish/2.0.0");

    HttpResponse<byte[]> deleted = TestingHttp.send("DELETE", publish + "Contoso.Utils/1.1.0", null, null,
        "X-NuGet-ApiKey", token);

    assertThat(deleted.statusCode()).as(TestingHttp.text(deleted)).isEqualTo(200);
    var status = codeartifact.describePackageVersion(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue("contoso.utils").packageVersion("1.1.0")).packageVersion().status();
    assertThat(status).isEqualTo(PackageVersionStatus.UNLISTED);
    JsonNode index = json(resource("RegistrationsBaseUrl/3.6.0") + "contoso.utils/index.json");
    assertThat(index.path("items").get(0).path("items").get(1).path("catalogEntry").path("listed").asBoolean()).isFalse();
    assertThat(get(resource("PackageBaseAddress/3.0.0") + "contoso.utils/1.1.0/contoso.utils.1.1.0.nupkg").statusCode())
        .isEqualTo(200);
    assertThat(json(resource("SearchAutocompleteService") + "?id=contoso.utils").path("data")).isEmpty();
    assertThat(TestingHttp.send("DELETE", publish + "Contoso.Utils/9.9.9", null, basic()).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void badPackagesAreRefusedWith400AndNothingIsStored() throws IOException {
    Map<String, byte[]> refused = new LinkedHashMap<>();
    Map<String, byte[]> mismatched = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Other.Package", "1.0.0"));
    refused.put("a .nuspec whose id differs from its name", TestingNupkgs.zip(mismatched));
    Map<String, byte[]> noNuspec = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Bad.Package", "1.0.0"));
    noNuspec.remove("Bad.Package.nuspec");
    refused.put("no .nuspec", TestingNupkgs.zip(noNuspec));
    Map<String, byte[]> traversal = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Bad.Package", "1.0.0"));
    traversal.put("../../evil.dll", new byte[10]);
    refused.put("a traversal entry", TestingNupkgs.zip(traversal));
    Map<String, byte[]> bomb = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Bad.Package", "1.0.0"));
    bomb.put("lib/net8.0/zeros.bin", new byte[40 * 1024 * 1024]);
    refused.put("a zip bomb", TestingNupkgs.zip(bomb));
    Map<String, byte[]> oversized = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Bad.Package", "1.0.0")
        .replace("<tags>", "<!--" + "x".repeat(NugetPackage.MAX_FILE_BYTES) + "--><tags>"));
    refused.put("an oversized .nuspec", TestingNupkgs.zip(oversized));
    refused.put("an invalid version", TestingNupkgs.nupkg("Bad.Package", "1.0.0.0.0"));
    refused.put("not a zip", "not a zip".getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> twice = TestingNupkgs.files("Bad.Package", TestingNupkgs.nuspec("Bad.Package", "1.0.0"));
    twice.put("lib/net8.0/Bad.Packagf.dll", new byte[10]);
    refused.put("an entry named twice", TestingNupkgs.replaceAll(TestingNupkgs.zip(twice), "Bad.Packagf.dll",
        "Bad.Package.dll"));

    for (Map.Entry<String, byte[]> bad : refused.entrySet()) {
      HttpResponse<byte[]> response = push(bad.getValue());
      assertThat(response.statusCode()).as(bad.getKey() + ": " + TestingHttp.text(response)).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
          .startsWith("text/plain"));
    }
    assertThat(codeartifact.listPackages(b -> b.domain("acme").repository("dotnet").format(PackageFormat.NUGET))
        .packages()).extracting(p -> p.packageValue()).containsExactly("contoso.utils");
  }

  @Test
  @Order(10)
  void aRepositoryReadsThePackagesOfItsUpstreamAndKeepsWhatItDownloads() throws IOException {
    codeartifact.createRepository(b -> b.domain("acme").repository("downstream")
        .upstreams(u -> u.repositoryName("dotnet")));
    String downstream = source.replace("/dotnet/", "/downstream/");
    String base = downstream.replace("index.json", "package/");

    assertThat(json(base + "contoso.utils/index.json").path("versions").toString())
        .isEqualTo("[\"1.1.0-beta.2\",\"1.1.0\"]");
    JsonNode index = json(downstream.replace("index.json", "registration/") + "contoso.utils/index.json");
    assertThat(index.path("items").get(0).path("items").get(0).path("packageContent").asText())
        .isEqualTo(base + "contoso.utils/1.1.0-beta.2/contoso.utils.1.1.0-beta.2.nupkg");
    HttpResponse<byte[]> download = get(base + "contoso.utils/1.1.0-beta.2/contoso.utils.1.1.0-beta.2.nupkg");

    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(get(resource("PackageBaseAddress/3.0.0")
        + "contoso.utils/1.1.0-beta.2/contoso.utils.1.1.0-beta.2.nupkg").body());
    assertThat(codeartifact.listPackageVersions(b -> b.domain("acme").repository("downstream")
        .format(PackageFormat.NUGET).packageValue("contoso.utils")).versions()).extracting(v -> v.version())
        .containsExactly("1.1.0-Beta.2");
  }

  @Test
  @Order(11)
  void aPackageOfMoreThanAThousandVersionsIsPagedAndEveryPageListsItsVersions() throws Exception {
    int count = 1_030;
    // pushed four at a time (one at a time, each waiting for its commit, took two minutes on a loaded machine)
    try (java.util.concurrent.ExecutorService pushes = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String version = "1.0." + i;
        statuses.add(pushes.submit(() -> push(TestingNupkgs.nupkg("Many.Versions", version)).statusCode()));
      }
      for (int i = 0; i < count; i++) {
        assertThat(statuses.get(i).get()).as("1.0." + i).isEqualTo(201);
      }
    }
    JsonNode index = json(resource("RegistrationsBaseUrl/3.6.0") + "many.versions/index.json");

    assertThat(index.path("count").asInt()).isEqualTo(17);
    List<String> seen = new ArrayList<>();
    for (JsonNode page : index.path("items")) {
      assertThat(page.has("items")).isFalse();
      JsonNode fetched = json(page.path("@id").asText());
      assertThat(fetched.path("count").asInt()).isEqualTo(fetched.path("items").size()).isEqualTo(page.path("count").asInt());
      assertThat(fetched.path("lower").asText()).isEqualTo(page.path("lower").asText());
      assertThat(fetched.path("parent").asText()).isEqualTo(index.path("@id").asText());
      fetched.path("items").forEach(item -> seen.add(item.path("catalogEntry").path("version").asText()));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add("1.0." + i);
    }
    assertThat(seen).isEqualTo(expected);
    assertThat(json(resource("PackageBaseAddress/3.0.0") + "many.versions/index.json").path("versions")).hasSize(count);
  }

  @Test
  @Order(60)
  void everyVersionTheApiTakesIsReadNormalizedAsCodeArtifactNormalizesNugetVersions() throws IOException {
    byte[] nupkg = TestingNupkgs.nupkg("Fabrikam.Spelled", "2.1.0");
    assertThat(push(nupkg).statusCode()).isEqualTo(201);
    codeartifact.createRepository(b -> b.domain("acme").repository("spelled-copies"));
    String spelled = "fabrikam.spelled";

    var described = codeartifact.describePackageVersion(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("2.01.0.0+build.9")).packageVersion();
    assertThat(described.version()).isEqualTo("2.1.0");
    assertThat(described.displayName()).isEqualTo("Fabrikam.Spelled");
    assertThat(codeartifact.getPackageVersionReadme(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("02.1.0")).version()).isEqualTo("2.1.0");
    assertThat(codeartifact.listPackageVersionDependencies(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("2.1.0.0")).dependencies()).hasSize(3);
    assertThat(codeartifact.listPackageVersionAssets(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("2.1.00")).assets())
        .extracting(a -> a.name()).containsExactlyInAnyOrder("fabrikam.spelled.2.1.0.nupkg", "fabrikam.spelled.nuspec");
    var asset = codeartifact.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("2.1.0+sha.1")
        .asset("fabrikam.spelled.2.1.0.nupkg"));
    assertThat(asset.asByteArray()).isEqualTo(nupkg);
    assertThat(asset.response().packageVersion()).isEqualTo("2.1.0");
    // a text that is no NuGet version, or a version that was not pushed, is looked up and not found
    for (String absent : List.of("latest", "2.01.0.1")) {
      assertThatThrownBy(() -> codeartifact.describePackageVersion(b -> b.domain("acme").repository("dotnet")
          .format(PackageFormat.NUGET).packageValue(spelled).packageVersion(absent)))
          .as(absent).isInstanceOf(ResourceNotFoundException.class);
    }

    var unlisted = codeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).versions("2.01.0")
        .targetStatus(PackageVersionStatus.UNLISTED));
    assertThat(unlisted.successfulVersions()).containsOnlyKeys("2.1.0");
    String revision = unlisted.successfulVersions().get("2.1.0").revision();
    var published = codeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).versions("2.1.00")
        .versionRevisions(Map.of("2.1.0.0", revision))
        .targetStatus(PackageVersionStatus.PUBLISHED));
    assertThat(published.successfulVersions()).containsOnlyKeys("2.1.0");
    assertThat(published.failedVersions()).isEmpty();
    assertThatThrownBy(() -> codeartifact.updatePackageVersionsStatus(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).versions("2.1.0")
        .versionRevisions(Map.of("2.1.0", revision, "2.01.0", "another"))
        .targetStatus(PackageVersionStatus.ARCHIVED))).as("one version named twice with two revisions")
        .isInstanceOf(ValidationException.class);

    var copied = codeartifact.copyPackageVersions(b -> b.domain("acme").sourceRepository("dotnet")
        .destinationRepository("spelled-copies").format(PackageFormat.NUGET).packageValue(spelled)
        .versions("2.01.00"));
    assertThat(copied.successfulVersions()).containsOnlyKeys("2.1.0");
    var disposed = codeartifact.disposePackageVersions(b -> b.domain("acme").repository("spelled-copies")
        .format(PackageFormat.NUGET).packageValue(spelled).versions("2.1.0.0"));
    assertThat(disposed.successfulVersions()).containsOnlyKeys("2.1.0");
    assertThat(disposed.successfulVersions().get("2.1.0").status()).isEqualTo(PackageVersionStatus.DISPOSED);
    var deleted = codeartifact.deletePackageVersions(b -> b.domain("acme").repository("spelled-copies")
        .format(PackageFormat.NUGET).packageValue(spelled).versions("02.01.0+gone"));
    assertThat(deleted.successfulVersions()).containsOnlyKeys("2.1.0");
    assertThat(codeartifact.listPackageVersions(b -> b.domain("acme").repository("spelled-copies")
        .format(PackageFormat.NUGET).packageValue(spelled)).versions()).isEmpty();
    assertThat(codeartifact.describePackageVersion(b -> b.domain("acme").repository("dotnet")
        .format(PackageFormat.NUGET).packageValue(spelled).packageVersion("2.1.0")).packageVersion().status())
        .isEqualTo(PackageVersionStatus.PUBLISHED);
  }
}
