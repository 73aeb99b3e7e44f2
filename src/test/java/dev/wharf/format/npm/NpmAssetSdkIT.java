package dev.wharf.format.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.GetPackageVersionAssetResponse;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/** GetPackageVersionAsset (AWS SDK for Java v2) on npm tarballs published through the npm endpoint. */
class NpmAssetSdkIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;

  @BeforeAll
  static void start() throws Exception {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("app"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static void npmPublish(String name, String version, byte[] tarball) throws Exception {
    String token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    String body = NpmTestingPackages.publishBody(name, version, "", NpmTestingPackages.sha512(tarball),
        NpmTestingPackages.sha1(tarball), Base64.getEncoder().encodeToString(tarball));
    String path = name.replace("/", "%2f");
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/npm/app/" + path))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  @Test
  void theTarballOfAScopedAndAnUnscopedPackageIsDownloadedWithItsHeaders() throws Exception {
    byte[] scoped = NpmTestingPackages.tarball(NpmTestingPackages.packageJson("@acme/util", "1.2.3"));
    byte[] plain = NpmTestingPackages.tarball(NpmTestingPackages.packageJson("left-pad", "1.0.0"));
    npmPublish("@acme/util", "1.2.3", scoped);
    npmPublish("left-pad", "1.0.0", plain);

    String revision = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("util").packageVersion("1.2.3")).packageVersion().revision();
    ResponseBytes<GetPackageVersionAssetResponse> asset = api.getPackageVersionAssetAsBytes(b -> b.domain("acme")
        .repository("app").format(PackageFormat.NPM).namespace("acme").packageValue("util").packageVersion("1.2.3")
        .asset("package.tgz"));
    assertThat(asset.asByteArray()).isEqualTo(scoped);
    assertThat(asset.response().assetName()).isEqualTo("package.tgz");
    assertThat(asset.response().packageVersion()).isEqualTo("1.2.3");
    assertThat(asset.response().packageVersionRevision()).isEqualTo(revision);

    ResponseBytes<GetPackageVersionAssetResponse> byRevision = api.getPackageVersionAssetAsBytes(b -> b.domain("acme")
        .repository("app").format(PackageFormat.NPM).packageValue("left-pad").packageVersion("1.0.0")
        .asset("package.tgz").packageVersionRevision(api.describePackageVersion(d -> d.domain("acme")
            .repository("app").format(PackageFormat.NPM).packageValue("left-pad").packageVersion("1.0.0"))
            .packageVersion().revision()));
    assertThat(byRevision.asByteArray()).isEqualTo(plain);

    assertThatThrownBy(() -> api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("left-pad").packageVersion("1.0.0").asset("other.tgz")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).packageValue("left-pad").packageVersion("9.9.9").asset("package.tgz")))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
