package dev.wharf.format.pypi;

import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.RepositoryLocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingTarballs;
import dev.wharf.testing.TestingPackages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload checks and index rendering, on a real SQLite store and blob folder. */
class PypiRegistryTest {
  private static final RepositoryLocation HERE = new RepositoryLocation("111122223333", "acme", "py");
  private static final String FILES = "http://localhost:8080/acme-111122223333/pypi/py/simple/foo-bar/";
  private static final PackageKey FOO_BAR = new PackageKey("111122223333", "acme", "py", "pypi", "", "foo-bar");

  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  PypiRegistry registry;
  TestingPackages services;
  PackageService packages;
  PublishingService publishing;
  VersionLifecycleService lifecycle;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    services = TestingPackages.over(database, blobs, Clock.systemUTC());
    packages = services.packages();
    publishing = services.publishing();
    lifecycle = services.lifecycle();
    registry = new PypiRegistry(services.formatContext(1024 * 1024));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static String metadata(String name, String version) {
    return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
        + "\nSummary: a test\nRequires-Python: >=3.8\nRequires-Dist: six>=1\nLicense: MIT\n\nLong description\n";
  }

  Path wheel(String fileName, String distInfo, String metadata) throws IOException {
    return wheel(fileName, distInfo, metadata, 0);
  }

