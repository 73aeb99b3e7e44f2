package dev.wharf.packages.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.TestingServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.ConflictException;
import software.amazon.awssdk.services.codeartifact.model.GetPackageVersionAssetResponse;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.codeartifact.model.PublishPackageVersionResponse;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;

/**
 * Generic packages with the AWS SDK for Java v2, which signs the body's own hash rather than the
 * declared x-amz-content-sha256: publishing from a file, a wrong SHA-256 refused with nothing kept,
 * and GetPackageVersionAsset streamed to a file, Unicode asset names included.
 */
class GenericPackageSdkIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("files"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PublishPackageVersionResponse publish(String pkg, String version, String asset, byte[] content,
      String sha256, boolean unfinished) {
    return api.publishPackageVersion(b -> b.domain("acme").repository("files").format(PackageFormat.GENERIC)
        .namespace("sdk").packageValue(pkg).packageVersion(version).assetName(asset).assetSHA256(sha256)
        .unfinished(unfinished), RequestBody.fromBytes(content));
  }

  @Test
  void aFilePublishedInTwoAssetsIsDownloadedToAFile() throws Exception {
    byte[] first = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(first);
    Path file = Files.write(scratch.resolve("first.bin"), first);
    String firstSha256 = sha256(first);
    PublishPackageVersionResponse started = api.publishPackageVersion(b -> b.domain("acme").repository("files")
        .format(PackageFormat.GENERIC).namespace("sdk").packageValue("bundle").packageVersion("3.1")
        .assetName("first.bin").assetSHA256(firstSha256).unfinished(true), RequestBody.fromFile(file));
    assertThat(started.status()).isEqualTo(PackageVersionStatus.UNFINISHED);
    assertThat(started.asset().size()).isEqualTo(first.length);
    assertThat(started.asset().hashesAsStrings()).containsEntry("SHA-256", sha256(first));

    byte[] second = "ünïcödé\n".getBytes(StandardCharsets.UTF_8);
    PublishPackageVersionResponse finished = publish("bundle", "3.1", "résumé-ñ.txt", second, sha256(second), false);
    assertThat(finished.status()).isEqualTo(PackageVersionStatus.PUBLISHED);

    Path out = scratch.resolve("out.bin");
    GetPackageVersionAssetResponse response = api.getPackageVersionAsset(b -> b.domain("acme").repository("files")
        .format(PackageFormat.GENERIC).namespace("sdk").packageValue("bundle").packageVersion("3.1").asset("first.bin"),
        out);
    assertThat(Files.readAllBytes(out)).isEqualTo(first);
    assertThat(response.packageVersionRevision()).isEqualTo(finished.versionRevision());

    ResponseBytes<GetPackageVersionAssetResponse> unicode = api.getPackageVersionAssetAsBytes(b -> b.domain("acme")
        .repository("files").format(PackageFormat.GENERIC).namespace("sdk").packageValue("bundle").packageVersion("3.1")
        .asset("résumé-ñ.txt"));
    assertThat(unicode.asByteArray()).isEqualTo(second);
  }

  @Test
  void aTextAssetFromAStringIsPublished() {
    // RequestBody.fromString sends and signs "Content-Type: text/plain; charset=UTF-8"; Jetty's header cache
    // handed that over as "...charset=utf-8", so the signature did not match (403) until it was made case-sensitive
    byte[] content = "release notes\n".getBytes(StandardCharsets.UTF_8);
    PublishPackageVersionResponse published = api.publishPackageVersion(b -> b.domain("acme").repository("files")
        .format(PackageFormat.GENERIC).namespace("sdk").packageValue("notes").packageVersion("1.0")
        .assetName("notes.txt").assetSHA256(sha256(content)), RequestBody.fromString("release notes\n"));
    assertThat(published.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
    assertThat(api.getPackageVersionAssetAsBytes(b -> b.domain("acme").repository("files").format(PackageFormat.GENERIC)
        .namespace("sdk").packageValue("notes").packageVersion("1.0").asset("notes.txt")).asByteArray()).isEqualTo(content);
  }

  @Test
  void theSdkSendsTheHashOfItsBytesWhateverAssetSha256Says() {
    // The SDK's signer puts the SHA-256 of the body it sends in x-amz-content-sha256, replacing the
    // assetSHA256 member bound to that header: the server sees a consistent declaration and stores the
    // bytes under their real hash. (A signer that keeps a wrong declaration is refused: see the raw tests.)
    byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
    PublishPackageVersionResponse response = publish("sdk-hash", "1", "a.txt", content,
        sha256("other".getBytes(StandardCharsets.UTF_8)), false);
    assertThat(response.asset().hashesAsStrings()).containsEntry("SHA-256", sha256(content));
  }

  @Test
  void aForgedSignatureIsRefusedBeforeAnythingIsStored() {
    byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
    String query = "domain=acme&repository=files&format=generic&namespace=raw&package=forged&version=1&asset=a.txt";
    var forged = wharf.signer().request("POST", "/v1/package/version/publish", query)
        .body("application/octet-stream", content)
        .signedWithAuthorization(wharf.rootCredentials(), "codeartifact",
            authorization -> authorization.substring(0, authorization.length() - 4) + "0000");
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.header("x-amzn-ErrorType")).contains("InvalidSignatureException");
    assertThatThrownBy(() -> api.listPackageVersions(b -> b.domain("acme").repository("files")
        .format(PackageFormat.GENERIC).namespace("raw").packageValue("forged")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void aPublishedVersionRefusesANewAsset() throws Exception {
    byte[] content = "v1".getBytes(StandardCharsets.UTF_8);
    publish("done", "1", "a.txt", content, sha256(content), false);
    assertThatThrownBy(() -> publish("done", "1", "b.txt", content, sha256(content), false))
        .isInstanceOf(ConflictException.class);
  }
}
