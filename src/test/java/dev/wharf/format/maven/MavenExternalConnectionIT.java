package dev.wharf.format.maven;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * Maven through the external connection {@code public:maven-central}. The "public registry" is a
 * second Wharf: this machine's local Maven repository (the plugins a build runs) is uploaded into
 * it and a library is deployed to it with the real {@code mvn deploy}. The Wharf under test chains
 * team → shared → public:maven-central, and the real {@code mvn} (Wharf's team repository its only
 * mirror, an empty local repository each time) builds a project through it: plugins and library
 * come from the public registry, are checked against its checksums and kept, so a build still works
 * once the public registry is gone. A small HTTP server that misbehaves on purpose covers the
 * failures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenExternalConnectionIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir static Path scratch;
  static TestingServer registry; // the "public registry"
  static String registryEndpoint;
  static String registryToken;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String teamEndpoint;
  static Path registrySettings;
  static Path teamSettings;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("mvn", "--version");
    MavenTestingRepository.requirePlugins(true);
    registry = TestingServer.start(scratch.resolve("registry"));
    CodeartifactClient publicApi = registry.codeartifact(registry.rootCredentials());
    publicApi.createDomain(b -> b.domain("world"));
    publicApi.createRepository(b -> b.domain("world").repository("central"));
    registryToken = publicApi.getAuthorizationToken(b -> b.domain("world")).authorizationToken();
    String domainPath = "/world-" + registry.managementAccountId() + "/maven/central";
    registryEndpoint = registry.endpoint() + domainPath + "/";
    String publicBase = registry.endpoint().toString().replace("://", "://aws:"
        + URLEncoder.encode(registryToken, StandardCharsets.UTF_8) + "@") + domainPath;

    wharf = TestingServer.start(scratch.resolve("wharf"), Clock.systemUTC(), Map.of(
        "WHARF_EXTERNAL_CONNECTIONS", "public:maven-central=" + publicBase,
        "WHARF_EXTERNAL_METADATA_TTL", "0"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("shared"));
    api.associateExternalConnection(b -> b.domain("acme").repository("shared")
        .externalConnection("public:maven-central"));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    teamEndpoint = api.getRepositoryEndpoint(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN))
        .repositoryEndpoint();

    // The public registry holds Maven's plugins (as Maven Central does) and two releases of a library.
    MavenTestingRepository.upload(registryEndpoint, registryToken, MavenTestingRepository.releaseFiles(), 8);
    registrySettings = scratch.resolve("registry-settings.xml");
    write(registrySettings, MavenTestingRepository.settings(registryEndpoint));
    teamSettings = scratch.resolve("team-settings.xml");
    write(teamSettings, MavenTestingRepository.settings(teamEndpoint));
    for (String version : List.of("1.0", "1.1")) {
      TestingProcesses.Result deploy = mvn(registrySettings, registryToken, library("greeter", version), directory("m2"),
          "deploy");
      assertThat(deploy.exitCode()).as(deploy.describe()).isZero();
    }
    TestingProcesses.Result deploy = mvn(registrySettings, registryToken, library("blocked", "1.0"), directory("m2"),
        "deploy");
    assertThat(deploy.exitCode()).as(deploy.describe()).isZero();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void anUpstreamBlockOnTeamKeepsThePublicPackageOut() {
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("com.example.pub").packageValue("blocked")
        .restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));

    TestingProcesses.Result build = mvn(teamSettings, token, consumer("blocked", "1.0"), directory("m2"), "package",
        "-DskipTests");
    assertThat(build.exitCode()).as(build.describe()).isNotZero();
    assertThat(build.stdout()).contains("com.example.pub:blocked:jar:1.0");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("com.example.pub").packageValue("blocked")).versions()).isEmpty();
    assertThatThrownBy(() -> api.listPackageVersions(b -> b.domain("acme").repository("shared")
        .format(PackageFormat.MAVEN).namespace("com.example.pub").packageValue("blocked")))
        .as("the search stopped at team").isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  @Order(2) // stops the public registry
  void mvnBuildsThroughTeamSharedAndMavenCentralAndKeepsWhatItFetched() throws Exception {
    // A version range: resolved from team's maven-metadata.xml, which lists the public registry's versions.
    Path project = consumer("greeter", "[1.0,2.0)");
    Path local = directory("m2");
    TestingProcesses.Result build = mvn(teamSettings, token, project, local, "package", "-DskipTests");
    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(build.stdout()).contains("Downloaded from codeartifact: " + teamEndpoint
        + "com/example/pub/greeter/1.1/greeter-1.1.jar");
    assertThat(MavenClientIT.jarText(local.resolve("com/example/pub/greeter/1.1/greeter-1.1.jar"), "version.txt"))
        .isEqualTo("greeter 1.1 from the public registry");
    assertThat(project.resolve("target/consumer-1.0.jar")).isRegularFile();

    HttpResponse<String> metadata = get(teamEndpoint + "com/example/pub/greeter/maven-metadata.xml");
    assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
    assertThat(metadata.body()).contains("<versions><version>1.0</version><version>1.1</version></versions>",
        "<release>1.1</release>");

    // Kept in the connected repository (EXTERNAL, Published) and in team, the repository asked (Maven also
    // reads the POM of each version in the range: 1.0 may be there with its POM alone).
    for (String repository : List.of("shared", "team")) {
      List<PackageVersionSummary> versions = api.listPackageVersions(b -> b.domain("acme").repository(repository)
          .format(PackageFormat.MAVEN).namespace("com.example.pub").packageValue("greeter")).versions();
      assertThat(versions).as(repository).extracting(PackageVersionSummary::version).contains("1.1");
      assertThat(versions).as(repository).allSatisfy(v -> {
        assertThat(v.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
        assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.EXTERNAL);
      });
      assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository(repository).format(PackageFormat.MAVEN)
          .namespace("com.example.pub").packageValue("greeter").packageVersion("1.1")).assets())
          .extracting(a -> a.name()).containsExactlyInAnyOrder("greeter-1.1.jar", "greeter-1.1.pom");
    }
    // The plugins came the same way.
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("org.apache.maven.plugins").packageValue("maven-compiler-plugin")).versions())
        .singleElement().satisfies(v -> assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.EXTERNAL));

    // A client asking for the checksum first: the file is fetched, checked and kept, the checksum answered from it.
    HttpResponse<String> checksum = get(teamEndpoint + "com/example/pub/greeter/1.0/greeter-1.0.jar.sha1");
    assertThat(checksum.statusCode()).as(checksum.body()).isEqualTo(200);
    HttpResponse<String> publicChecksum = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        registryEndpoint + "com/example/pub/greeter/1.0/greeter-1.0.jar.sha1")).header("Authorization", "Bearer "
        + registryToken).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(checksum.body().strip()).isEqualTo(publicChecksum.body().strip()).hasSize(40);
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("com.example.pub").packageValue("greeter").packageVersion("1.0")).assets())
        .extracting(a -> a.name()).contains("greeter-1.0.jar");

    // The public registry goes away: a build with an empty local repository still works from what was kept.
    registry.close();
    registry = null;
    Path fresh = directory("m2");
    TestingProcesses.Result again = mvn(teamSettings, token, consumer("greeter", "[1.0,2.0)"), fresh, "package",
        "-DskipTests");
    assertThat(again.exitCode()).as(again.describe()).isZero();
    assertThat(MavenClientIT.jarText(fresh.resolve("com/example/pub/greeter/1.1/greeter-1.1.jar"), "version.txt"))
        .isEqualTo("greeter 1.1 from the public registry");
    HttpResponse<String> neverFetched = get(teamEndpoint + "com/example/pub/never/1.0/never-1.0.jar");
    assertThat(neverFetched.statusCode()).as(neverFetched.body()).isEqualTo(502);
    assertThat(neverFetched.body()).contains("public:maven-central").doesNotContain(registryToken);
  }

  // ---------------------------------------------------------------- a misbehaving upstream

  static final byte[] JAR = "not really a jar, but bytes".getBytes(StandardCharsets.UTF_8);
  static final byte[] BIG = new byte[2_000_000];
  static final String SIGNATURE = "-----BEGIN PGP SIGNATURE-----\n\nnot a real one\n-----END PGP SIGNATURE-----\n";
  static final String POM = "<project><modelVersion>4.0.0</modelVersion><groupId>org.bad</groupId>"
      + "<artifactId>good</artifactId><version>1.0</version></project>";

  static String metadata(String artifactId, String... versions) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<metadata><groupId>org.bad"
        + "</groupId><artifactId>" + artifactId + "</artifactId><versioning><versions>");
    for (String version : versions) {
      xml.append("<version>").append(version).append("</version>");
    }
    return xml.append("</versions><lastUpdated>20250101000000</lastUpdated></versioning></metadata>").toString();
  }

  private static void misbehave(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      switch (path) {
        case "/maven/org/bad/garbage/maven-metadata.xml" -> respond(exchange, 200, "<html>this is not metadata");
        case "/maven/org/bad/slow/maven-metadata.xml" -> {
          try {
            Thread.sleep(15_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 200, metadata("slow", "1.0"));
        }
        case "/maven/org/bad/mismatch/maven-metadata.xml" -> respond(exchange, 200, metadata("mismatch", "1.0"));
        case "/maven/org/bad/mismatch/1.0/mismatch-1.0.jar" -> respond(exchange, 200, JAR);
        case "/maven/org/bad/mismatch/1.0/mismatch-1.0.jar.sha1" -> respond(exchange, 200,
            "0123456789abcdef0123456789abcdef01234567  mismatch-1.0.jar\n");
        case "/maven/org/bad/big/maven-metadata.xml" -> respond(exchange, 200, metadata("big", "1.0"));
        case "/maven/org/bad/big/1.0/big-1.0.jar" -> respond(exchange, 200, BIG);
        case "/maven/org/bad/big/1.0/big-1.0.jar.sha1" -> respond(exchange, 200, digest("SHA-1", BIG));
        case "/maven/org/bad/unchecked/maven-metadata.xml" -> respond(exchange, 200, metadata("unchecked", "1.0"));
        case "/maven/org/bad/unchecked/1.0/unchecked-1.0.jar" -> respond(exchange, 200, JAR);
        case "/maven/org/bad/unchecked/1.0/unchecked-1.0.jar.md5" -> respond(exchange, 200, md5(JAR));
        case "/maven/org/bad/good/maven-metadata.xml" -> respond(exchange, 200, metadata("good", "1.0", "1.1-SNAPSHOT"));
        case "/maven/org/bad/good/1.0/good-1.0.jar" -> respond(exchange, 200, JAR);
        case "/maven/org/bad/good/1.0/good-1.0.jar.sha1" -> respond(exchange, 200, digest("SHA-1", JAR) + "\n");
        case "/maven/org/bad/good/1.0/good-1.0.pom" -> respond(exchange, 200, POM);
        case "/maven/org/bad/good/1.0/good-1.0.jar.asc", "/maven/org/bad/good/1.0/good-1.0.pom.asc" ->
            respond(exchange, 200, SIGNATURE);
        case "/maven/org/bad/good/1.0/good-1.0.pom.asc.sha1" -> respond(exchange, 200, digest("SHA-1", JAR));
        case "/maven/org/bad/good/1.0/good-1.0.pom.sha256" -> respond(exchange, 200,
            digest("SHA-256", POM.getBytes(StandardCharsets.UTF_8)) + "  good-1.0.pom");
        default -> respond(exchange, 404, "Not Found");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Test
  void aMisbehavingUpstreamIsRefusedWithA502NamingItAndNothingIsKept() throws Exception {
    HttpServer misbehaving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    misbehaving.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    misbehaving.createContext("/", MavenExternalConnectionIT::misbehave);
    misbehaving.start();
    String upstream = "127.0.0.1:" + misbehaving.getAddress().getPort();
    try (TestingServer proxy = TestingServer.start(scratch.resolve("proxy"), Clock.systemUTC(), Map.of(
        "WHARF_EXTERNAL_CONNECTIONS", "public:maven-central=http://" + upstream + "/maven",
        "WHARF_EXTERNAL_TIMEOUT", "2", "WHARF_EXTERNAL_METADATA_TTL", "0", "WHARF_MAX_ASSET_SIZE", "1000000"))) {
      CodeartifactClient proxyApi = proxy.codeartifact(proxy.rootCredentials());
      proxyApi.createDomain(b -> b.domain("acme"));
      proxyApi.createRepository(b -> b.domain("acme").repository("mirror"));
      proxyApi.associateExternalConnection(b -> b.domain("acme").repository("mirror")
          .externalConnection("public:maven-central"));
      String proxyToken = proxyApi.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
      String base = proxyApi.getRepositoryEndpoint(b -> b.domain("acme").repository("mirror")
          .format(PackageFormat.MAVEN)).repositoryEndpoint() + "org/bad/";

      HttpResponse<String> garbage = get(base + "garbage/maven-metadata.xml", proxyToken);
      assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(502);
      assertThat(garbage.body()).contains("public:maven-central", upstream, "malformed maven-metadata.xml");
      HttpResponse<String> garbageFile = get(base + "garbage/1.0/garbage-1.0.jar", proxyToken);
      assertThat(garbageFile.statusCode()).as(garbageFile.body()).isEqualTo(502);
      HttpResponse<String> slow = get(base + "slow/maven-metadata.xml", proxyToken);
      assertThat(slow.statusCode()).as(slow.body()).isEqualTo(502);
      assertThat(slow.body()).contains("public:maven-central", upstream, "did not answer within 2 s");
      assertThat(get(base + "absent/maven-metadata.xml", proxyToken).statusCode()).as("the upstream's 404 is a 404")
          .isEqualTo(404);
      assertThat(get(base + "good/1.1-SNAPSHOT/good-1.1-SNAPSHOT.jar", proxyToken).statusCode())
          .as("SNAPSHOTs are not read through").isEqualTo(404);
      assertThat(get(base + "good/1.0/good-1.0-sources.jar", proxyToken).statusCode())
          .as("a file the upstream does not have").isEqualTo(404);

      HttpResponse<String> mismatch = get(base + "mismatch/1.0/mismatch-1.0.jar", proxyToken);
      assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(502);
      assertThat(mismatch.body()).contains("public:maven-central", upstream, "does not match the hash");
      HttpResponse<String> mismatchChecksum = get(base + "mismatch/1.0/mismatch-1.0.jar.sha1", proxyToken);
      assertThat(mismatchChecksum.statusCode()).as("asked for its checksum first").isEqualTo(502);
      HttpResponse<String> unchecked = get(base + "unchecked/1.0/unchecked-1.0.jar", proxyToken);
      assertThat(unchecked.statusCode()).as(unchecked.body()).isEqualTo(502);
      assertThat(unchecked.body()).contains("public:maven-central", "no SHA-512, SHA-256 or SHA-1 checksum");
      HttpResponse<String> big = get(base + "big/1.0/big-1.0.jar", proxyToken);
      assertThat(big.statusCode()).as(big.body()).isEqualTo(502);
      assertThat(big.body()).contains("public:maven-central", upstream, "more than the limit");
      for (String name : List.of("mismatch", "unchecked", "big", "garbage", "slow")) {
        assertThatThrownBy(() -> proxyApi.listPackageVersions(b -> b.domain("acme").repository("mirror")
            .format(PackageFormat.MAVEN).namespace("org.bad").packageValue(name))).as(name)
            .isInstanceOf(ResourceNotFoundException.class);
      }

      // A good one is kept (the POM checked by its SHA-256, asked for by checksum first).
      HttpResponse<String> good = get(base + "good/1.0/good-1.0.jar", proxyToken);
      assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
      assertThat(good.body()).isEqualTo(new String(JAR, StandardCharsets.UTF_8));
      HttpResponse<String> pomSha1 = get(base + "good/1.0/good-1.0.pom.sha1", proxyToken);
      assertThat(pomSha1.statusCode()).as(pomSha1.body()).isEqualTo(200);
      assertThat(pomSha1.body().strip()).isEqualTo(digest("SHA-1", POM.getBytes(StandardCharsets.UTF_8)));
      // A signature without a checksum (as Maven Central has them) is kept: the client checks it against the
      // file it signs. One whose published checksum does not match is not.
      HttpResponse<String> signature = get(base + "good/1.0/good-1.0.jar.asc", proxyToken);
      assertThat(signature.statusCode()).as(signature.body()).isEqualTo(200);
      assertThat(signature.body()).isEqualTo(SIGNATURE);
      HttpResponse<String> badSignature = get(base + "good/1.0/good-1.0.pom.asc", proxyToken);
      assertThat(badSignature.statusCode()).as(badSignature.body()).isEqualTo(502);
      assertThat(badSignature.body()).contains("does not match the hash");
      assertThat(proxyApi.listPackageVersionAssets(b -> b.domain("acme").repository("mirror")
          .format(PackageFormat.MAVEN).namespace("org.bad").packageValue("good").packageVersion("1.0")).assets())
          .extracting(a -> a.name()).containsExactlyInAnyOrder("good-1.0.jar", "good-1.0.pom", "good-1.0.jar.asc");

      // Once the upstream is down: its metadata as last fetched, the kept files from the store.
      misbehaving.stop(0);
      misbehaving = null;
      HttpResponse<String> metadata = get(base + "good/maven-metadata.xml", proxyToken);
      assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
      assertThat(metadata.body()).contains("<version>1.0</version>").doesNotContain("SNAPSHOT");
      assertThat(get(base + "good/1.0/good-1.0.jar", proxyToken).statusCode()).isEqualTo(200);
      HttpResponse<String> down = get(base + "never/1.0/never-1.0.jar", proxyToken);
      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(down.body()).contains("public:maven-central", "could not be reached");
    } finally {
      if (misbehaving != null) {
        misbehaving.stop(0);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  static String digest(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String md5(byte[] content) {
    return digest("MD5", content);
  }

  static HttpResponse<String> get(String url) throws Exception {
    return get(url, token);
  }

  static HttpResponse<String> get(String url, String bearer) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static TestingProcesses.Result mvn(Path settings, String authToken, Path project, Path localRepository,
      String... goals) {
    return MavenTestingRepository.mvn(settings, authToken, TIMEOUT, directory("home"), project, localRepository, goals);
  }


  /** com.example.pub:NAME:VERSION, a jar holding version.txt, deployed to the public registry. */
  static Path library(String name, String version) {
    Path project = directory(name);
    write(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.pub</groupId>
          <artifactId>%1$s</artifactId>
          <version>%2$s</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <distributionManagement>
            <repository><id>codeartifact</id><url>%3$s</url></repository>
          </distributionManagement>
          <build>%4$s</build>
        </project>
        """.formatted(name, version, registryEndpoint, MavenTestingRepository.PLUGINS));
    write(project.resolve("src/main/java/com/example/pub/" + capitalized(name) + ".java"),
        "package com.example.pub;\npublic class " + capitalized(name) + " {}\n");
    write(project.resolve("src/main/resources/version.txt"),
        name + " " + version + " from the public registry");
    return project;
  }

  /** A project depending on com.example.pub:NAME at the version (or range) and using its class. */
  static Path consumer(String name, String version) {
    Path project = directory("consumer");
    write(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.team</groupId>
          <artifactId>consumer</artifactId>
          <version>1.0</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
            <dependency><groupId>com.example.pub</groupId><artifactId>%s</artifactId><version>%s</version></dependency>
          </dependencies>
          <build>%s</build>
        </project>
        """.formatted(name, version, MavenTestingRepository.PLUGINS));
    write(project.resolve("src/main/java/example/Uses.java"),
        "package example;\npublic class Uses { com.example.pub." + capitalized(name) + " used; }\n");
    return project;
  }

  private static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }
}