  /** A wheel whose code is followed by {@code padding} bytes stored as they are (no compression). */
  Path wheel(String fileName, String distInfo, String metadata, int padding) throws IOException {
    Path file = directory.resolve("in-" + System.nanoTime() + ".whl");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.setLevel(0);
      zip.putNextEntry(new ZipEntry("foo_bar/__init__.py"));
      zip.write("X = 1\n".getBytes(StandardCharsets.UTF_8));
      zip.write(new byte[padding]);
      if (metadata != null) {
        zip.putNextEntry(new ZipEntry(distInfo + "/METADATA"));
        zip.write(metadata.getBytes(StandardCharsets.UTF_8));
      }
      zip.closeEntry();
    }
    return file;
  }

  /** A .tar.gz with the given entries (path, content); paths too long for ustar get pax headers. */
  Path sdist(String... entries) throws IOException {
    return Files.write(directory.resolve("sdist-" + System.nanoTime() + ".tar.gz"), TestingTarballs.tarGz(entries));
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  PypiRegistry.Upload upload(String name, String version, String filetype, String fileName, Path content,
      String sha256) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put(":action", List.of("file_upload"));
    fields.put("protocol_version", List.of("1"));
    fields.put("name", List.of(name));
    fields.put("version", List.of(version));
    fields.put("filetype", List.of(filetype));
    fields.put("pyversion", List.of("py3"));
    fields.put("metadata_version", List.of("2.1"));
    fields.put("summary", List.of("a test"));
    fields.put("requires_python", List.of(">=3.8"));
    fields.put("requires_dist", List.of("six>=1", "attrs"));
    fields.put("sha256_digest", List.of(sha256));
    return new PypiRegistry.Upload(fields, fileName, content);
  }

  PypiRegistry.UploadOutcome uploadWheel(String name, String version, String fileName, String metadata) throws Exception {
    Path file = wheel(fileName, "foo_bar-" + version + ".dist-info", metadata);
    return registry.upload(HERE, upload(name, version, "bdist_wheel", fileName, file, sha256(file)));
  }

  void assertNothingStored() throws IOException {
    try (Stream<Path> files = Files.walk(directory.resolve("blobs"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(registry.project(HERE, "foo-bar")).isEmpty();
  }

  void assertRefused(ThrowingUpload upload, String message) throws IOException {
    assertThatThrownBy(upload::run).isInstanceOf(WharfException.Invalid.class).hasMessageContaining(message);
    assertNothingStored();
  }

  interface ThrowingUpload {
    void run() throws Exception;
  }

  @Test
  void aWheelIsStoredWithItsMetadataAndRendered() throws Exception {
    assertThat(uploadWheel("Foo.Bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("Foo.Bar", "1.0")))
        .isEqualTo(PypiRegistry.UploadOutcome.CREATED);
    PypiRegistry.Project project = registry.project(HERE, "foo-bar").orElseThrow();
    assertThat(project.versions()).containsExactly("1.0");
    assertThat(project.files()).singleElement().satisfies(f -> {
      assertThat(f.fileName()).isEqualTo("foo_bar-1.0-py3-none-any.whl");
      assertThat(f.coreMetadata()).isPresent();
      assertThat(f.requiresPython()).isEqualTo(">=3.8");
    });
    String html = PypiRegistry.html(project, FILES);
    assertThat(html).contains("<a href=\"" + FILES + "foo_bar-1.0-py3-none-any.whl#sha256=",
        "data-requires-python=\"&gt;=3.8\"", "data-core-metadata=\"sha256=", "data-dist-info-metadata=\"sha256=");
    assertThat(PypiRegistry.json(project, FILES)).contains("\"versions\":[\"1.0\"]", "\"size\":", "\"upload-time\":",
        "\"yanked\":false");
    assertThat(registry.file(HERE, "foo-bar", "foo_bar-1.0-py3-none-any.whl.metadata")).isPresent();
    assertThat(registry.projects(HERE)).containsExactly("foo-bar");
  }

  /** The assets of foo-bar's {@code version}, by name. */
  List<String> assetNames(String version) {
    packages.invalidate(FOO_BAR); // written through other services too
    return packages.assets(FOO_BAR, version).stream().map(dev.wharf.packages.PackageAsset::name).sorted().toList();
  }

  @Test
  void aFileRefusedForItsSizeLeavesNothingOfItNotEvenItsCoreMetadata() throws Exception {
    assertThat(uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")))
        .isEqualTo(PypiRegistry.UploadOutcome.CREATED);
    PypiRegistry small = new PypiRegistry(services.formatContext(8 * 1024));
    Path big = wheel("foo_bar-1.0-py2-none-any.whl", "foo_bar-1.0.dist-info", metadata("foo-bar", "1.0"), 16 * 1024);
    assertThatThrownBy(() -> small.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py2-none-any.whl",
        big, sha256(big)))).isInstanceOf(WharfException.TooLarge.class);
    assertThat(assetNames("1.0")).containsExactly("foo_bar-1.0-py3-none-any.whl",
        "foo_bar-1.0-py3-none-any.whl.metadata");
  }

  /**
   * twine uploading a second wheel, the server killed after any write of the store, then twine again: no wheel
   * is ever stored without its core metadata nor the other way round (the page would offer metadata of a file
   * it does not list), and the retry stores both.
   */
  @Test
  void aSecondFileKilledAfterAnyWriteIsStoredWithItsCoreMetadataOrNotAtAll() throws Exception {
    dev.wharf.packages.infrastructure.SqlPackageStore store = new dev.wharf.packages.infrastructure.SqlPackageStore(database);
    boolean survived = false;
    for (int writes = 0; !survived; writes++) {
      String version = "1." + writes;
      uploadWheel("foo-bar", version, "foo_bar-" + version + "-py3-none-any.whl", metadata("foo-bar", version));
      String second = "foo_bar-" + version + "-py2-none-any.whl";
      Path file = wheel(second, "foo_bar-" + version + ".dist-info", metadata("foo-bar", version), 100);
      String sha256 = sha256(file);
      dev.wharf.testing.TestingCrashingStore crashing = dev.wharf.testing.TestingCrashingStore.killedAfter(writes, store);
      PypiRegistry dying = new PypiRegistry(TestingPackages.over(crashing.store(), blobs, Clock.systemUTC())
          .formatContext(1024 * 1024));
      survived = dev.wharf.testing.TestingCrashingStore.survives(() -> dying.upload(HERE,
          upload("foo-bar", version, "bdist_wheel", second, file, sha256)));
      List<String> left = assetNames(version);
      assertThat(left.contains(second + ".metadata")).as("core metadata beside the wheel in %s, killed after %d writes",
          left, writes).isEqualTo(left.contains(second));

      registry.upload(HERE, upload("foo-bar", version, "bdist_wheel", second, file, sha256));
      assertThat(assetNames(version)).contains(second, second + ".metadata");
    }
  }

  @Test
  void theSameFileAgainIsANoOpAnotherFileIsAddedDifferentBytesAreRefused() throws Exception {
    Path file = wheel("foo_bar-1.0-py3-none-any.whl", "foo_bar-1.0.dist-info", metadata("foo-bar", "1.0"));
    registry.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl", file, sha256(file)));
    assertThat(registry.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl", file,
        sha256(file)))).isEqualTo(PypiRegistry.UploadOutcome.UNCHANGED);
    assertThatThrownBy(() -> uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")
        + "changed")).isInstanceOf(WharfException.Invalid.class).hasMessageContaining("File already exists");
    assertThat(uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py2.py3-none-any.whl", metadata("foo-bar", "1.0")))
        .isEqualTo(PypiRegistry.UploadOutcome.CREATED);
    Path sdist = sdist("foo-bar-1.0/setup.py", "from setuptools import setup\n", "foo-bar-1.0/PKG-INFO",
        metadata("foo-bar", "1.0"));
    assertThat(registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", sdist, sha256(sdist))))
        .isEqualTo(PypiRegistry.UploadOutcome.CREATED);
    assertThat(registry.project(HERE, "foo-bar").orElseThrow().files()).extracting(PypiRegistry.IndexFile::fileName)
        .containsExactly("foo-bar-1.0.tar.gz", "foo_bar-1.0-py2.py3-none-any.whl", "foo_bar-1.0-py3-none-any.whl");
  }

  @Test
  void badUploadsAreRefusedAndLeaveNothingStored() throws Exception {
    assertRefused(() -> uploadWheel("other", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")),
        "does not match the project name");
    assertRefused(() -> uploadWheel("foo-bar", "1.1", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")),
        "does not match the version");
    assertRefused(() -> uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("other", "1.0")),
        "METADATA names the project");
    assertRefused(() -> uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "2.0")),
        "METADATA has version");
    assertRefused(() -> uploadWheel("foo-bar", "not-a-version", "foo_bar-not_a_version-py3-none-any.whl",
        metadata("foo-bar", "x")), "PEP 440");
    assertRefused(() -> uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", null), "no .dist-info/METADATA");
    assertRefused(() -> uploadWheel("../foo", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")),
        "Invalid project name");
    assertRefused(() -> uploadWheel("foo-bar", "1.0", "../foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0")),
        "Invalid distribution file name");
    Path file = wheel("foo_bar-1.0-py3-none-any.whl", "foo_bar-1.0.dist-info", metadata("foo-bar", "1.0"));
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl",
        file, "0".repeat(64))), "sha256_digest does not match");
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "bdist_egg", "foo_bar-1.0-py3-none-any.whl",
        file, sha256(file))), "Unsupported filetype");
    Path wrongSdist = sdist("foo-bar-1.0/PKG-INFO", metadata("foo-bar", "1.1"));
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", wrongSdist,
        sha256(wrongSdist))), "PKG-INFO has version");
    Path otherSdist = sdist("foo-bar-1.0/PKG-INFO", metadata("other", "1.0"));
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", otherSdist,
        sha256(otherSdist))), "PKG-INFO names the project");
    Path bareSdist = sdist("foo-bar-1.0/setup.py", "pass\n", "foo-bar-1.0/sub/PKG-INFO", metadata("foo-bar", "1.0"));
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", bareSdist,
        sha256(bareSdist))), "no top-level PKG-INFO");
    Path notZip = directory.resolve("foo_bar-1.0-py3-none-any.whl");
    Files.writeString(notZip, "not a zip");
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl",
        notZip, sha256(notZip))), "not a valid zip");
  }

  @Test
  void unlistedVersionsAreHiddenButFetchableAndArchivedOnesAreNeither() throws Exception {
    uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0"));
    uploadWheel("foo-bar", "2.0", "foo_bar-2.0-py3-none-any.whl", metadata("foo-bar", "2.0"));
    var key = new dev.wharf.packages.PackageKey("111122223333", "acme", "py", "pypi", "", "foo-bar");
    lifecycle.updateStatus(key, "1.0", dev.wharf.packages.VersionStatus.UNLISTED);
    lifecycle.updateStatus(key, "2.0", dev.wharf.packages.VersionStatus.ARCHIVED);
    PypiRegistry.Project project = registry.project(HERE, "foo-bar").orElseThrow();
    assertThat(project.versions()).isEmpty();
    assertThat(project.files()).isEmpty();
    assertThat(registry.file(HERE, "foo-bar", "foo_bar-1.0-py3-none-any.whl")).isPresent();
    assertThat(registry.file(HERE, "foo-bar", "foo_bar-2.0-py3-none-any.whl")).isEmpty();
    assertThat(registry.file(HERE, "foo-bar", "foo_bar-2.0-py3-none-any.whl.metadata")).isEmpty();
    Path another = wheel("x.whl", "foo_bar-2.0.dist-info", metadata("foo-bar", "2.0"));
    assertThatThrownBy(() -> registry.upload(HERE, upload("foo-bar", "2.0", "bdist_wheel",
        "foo_bar-2.0-py2-none-any.whl", another, sha256(another)))).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("Archived");
  }

  @Test
  void aZipBombMetadataIsReadOnlyUpToItsLimit() throws Exception {
    Path bomb = directory.resolve("bomb.whl");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      zip.putNextEntry(new ZipEntry("foo_bar-1.0.dist-info/METADATA"));
      OutputStream out = zip;
      out.write(metadata("foo-bar", "1.0").getBytes(StandardCharsets.UTF_8));
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 64; i++) { // 64 MiB inflated, a few dozen KiB on disk
        out.write(zeros);
      }
      zip.closeEntry();
    }
    assertThat(Files.size(bomb)).isLessThan(1024 * 1024);
    assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl",
        bomb, sha256(bomb))), "METADATA\" declares"); // refused from the central directory, before inflating
  }

  @Test
  void anSdistsPkgInfoUnderAFolderNameTooLongForUstarIsReadFromItsPaxPath() throws Exception {
    Path sdist = sdist("foo-bar-1.0-" + "x".repeat(200) + "/PKG-INFO", metadata("foo-bar", "1.0"));

    assertThat(registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", sdist, sha256(sdist))))
        .isEqualTo(PypiRegistry.UploadOutcome.CREATED);
  }

  @Test
  void anSdistThatIsNotAGzipTarIsTruncatedOrHasAnOversizedPkgInfoIsRefused() throws Exception {
    Path notGzip = Files.writeString(directory.resolve("plain.tar.gz"), "not a tarball");
    Path valid = sdist("foo-bar-1.0/setup.py", "x".repeat(10_000), "foo-bar-1.0/PKG-INFO", metadata("foo-bar", "1.0"));
    Path truncated = Files.write(directory.resolve("truncated.tar.gz"),
        Arrays.copyOf(Files.readAllBytes(valid), (int) Files.size(valid) / 2));
    Path oversized = sdist("foo-bar-1.0/PKG-INFO", metadata("foo-bar", "1.0") + "x".repeat(PypiMetadata.MAX_BYTES));

    for (var refused : Map.of(notGzip, "The sdist is not a gzip-compressed tar archive", truncated,
        "The sdist is damaged: ", oversized, "The sdist's PKG-INFO is larger than 4194304 bytes").entrySet()) {
      assertRefused(() -> registry.upload(HERE, upload("foo-bar", "1.0", "sdist", "foo-bar-1.0.tar.gz", refused.getKey(),
          sha256(refused.getKey()))), refused.getValue());
    }
  }

  @Test
  void blake2DigestsAreVerifiedAndAMismatchStoresNothing() throws Exception {
    Path abc = directory.resolve("abc");
    Files.writeString(abc, "abc");
    // the value Python's hashlib.blake2b(b"abc", digest_size=32) gives, which twine sends
    assertThat(PypiRegistry.digests(abc).blake2b256())
        .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    Path file = wheel("foo_bar-1.0-py3-none-any.whl", "foo_bar-1.0.dist-info", metadata("foo-bar", "1.0"));
    PypiRegistry.Upload wrong = upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl", file, sha256(file));
    wrong.fields().put("blake2_256_digest", List.of("0".repeat(64)));
    assertRefused(() -> registry.upload(HERE, wrong), "blake2_256_digest does not match");
    PypiRegistry.Upload right = upload("foo-bar", "1.0", "bdist_wheel", "foo_bar-1.0-py3-none-any.whl", file, sha256(file));
    right.fields().put("blake2_256_digest", List.of(PypiRegistry.digests(file).blake2b256().toUpperCase(java.util.Locale.ROOT)));
    assertThat(registry.upload(HERE, right)).isEqualTo(PypiRegistry.UploadOutcome.CREATED);
  }

  @Test
  void theVersionDocumentKeepsEveryMetadataFieldTheDependencyApiAndReadmeNeed() throws Exception {
    String metadata = "Metadata-Version: 2.1\nName: foo-bar\nVersion: 1.0\nSummary: from METADATA\n"
        + "Home-page: https://example.org/foo\nLicense: MIT\nRequires-Python: >=3.9\nRequires-Dist: six>=1\n"
        + "Requires-Dist: attrs; extra == 'x'\nProject-URL: Source, https://example.org/src\n"
        + "Description-Content-Type: text/markdown\n\n# Foo\n\nThe readme.\n";
    Path file = wheel("foo_bar-1.0-py3-none-any.whl", "foo_bar-1.0.dist-info", metadata);
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put(":action", List.of("file_upload"));
    fields.put("name", List.of("foo-bar"));
    fields.put("version", List.of("1.0"));
    fields.put("filetype", List.of("bdist_wheel"));
    fields.put("sha256_digest", List.of(sha256(file)));
    registry.upload(HERE, new PypiRegistry.Upload(fields, "foo_bar-1.0-py3-none-any.whl", file));
    var key = new dev.wharf.packages.PackageKey("111122223333", "acme", "py", "pypi", "", "foo-bar");
    var document = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(packages.version(key, "1.0").orElseThrow().metadata());
    assertThat(document.path("requires_dist").toString()).isEqualTo("[\"six>=1\",\"attrs; extra == 'x'\"]");
    assertThat(document.path("requires_python").asText()).isEqualTo(">=3.9");
    assertThat(document.path("license").asText()).isEqualTo("MIT");
    assertThat(document.path("summary").asText()).isEqualTo("from METADATA");
    assertThat(document.path("home_page").asText()).isEqualTo("https://example.org/foo");
    assertThat(document.path("project_urls").toString()).isEqualTo("[\"Source, https://example.org/src\"]");
    assertThat(document.path("description").asText()).isEqualTo("# Foo\n\nThe readme.\n");
    assertThat(document.path("description_content_type").asText()).isEqualTo("text/markdown");

    // what twine sends wins over METADATA: every repeated requires_dist value, and the description
    Path other = wheel("foo_bar-2.0-py3-none-any.whl", "foo_bar-2.0.dist-info", metadata("foo-bar", "2.0"));
    PypiRegistry.Upload upload = upload("foo-bar", "2.0", "bdist_wheel", "foo_bar-2.0-py3-none-any.whl", other, sha256(other));
    upload.fields().put("description", List.of("Form readme"));
    upload.fields().put("license", List.of("Apache-2.0"));
    registry.upload(HERE, upload);
    var second = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(packages.version(key, "2.0").orElseThrow().metadata());
    assertThat(second.path("requires_dist").toString()).isEqualTo("[\"six>=1\",\"attrs\"]");
    assertThat(second.path("description").asText()).isEqualTo("Form readme");
    assertThat(second.path("license").asText()).isEqualTo("Apache-2.0");
  }

  @Test
  void aProjectPageIsRenderedOnceAndRenderedAgainWhenThePackageChanges() throws Exception {
    uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0"));
    RenderedMetadata json = registry.projectPage(HERE, "foo-bar", FILES, true).orElseThrow();
    RenderedMetadata html = registry.projectPage(HERE, "foo-bar", FILES, false).orElseThrow();
    assertThat(registry.projectPage(HERE, "foo-bar", FILES, true).orElseThrow()).isSameAs(json);
    assertThat(registry.projectPage(HERE, "foo-bar", FILES, false).orElseThrow()).isSameAs(html);
    assertThat(new String(html.body(), StandardCharsets.UTF_8)).contains("foo_bar-1.0-py3-none-any.whl#sha256=");
    uploadWheel("foo-bar", "2.0", "foo_bar-2.0-py3-none-any.whl", metadata("foo-bar", "2.0"));
    RenderedMetadata after = registry.projectPage(HERE, "foo-bar", FILES, true).orElseThrow();
    assertThat(after).isNotSameAs(json);
    assertThat(after.etag()).isNotEqualTo(json.etag());
    assertThat(new String(after.body(), StandardCharsets.UTF_8)).contains("foo_bar-2.0-py3-none-any.whl");
    assertThat(registry.projectPage(HERE, "nothing", FILES, true)).isEmpty();
  }

  @Test
  void theRootListsThousandsOfProjectsPageByPage() throws Exception {
    int count = 2 * PypiRegistry.PROJECT_PAGE_SIZE + 345;
    java.util.TreeSet<String> expected = new java.util.TreeSet<>();
    for (int i = 0; i < count; i++) {
      String name = "project-" + i;
      expected.add(name);
      publishing.publish(new PublishingService.Publication(HERE.key("pypi", "", name), "1.0", null, "{}", Map.of(), "INTERNAL"),
          List.of());
    }
    // another format and another repository are not listed
    publishing.publish(new PublishingService.Publication(new dev.wharf.packages.PackageKey("111122223333", "acme", "py",
        "npm", "", "left-pad"), "1.0.0", null, "{}", Map.of(), "INTERNAL"), List.of());
    publishing.publish(new PublishingService.Publication(new RepositoryLocation("111122223333", "acme", "other")
        .key("pypi", "", "elsewhere"), "1.0", null, "{}", Map.of(), "INTERNAL"), List.of());
    List<Integer> pageSizes = new java.util.ArrayList<>();
    List<String> seen = new java.util.ArrayList<>();
    registry.forEachProjectPage(HERE, page -> {
      pageSizes.add(page.size());
      seen.addAll(page);
    });
    assertThat(pageSizes).containsExactly(PypiRegistry.PROJECT_PAGE_SIZE, PypiRegistry.PROJECT_PAGE_SIZE, 345);
    assertThat(seen).containsExactlyElementsOf(expected);
    java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
    registry.writeRoot(HERE, true, "http://x/simple/", json);
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toByteArray());
    assertThat(root.path("meta").path("api-version").asText()).isEqualTo("1.1");
    assertThat(root.path("projects")).hasSize(count);
    java.io.ByteArrayOutputStream html = new java.io.ByteArrayOutputStream();
    registry.writeRoot(HERE, false, "http://x/simple/", html);
    String page = html.toString(StandardCharsets.UTF_8);
    assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
        .contains("<a href=\"http://x/simple/project-2344/\">project-2344</a>").doesNotContain("left-pad", "elsewhere");
    assertThat(page.split("<a href=", -1)).hasSize(count + 1);
  }

  @Test
  void aYankedVersionIsMarkedInBothIndexFormatsAndCanBeUnyanked() throws Exception {
    uploadWheel("foo-bar", "1.0", "foo_bar-1.0-py3-none-any.whl", metadata("foo-bar", "1.0"));
    uploadWheel("foo-bar", "2.0", "foo_bar-2.0-py3-none-any.whl", metadata("foo-bar", "2.0"));
    registry.yank(HERE, "Foo.Bar", "2.0.0", true, "broken \"build\"");
    String html = new String(registry.projectPage(HERE, "foo-bar", FILES, false).orElseThrow().body(), StandardCharsets.UTF_8);
    assertThat(html).contains("data-yanked=\"broken &quot;build&quot;\">foo_bar-2.0-py3-none-any.whl")
        .doesNotContain("data-yanked=\"broken &quot;build&quot;\">foo_bar-1.0");
    String json = new String(registry.projectPage(HERE, "foo-bar", FILES, true).orElseThrow().body(), StandardCharsets.UTF_8);
    assertThat(json).contains("\"yanked\":\"broken \\\"build\\\"\"", "\"yanked\":false");
    registry.yank(HERE, "foo-bar", "2.0", true, null);
    assertThat(new String(registry.projectPage(HERE, "foo-bar", FILES, true).orElseThrow().body(), StandardCharsets.UTF_8))
        .contains("\"yanked\":true");
    assertThat(new String(registry.projectPage(HERE, "foo-bar", FILES, false).orElseThrow().body(), StandardCharsets.UTF_8))
        .contains("data-yanked=\"\">foo_bar-2.0");
    registry.yank(HERE, "foo-bar", "2.0", false, null);
    assertThat(new String(registry.projectPage(HERE, "foo-bar", FILES, false).orElseThrow().body(), StandardCharsets.UTF_8))
        .doesNotContain("data-yanked");
    assertThat(packages.version(HERE.key("pypi", "", "foo-bar"), "2.0").orElseThrow().metadata()).doesNotContain("yanked")
        .contains("\"requires_dist\"");
    assertThatThrownBy(() -> registry.yank(HERE, "foo-bar", "3.0", true, null))
        .isInstanceOf(WharfException.NotFound.class);
    assertThatThrownBy(() -> registry.yank(HERE, "foo-bar", "2.0", true, "x".repeat(1001)))
        .isInstanceOf(WharfException.Invalid.class);
  }

  @Test
  void metadataHeadersAreParsedWithContinuationsAndRepeats() {
    PypiMetadata parsed = PypiMetadata.parse(("Name: x\nRequires-Dist: a\nRequires-Dist: b; extra == 'c'\n"
        + "License: line one\n        line two\n\nBody: not a header\n").getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.all("requires-dist")).containsExactly("a", "b; extra == 'c'");
    assertThat(parsed.first("License")).hasValue("line one\nline two");
    assertThat(parsed.first("Body")).isEmpty();
  }

  @Test
  void theRootListsEveryRepositoryOfTheUpstreamGraphOnceAcrossStorePages() {
    // here → [up1, up2]; up1 → [up2]. Names overlap across pages of PROJECT_PAGE_SIZE.
    Map<String, List<String>> graph = Map.of("py", List.of("up1", "up2"), "up1", List.of("up2"));
    PypiRegistry through = new PypiRegistry(services.formatContext(1024 * 1024,
        (owner, domain, repository) -> graph.getOrDefault(repository, List.of())));
    int size = PypiRegistry.PROJECT_PAGE_SIZE;
    java.util.Set<String> expected = new java.util.TreeSet<>();
    for (int i = 0; i < size + 10; i++) {
      String here = String.format("p%05d", i * 2); // even names
      String up1 = String.format("p%05d", i * 3); // overlaps the even ones every sixth
      seed("py", here);
      seed("up1", up1);
      expected.add(here);
      expected.add(up1);
    }
    seed("up2", "p00000");
    seed("up2", "zz-only-in-up2");
    expected.add("zz-only-in-up2");
    List<String> pages = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    through.forEachProjectPage(HERE, page -> {
      pages.addAll(page);
      sizes.add(page.size());
    });
    assertThat(pages).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sizes).allMatch(n -> n <= size);
    assertThat(pages.subList(0, size + 10)).as("the repository's own names first, in order").isSorted();
    assertThat(registry.projects(HERE)).as("without upstreams: only its own").hasSize(size + 10);
  }

  void seed(String repository, String name) {
    publishing.publish(new PublishingService.Publication(new PackageKey("111122223333", "acme", repository, "pypi", "", name),
        "1.0", null, "{}", Map.of(), "INTERNAL"), List.of());
  }

  /** What a format is built with, over this test's package services (no upstreams) and a size limit. */
}
