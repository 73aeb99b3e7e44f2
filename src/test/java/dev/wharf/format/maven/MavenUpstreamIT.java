package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;

/**
 * Maven through upstream repositories, over HTTP as Maven's wagon speaks it (PUT to deploy, GET to
 * resolve): team → shared → base. The artifact-level maven-metadata.xml of team lists the versions
 * of the whole graph; a file missing in team comes from the first upstream that has it and its
 * version is retained in team, so it stays resolvable when the upstream loses it.
 */
class MavenUpstreamIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String root;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("base"));
    api.createRepository(b -> b.domain("acme").repository("shared").upstreams(u -> u.repositoryName("base")));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    root = wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/maven/";
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void deploy(String repository, String version, String jarText) throws Exception {
    String base = root + repository + "/com/acme/lib/" + version + "/lib-" + version;
    String pom = "<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>lib</artifactId>"
        + "<version>" + version + "</version><packaging>jar</packaging></project>";
    for (var file : List.of(List.of(base + ".jar", jarText), List.of(base + ".pom", pom))) {
      HttpResponse<String> put = send("PUT", file.get(0), file.get(1));
      assertThat(put.statusCode()).as(file.get(0) + ": " + put.body()).isBetween(200, 201);
    }
  }

  @Test
  void metadataMergesTheGraphAndAnArtifactFallsThroughAndIsRetained() throws Exception {
    deploy("base", "1.0", "jar 1.0 from base");
    deploy("base", "1.1", "jar 1.1 from base");
    deploy("team", "0.9", "jar 0.9 from team");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("lib").restrictions(r -> r.publish(
            software.amazon.awssdk.services.codeartifact.model.AllowPublish.ALLOW).upstream(
            software.amazon.awssdk.services.codeartifact.model.AllowUpstream.ALLOW)));

    HttpResponse<String> metadata = send("GET", root + "team/com/acme/lib/maven-metadata.xml", null);
    assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
    assertThat(metadata.body()).contains("<version>0.9</version>").contains("<version>1.0</version>")
        .contains("<version>1.1</version>"); // latest/release follow publish order across the graph, as locally

    HttpResponse<String> jar = send("GET", root + "team/com/acme/lib/1.1/lib-1.1.jar", null);
    assertThat(jar.statusCode()).isEqualTo(200);
    assertThat(jar.body()).isEqualTo("jar 1.1 from base");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("team").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("lib")).versions()).extracting(PackageVersionSummary::version)
        .containsExactlyInAnyOrder("0.9", "1.1");

    // base loses 1.1: team still serves the retained copy (the POM too, retained with its version).
    api.deletePackageVersions(b -> b.domain("acme").repository("base").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("lib").versions("1.1"));
    assertThat(send("GET", root + "team/com/acme/lib/1.1/lib-1.1.jar", null).body()).isEqualTo("jar 1.1 from base");
    assertThat(send("GET", root + "team/com/acme/lib/1.1/lib-1.1.pom", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", root + "shared/com/acme/lib/1.1/lib-1.1.jar", null).statusCode())
        .as("shared never retained it").isEqualTo(404);
  }
}
