package dev.wharf.format.pypi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

/** GetPackageVersionAsset (AWS SDK for Java v2) on a wheel uploaded through the PyPI endpoint as twine does. */
class PypiAssetSdkIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("py"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void anUploadedWheelIsDownloadedByteForByteWithItsHeaders() throws Exception {
    byte[] wheel = PypiUploadIT.wheel(4096);
    String token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            wharf.endpoint() + "/acme-" + wharf.managementAccountId() + "/pypi/py/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(PypiUploadIT.form(wheel)))
        .header("Content-Type", "multipart/form-data; boundary=wharf-boundary-1234")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("aws:" + token)
            .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);

    var assets = api.listPackageVersionAssets(b -> b.domain("acme").repository("py").format(PackageFormat.PYPI)
        .packageValue("tiny").packageVersion("1.0"));
    assertThat(assets.assets()).anySatisfy(a -> assertThat(a.name()).isEqualTo("tiny-1.0-py3-none-any.whl"));

    ResponseBytes<GetPackageVersionAssetResponse> asset = api.getPackageVersionAssetAsBytes(b -> b.domain("acme")
        .repository("py").format(PackageFormat.PYPI).packageValue("tiny").packageVersion("1.0")
        .asset("tiny-1.0-py3-none-any.whl"));
    assertThat(asset.asByteArray()).isEqualTo(wheel);
    assertThat(asset.response().assetName()).isEqualTo("tiny-1.0-py3-none-any.whl");
    assertThat(asset.response().packageVersion()).isEqualTo("1.0");
    assertThat(asset.response().packageVersionRevision()).isEqualTo(assets.versionRevision());

    // CodeArtifact's Python guide: "the normalized name must be used in CodeArtifact CLI or API requests"
    assertThatThrownBy(() -> api.describePackage(b -> b.domain("acme").repository("py").format(PackageFormat.PYPI)
        .packageValue("TINY"))).isInstanceOf(ResourceNotFoundException.class);
  }
}
