package dev.wharf.packages.http;

import static dev.wharf.testing.TestingAwsCli.assertServiceError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generic packages with the real {@code aws} CLI (v1): publish-package-version with and without
 * {@code --unfinished}, list-package-version-assets, get-package-version-asset writing its outfile,
 * and every way a publication is refused with nothing stored.
 */
class GenericPackageCliIT {
  private static final long SMALL_LIMIT = 1024 * 1024;

  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingServer small;
  static TestingAwsCli root;
  static TestingAwsCli smallRoot;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
    root.json("codeartifact", "create-domain", "--domain", "acme");
    root.json("codeartifact", "create-repository", "--domain", "acme", "--repository", "files");

    small = TestingServer.start(scratch.resolve("small"), Clock.systemUTC(),
        Map.of("WHARF_MAX_ASSET_SIZE", Long.toString(SMALL_LIMIT)));
    smallRoot = TestingAwsCli.at(small.endpoint(), scratch)
        .withKey(small.rootCredentials().accessKeyId(), small.rootCredentials().secretAccessKey());
    smallRoot.json("codeartifact", "create-domain", "--domain", "acme");
    smallRoot.json("codeartifact", "create-repository", "--domain", "acme", "--repository", "files");
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (small != null) {
      small.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static Path file(String name, int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    try {
      Path path = scratch.resolve("files-" + seed).resolve(name);
      Files.createDirectories(path.getParent());
      return Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String digest(String algorithm, Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TestingAwsCli.Result publish(TestingAwsCli cli, String namespace, String pkg, String version, Path content,
      String assetName, String sha256, boolean unfinished) {
    List<String> args = new java.util.ArrayList<>(List.of("codeartifact", "publish-package-version", "--domain", "acme",
        "--repository", "files", "--format", "generic", "--namespace", namespace, "--package", pkg,
        "--package-version", version, "--asset-content", content.toString(), "--asset-name", assetName,
        "--asset-sha256", sha256));
    if (unfinished) {
      args.add("--unfinished");
    }
    return cli.run(args.toArray(String[]::new));
  }

  private static JsonNode published(TestingAwsCli.Result result) {
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result.json();
  }

  private static TestingAwsCli.Result getAsset(TestingAwsCli cli, String namespace, String pkg, String version,
      String asset, Path outfile, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("codeartifact", "get-package-version-asset", "--domain", "acme",
        "--repository", "files", "--format", "generic", "--namespace", namespace, "--package", pkg,
        "--package-version", version, "--asset", asset));
    args.addAll(List.of(more));
    args.add(outfile.toString());
    return cli.run(args.toArray(String[]::new));
  }

  /** Blobs in a server's store (temporary files excluded). */
  private static List<Path> blobs(TestingServer server) {
    Path root = server.dataDirectory().resolve("blobs");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(root.resolve("tmp"))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> temporaryFiles(TestingServer server) {
    try (Stream<Path> files = Files.list(server.dataDirectory().resolve("blobs").resolve("tmp"))) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestingAwsCli userWithPolicy(String name, String policy) {
    root.json("iam", "create-user", "--user-name", name);
    root.json("iam", "put-user-policy", "--user-name", name, "--policy-name", "inline", "--policy-document", policy);
    JsonNode key = root.json("iam", "create-access-key", "--user-name", name).path("AccessKey");
    return root.withKey(key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText());
  }

  // ---------------------------------------------------------------- publishing and downloading

  @Test
  void assetsPublishedUnfinishedThenFinishedAreListedAndDownloadedByteForByte() throws IOException {
    Path tarball = file("app.tar.gz", 200_000, 1);
    Path checksum = file("app.tar.gz.sha256", 64, 2);
    Path notes = file("NOTES.txt", 3_000, 3);

    JsonNode first = published(publish(root, "my-ns", "my-app", "1.0.0", tarball, "app.tar.gz",
        digest("SHA-256", tarball), true));
    assertThat(first.path("format").asText()).isEqualTo("generic");
    assertThat(first.path("namespace").asText()).isEqualTo("my-ns");
    assertThat(first.path("package").asText()).isEqualTo("my-app");
    assertThat(first.path("version").asText()).isEqualTo("1.0.0");
    assertThat(first.path("status").asText()).isEqualTo("Unfinished");
    assertThat(first.path("asset").path("name").asText()).isEqualTo("app.tar.gz");
    assertThat(first.path("asset").path("size").asLong()).isEqualTo(200_000);
    assertThat(first.path("asset").path("hashes").path("SHA-256").asText()).isEqualTo(digest("SHA-256", tarball));

    // an Unfinished version is not downloadable yet
    assertServiceError(getAsset(root, "my-ns", "my-app", "1.0.0", "app.tar.gz", scratch.resolve("early.bin")),
        "ConflictException");

    JsonNode second = published(publish(root, "my-ns", "my-app", "1.0.0", checksum, "app.tar.gz.sha256",
        digest("SHA-256", checksum), true));
    assertThat(second.path("status").asText()).isEqualTo("Unfinished");
    assertThat(second.path("versionRevision").asText()).isNotEqualTo(first.path("versionRevision").asText());

    JsonNode last = published(publish(root, "my-ns", "my-app", "1.0.0", notes, "NOTES.txt", digest("SHA-256", notes), false));
    assertThat(last.path("status").asText()).isEqualTo("Published");
    String revision = last.path("versionRevision").asText();

    JsonNode listed = root.json("codeartifact", "list-package-version-assets", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "my-ns", "--package", "my-app", "--package-version", "1.0.0");
    assertThat(listed.path("versionRevision").asText()).isEqualTo(revision);
    assertThat(listed.path("namespace").asText()).isEqualTo("my-ns");
    assertThat(listed.path("assets").findValuesAsText("name"))
        .containsExactlyInAnyOrder("app.tar.gz", "app.tar.gz.sha256", "NOTES.txt");
    for (JsonNode asset : listed.path("assets")) {
      Path local = Map.of("app.tar.gz", tarball, "app.tar.gz.sha256", checksum, "NOTES.txt", notes)
          .get(asset.path("name").asText());
      assertThat(asset.path("size").asLong()).isEqualTo(Files.size(local));
      assertThat(asset.path("hashes").path("MD5").asText()).isEqualTo(digest("MD5", local));
      assertThat(asset.path("hashes").path("SHA-1").asText()).isEqualTo(digest("SHA-1", local));
      assertThat(asset.path("hashes").path("SHA-256").asText()).isEqualTo(digest("SHA-256", local));
      assertThat(asset.path("hashes").path("SHA-512").asText()).isEqualTo(digest("SHA-512", local));
    }

    Path out = scratch.resolve("downloaded-app.tar.gz");
    TestingAwsCli.Result download = getAsset(root, "my-ns", "my-app", "1.0.0", "app.tar.gz", out);
    assertThat(download.exitCode()).as(download.describe()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(tarball));
    JsonNode headers = download.json();
    assertThat(headers.path("assetName").asText()).isEqualTo("app.tar.gz");
    assertThat(headers.path("packageVersion").asText()).isEqualTo("1.0.0");
    assertThat(headers.path("packageVersionRevision").asText()).isEqualTo(revision);

    Path byRevision = scratch.resolve("by-revision.txt");
    assertThat(getAsset(root, "my-ns", "my-app", "1.0.0", "NOTES.txt", byRevision, "--package-version-revision", revision)
        .exitCode()).isZero();
    assertThat(Files.readAllBytes(byRevision)).isEqualTo(Files.readAllBytes(notes));
    assertServiceError(getAsset(root, "my-ns", "my-app", "1.0.0", "NOTES.txt", scratch.resolve("stale.txt"),
        "--package-version-revision", first.path("versionRevision").asText()), "ResourceNotFoundException");
    assertServiceError(getAsset(root, "my-ns", "my-app", "1.0.0", "missing.bin", scratch.resolve("missing.bin")),
        "ResourceNotFoundException");

    JsonNode described = root.json("codeartifact", "describe-package-version", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "my-ns", "--package", "my-app", "--package-version", "1.0.0");
    assertThat(described.path("packageVersion").path("status").asText()).isEqualTo("Published");
    assertThat(described.path("packageVersion").path("revision").asText()).isEqualTo(revision);
  }

  @Test
  void aPublishedVersionTakesNoNewAssetAndNoOtherContentButTheSameAssetAgainIsANoOp() throws IOException {
    Path asset = file("tool.bin", 10_000, 10);
    Path other = file("tool.bin", 10_000, 11);
    JsonNode done = published(publish(root, "tools", "tool", "2.0", asset, "tool.bin", digest("SHA-256", asset), false));
    assertThat(done.path("status").asText()).isEqualTo("Published");

    TestingAwsCli.Result extra = publish(root, "tools", "tool", "2.0", other, "extra.bin", digest("SHA-256", other), false);
    assertServiceError(extra, "ConflictException");
    assertServiceError(publish(root, "tools", "tool", "2.0", other, "extra.bin", digest("SHA-256", other), true),
        "ConflictException");
    assertServiceError(publish(root, "tools", "tool", "2.0", other, "tool.bin", digest("SHA-256", other), false),
        "ConflictException");

    JsonNode again = published(publish(root, "tools", "tool", "2.0", asset, "tool.bin", digest("SHA-256", asset), true));
    assertThat(again.path("status").asText()).isEqualTo("Published");
    assertThat(again.path("versionRevision").asText()).isEqualTo(done.path("versionRevision").asText());

    JsonNode listed = root.json("codeartifact", "list-package-version-assets", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "tools", "--package", "tool", "--package-version", "2.0");
    assertThat(listed.path("assets").findValuesAsText("name")).containsExactly("tool.bin");
    Path out = scratch.resolve("tool-out.bin");
    assertThat(getAsset(root, "tools", "tool", "2.0", "tool.bin", out).exitCode()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(asset));
  }

  @Test
  void anUnfinishedVersionRefusesOtherContentUnderAnAssetNameItHas() {
    Path asset = file("a.bin", 1_000, 20);
    Path other = file("a.bin", 1_000, 21);
    published(publish(root, "ns", "draft", "0.1", asset, "a.bin", digest("SHA-256", asset), true));
    assertServiceError(publish(root, "ns", "draft", "0.1", other, "a.bin", digest("SHA-256", other), true),
        "ConflictException");
    JsonNode same = published(publish(root, "ns", "draft", "0.1", asset, "a.bin", digest("SHA-256", asset), false));
    assertThat(same.path("status").asText()).isEqualTo("Published");
  }

  @Test
  void statusesDecideWhatIsDownloadableAndPublishBlockRefusesNewVersions() throws IOException {
    Path asset = file("s.bin", 2_000, 30);
    published(publish(root, "ns", "statuses", "1.0", asset, "s.bin", digest("SHA-256", asset), false));
    Path out = scratch.resolve("statuses-out.bin");

    root.json("codeartifact", "update-package-versions-status", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "statuses", "--versions", "1.0",
        "--target-status", "Unlisted");
    assertThat(getAsset(root, "ns", "statuses", "1.0", "s.bin", out).exitCode()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(asset));

    root.json("codeartifact", "update-package-versions-status", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "statuses", "--versions", "1.0",
        "--target-status", "Archived");
    assertServiceError(getAsset(root, "ns", "statuses", "1.0", "s.bin", scratch.resolve("archived-out.bin")),
        "ConflictException");

    root.json("codeartifact", "dispose-package-versions", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "statuses", "--versions", "1.0");
    assertServiceError(getAsset(root, "ns", "statuses", "1.0", "s.bin", scratch.resolve("disposed-out.bin")),
        "ResourceNotFoundException");

    root.json("codeartifact", "put-package-origin-configuration", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "statuses", "--restrictions",
        "publish=BLOCK,upstream=ALLOW");
    assertServiceError(publish(root, "ns", "statuses", "2.0", asset, "s.bin", digest("SHA-256", asset), false),
        "AccessDeniedException");
    JsonNode versions = root.json("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "statuses");
    assertThat(versions.path("versions").findValuesAsText("version")).containsExactly("1.0");
  }

  // ---------------------------------------------------------------- refusals, with nothing stored

  @Test
  void contentWhoseSha256IsNotTheOneSentIsRefusedAndNothingIsStored() {
    Path asset = file("real.bin", 50_000, 30);
    int before = blobs(wharf).size();
    TestingAwsCli.Result result = publish(root, "ns", "mismatch", "1.0", asset, "real.bin", "0".repeat(64), false);
    assertServiceError(result, "ValidationException");
    assertThat(result.stderr()).contains("SHA-256");
    assertServiceError(root.run("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "mismatch"), "ResourceNotFoundException");
    assertThat(blobs(wharf)).hasSize(before);
    assertThat(temporaryFiles(wharf)).isEmpty();
  }

  @Test
  void anUnknownRepositoryOrDomainIsNotFound() {
    Path asset = file("x.bin", 100, 40);
    assertServiceError(root.run("codeartifact", "publish-package-version", "--domain", "acme", "--repository", "nowhere",
        "--format", "generic", "--namespace", "ns", "--package", "p", "--package-version", "1", "--asset-content",
        asset.toString(), "--asset-name", "x.bin", "--asset-sha256", digest("SHA-256", asset)), "ResourceNotFoundException");
    assertServiceError(root.run("codeartifact", "publish-package-version", "--domain", "nodomain", "--repository", "files",
        "--format", "generic", "--namespace", "ns", "--package", "p", "--package-version", "1", "--asset-content",
        asset.toString(), "--asset-name", "x.bin", "--asset-sha256", digest("SHA-256", asset)), "ResourceNotFoundException");
    assertServiceError(root.run("codeartifact", "get-package-version-asset", "--domain", "acme", "--repository", "nowhere",
        "--format", "generic", "--namespace", "ns", "--package", "p", "--package-version", "1", "--asset", "x.bin",
        scratch.resolve("nowhere.bin").toString()), "ResourceNotFoundException");
  }

  @Test
  void aPolicyDenyRefusesThePublicationAndTheDownloadOfThatPackageOnly() {
    String packageArn = "arn:aws:codeartifact:us-east-1:" + account + ":package/acme/files/generic/secret/*";
    TestingAwsCli dana = userWithPolicy("generic-dana", "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Action\":\"codeartifact:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Action\":[\"codeartifact:PublishPackageVersion\",\"codeartifact:GetPackageVersionAsset\"],"
        + "\"Resource\":\"" + packageArn + "\"}]}");
    Path asset = file("s.bin", 1_000, 50);
    int before = blobs(wharf).size();
    TestingAwsCli.Result denied = publish(dana, "secret", "keys", "1", asset, "s.bin", digest("SHA-256", asset), false);
    assertServiceError(denied, "AccessDeniedException");
    assertThat(blobs(wharf)).hasSize(before);

    published(publish(root, "secret", "keys", "1", asset, "s.bin", digest("SHA-256", asset), false));
    assertServiceError(getAsset(dana, "secret", "keys", "1", "s.bin", scratch.resolve("denied.bin")),
        "AccessDeniedException");

    published(publish(dana, "open", "keys", "1", asset, "s.bin", digest("SHA-256", asset), false));
    Path out = scratch.resolve("allowed.bin");
    assertThat(getAsset(dana, "open", "keys", "1", "s.bin", out).exitCode()).isZero();
  }

  @Test
  void anAssetOverTheConfiguredLimitIsRefusedWithoutBeingKept() throws IOException {
    Path big = file("big.bin", (int) SMALL_LIMIT + 1, 60);
    TestingAwsCli.Result result = publish(smallRoot, "ns", "big", "1", big, "big.bin", digest("SHA-256", big), false);
    assertServiceError(result, "ValidationException");
    assertThat(result.stderr()).contains("exceeds the limit");
    assertThat(blobs(small)).isEmpty();
    assertThat(temporaryFiles(small)).isEmpty();

    Path fits = file("fits.bin", (int) SMALL_LIMIT, 61);
    published(publish(smallRoot, "ns", "big", "1", fits, "fits.bin", digest("SHA-256", fits), false));
    assertThat(blobs(small)).hasSize(1);
  }

  @Test
  void traversalAndMalformedNamesAreRefused() {
    Path asset = file("t.bin", 100, 70);
    String sha = digest("SHA-256", asset);
    int before = blobs(wharf).size();
    record Case(String namespace, String pkg, String version, String assetName) {}
    for (Case c : List.of(
        new Case("ns", "p", "1", ".."),
        new Case("ns", "p", "1", "."),
        new Case("ns", "p", "1", "../../etc/passwd"),
        new Case("ns", "p", "1", "dir/file"),
        new Case("ns", "p", "1", "back\\slash"),
        new Case("ns", "p", "1", " lead"),
        new Case("ns", "p", "1", "two  spaces"),
        new Case("ns", "p", "1", "a".repeat(256)),
        new Case("..", "p", "1", "t.bin"),
        new Case("ns", "..", "1", "t.bin"),
        new Case("ns", "p", "..", "t.bin"),
        new Case("ns", "p", "1#2", "t.bin"),
        new Case("ns", "p", "1 2", "t.bin"),
        new Case("ns", "p".repeat(256), "1", "t.bin"))) {
      TestingAwsCli.Result result = publish(root, c.namespace(), c.pkg(), c.version(), asset, c.assetName(), sha, false);
      assertThat(result.exitCode()).as(c + "\n" + result.describe()).isIn(TestingAwsCli.SERVICE_ERROR_EXIT);
      assertThat(result.stderr()).as(c + "\n" + result.describe()).contains("(ValidationException)");
    }
    assertThat(blobs(wharf)).hasSize(before);
  }

  @Test
  void onlyGenericPackagesArePublishedThroughTheApiAndTheyNeedANamespace() {
    Path asset = file("n.bin", 100, 80);
    String sha = digest("SHA-256", asset);
    TestingAwsCli.Result npm = root.run("codeartifact", "publish-package-version", "--domain", "acme", "--repository",
        "files", "--format", "npm", "--package", "left-pad", "--package-version", "1.0.0", "--asset-content",
        asset.toString(), "--asset-name", "left-pad-1.0.0.tgz", "--asset-sha256", sha);
    assertServiceError(npm, "ValidationException");
    TestingAwsCli.Result noNamespace = root.run("codeartifact", "publish-package-version", "--domain", "acme",
        "--repository", "files", "--format", "generic", "--package", "p", "--package-version", "1", "--asset-content",
        asset.toString(), "--asset-name", "n.bin", "--asset-sha256", sha);
    assertServiceError(noNamespace, "ValidationException");
  }

  /**
   * Requests botocore signs over the body's own hash while x-amz-content-sha256 (added unsigned)
   * declares another, or declares nothing: the signature is checked over the body, read and discarded,
   * and the publication is refused with nothing stored.
   */
  @Test
  void aSignatureOverTheBodyWithAnotherOrNoDeclaredSha256IsRefused() throws Exception {
    String script = String.join("\n",
        "import json, os, urllib.request, urllib.error",
        "from botocore.session import Session",
        "from botocore.auth import SigV4Auth",
        "from botocore.awsrequest import AWSRequest",
        "endpoint = os.environ['WHARF_ENDPOINT']",
        "credentials = Session().get_credentials()",
        "out = {}",
        "for case, declared in (('other', '0' * 64), ('none', None)):",
        "    url = endpoint + '/v1/package/version/publish?domain=acme&repository=files&format=generic'"
            + " + '&namespace=raw&package=' + case + '&version=1&asset=a.txt'",
        "    request = AWSRequest(method='POST', url=url, data=b'the real content')",
        "    SigV4Auth(credentials, 'codeartifact', 'us-east-1').add_auth(request)",
        "    headers = dict(request.headers.items())",
        "    if declared:",
        "        headers['x-amz-content-sha256'] = declared",
        "    try:",
        "        with urllib.request.urlopen(urllib.request.Request(url, data=request.body, headers=headers,"
            + " method='POST')) as response:",
        "            out[case] = {'status': response.status}",
        "    except urllib.error.HTTPError as e:",
        "        out[case] = {'status': e.code, 'type': e.headers.get('x-amzn-ErrorType'), 'body': e.read().decode()}",
        "print(json.dumps(out))");
    Map<String, String> environment = new java.util.HashMap<>(root.environment());
    environment.put("WHARF_ENDPOINT", wharf.endpoint().toString());
    var run = dev.wharf.testing.TestingProcesses.run(root.home(), environment, java.time.Duration.ofSeconds(60),
        List.of("python3", "-c", script));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    JsonNode out = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.stdout());
    assertThat(out.path("other").path("status").asInt()).as(run.stdout()).isEqualTo(400);
    assertThat(out.path("other").path("type").asText()).isEqualTo("ValidationException");
    assertThat(out.path("other").path("body").asText()).contains("does not match");
    assertThat(out.path("none").path("status").asInt()).as(run.stdout()).isEqualTo(400);
    assertThat(out.path("none").path("body").asText()).contains("assetSHA256");
    for (String pkg : List.of("other", "none")) {
      assertServiceError(root.run("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "files",
          "--format", "generic", "--namespace", "raw", "--package", pkg), "ResourceNotFoundException");
    }
  }

  /** A client that goes away halfway through a signed, authorized upload leaves nothing behind. */
  @Test
  void anUploadCutOffHalfwayLeavesNoVersionAndNoFile() throws Exception {
    String script = String.join("\n",
        "import hashlib, os, socket, time",
        "from urllib.parse import urlparse",
        "from botocore.session import Session",
        "from botocore.auth import SigV4Auth",
        "from botocore.awsrequest import AWSRequest",
        "endpoint = os.environ['WHARF_ENDPOINT']",
        "body = os.urandom(4 * 1024 * 1024)",
        "url = endpoint + '/v1/package/version/publish?domain=acme&repository=files&format=generic'"
            + " + '&namespace=cut&package=off&version=1&asset=a.bin'",
        "request = AWSRequest(method='POST', url=url, data=body,"
            + " headers={'x-amz-content-sha256': hashlib.sha256(body).hexdigest()})",
        "SigV4Auth(Session().get_credentials(), 'codeartifact', 'us-east-1').add_auth(request)",
        "target = urlparse(endpoint)",
        "s = socket.create_connection((target.hostname, target.port))",
        "head = 'POST ' + url[len(endpoint):] + ' HTTP/1.1\\r\\nHost: ' + target.netloc + '\\r\\n'",
        "head += ''.join(k + ': ' + v + '\\r\\n' for k, v in request.headers.items() if k.lower() != 'host')",
        "head += 'Content-Length: ' + str(len(body)) + '\\r\\n\\r\\n'",
        "s.sendall(head.encode() + body[:len(body) // 2])",
        "time.sleep(0.5)",
        "s.close()",
        "print('sent half')");
    Map<String, String> environment = new java.util.HashMap<>(root.environment());
    environment.put("WHARF_ENDPOINT", wharf.endpoint().toString());
    var run = dev.wharf.testing.TestingProcesses.run(root.home(), environment, java.time.Duration.ofSeconds(60),
        List.of("python3", "-c", script));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.stdout()).contains("sent half");
    // the server has finished with the request once the audit trail records how it ended
    List<dev.wharf.audit.AuditEvent> ended = dev.wharf.testing.TestingAudit.awaitEvents(
        () -> wharf.server().audit().lookup(account, java.time.Instant.EPOCH, null, "codeartifact:PublishPackageVersion",
            1000).stream().filter(e -> e.resource() != null && e.resource().endsWith("/generic/cut/off")).toList(),
        found -> !found.isEmpty(), "the cut-off publish's event");
    assertThat(ended).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(dev.wharf.audit.AuditEvent.Outcome.FAILED);
      assertThat(e.errorCode()).isEqualTo("ValidationException");
    });
    assertThat(temporaryFiles(wharf)).isEmpty();
    assertServiceError(root.run("codeartifact", "list-package-versions", "--domain", "acme", "--repository", "files",
        "--format", "generic", "--namespace", "cut", "--package", "off"), "ResourceNotFoundException");
  }
}
