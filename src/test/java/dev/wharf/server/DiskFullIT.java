package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wharf.crypto.Sha256;
import dev.wharf.format.RepositoryPath;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.format.pypi.PypiUploadIT;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingPostgresDatabase;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingTmpfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;

/**
 * A server whose blob store and database sit on a small file system that fills up (a tmpfs the test mounts, so it
 * runs as root, as CI does; otherwise it is skipped, or fails under WHARF_REQUIRE_CLIENTS=1). Publishes are answered
 * 507 Insufficient Storage in each protocol's error shape, nothing is half-stored, reads go on, the log holds one
 * warning line per store without a stack trace, and the same server publishes again once space is freed.
 */
class DiskFullIT {
  private static final int DISK_MEGABYTES = 16;

  @TempDir Path scratch;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void captureLogs() {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void publishesToAFullDiskAre507InEachProtocolsShapeReadsGoOnAndTheNextPublishSucceedsOnceSpaceIsFreed()
      throws Exception {
    try (TestingTmpfs disk = TestingTmpfs.mount(scratch.resolve("disk"), DISK_MEGABYTES);
        TestingServer wharf = TestingServer.start(disk.root().resolve("data"))) {
      Packages packages = Packages.create(wharf);
      packages.publishEveryFormat("1.0");
      checkpointAndTruncateTheLog(disk.root().resolve("data").resolve("wharf.db"));
      disk.fill();
      int logged = logs.list.size();

      String files = "its disk is full";
      packages.assertEveryFormatRefused("2.0", files);
      assertRefusedByTheApis(wharf, "its database's disk is full");
      assertNothingHalfStoredAndReadsGoOn(wharf, packages);
      assertThat(ready(wharf)).isEqualTo("{\"status\":\"ready\",\"database\":\"full\",\"blobStore\":\"full\"}");
      assertOneWarningPerStoreAndNoStackTrace(logged, 2);
      String metrics = TestingHttp.text(TestingHttp.send("GET", wharf.endpoint() + "/metrics", null, null));
      assertThat(metrics).contains("disk_free_bytes{store=\"data\"} 0.0")
          .containsPattern("(?m)^wharf_requests_seconds_count\\{[^}]*format=\"npm\"[^}]*status=\"507\"\\} 1$");

      disk.free();
      packages.publishEveryFormat("2.0");
      packages.assertEveryFormatServes("2.0");
      wharf.codeartifact(wharf.rootCredentials()).createRepository(b -> b.domain("acme").repository("after"));
      wharf.iam(wharf.rootCredentials()).createUser(b -> b.userName("after"));
    }
  }

  @Test
  void aFullDatabaseDiskIs507ForEveryPublishAndNoVersionIsVisibleUntilSpaceIsFreed() throws Exception {
    try (TestingTmpfs disk = TestingTmpfs.mount(scratch.resolve("database"), DISK_MEGABYTES);
        TestingServer wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(),
            Map.of("WHARF_DATABASE_URL", "jdbc:sqlite:" + disk.root().resolve("wharf.db")))) {
      Packages packages = Packages.create(wharf);
      packages.publishEveryFormat("1.0");
      checkpointAndTruncateTheLog(disk.root().resolve("wharf.db"));
      disk.fill();
      int logged = logs.list.size();

      // the files reach the blob store (on a disk with room): the metadata that would reference them cannot
      packages.assertEveryFormatRefused("2.0", "its database's disk is full");
      assertRefusedByTheApis(wharf, "its database's disk is full");
      assertNothingHalfStoredAndReadsGoOn(wharf, packages);
      assertThat(ready(wharf)).isEqualTo("{\"status\":\"ready\",\"database\":\"full\",\"blobStore\":\"ok\"}");
      assertOneWarningPerStoreAndNoStackTrace(logged, 1);

      disk.free();
      packages.publishEveryFormat("2.0");
      packages.assertEveryFormatServes("2.0");
    }
  }

  @Test
  void aPostgresqlTablespaceThatFillsUpAnswers507AndRecoversOnceSpaceIsFreed() throws Exception {
    try (TestingTmpfs disk = TestingTmpfs.mount(scratch.resolve("tablespace"), DISK_MEGABYTES);
        TestingPostgresDatabase database = TestingPostgresDatabase.create("wharf_full_")) {
      // PostgreSQL's server (user postgres) reaches its tablespace through the test's private directory
      Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
      Path location = disk.root().resolve("pg");
      try {
        disk.directoryOwnedBy("pg", "postgres");
        database.placeTablesIn(location);
      } catch (UncheckedIOException | SQLException e) {
        TestingClients.missing("a PostgreSQL server on this machine, running as user postgres, for a tablespace on "
            + location + " (" + e.getMessage() + ")");
      }
      TestingServer wharf = database.startServer(scratch.resolve("data")); // closed with the database
      Packages packages = Packages.create(wharf);
      packages.publishEveryFormat("1.0");
      disk.fill();
      int logged = logs.list.size();

      // PostgreSQL fills the free room left in pages it already has before it needs a page it cannot get
      String refused = null;
      for (int i = 0; i < 300 && refused == null; i++) {
        String version = "2.0." + i;
        Answer answer = packages.npm(version);
        assertThat(answer.status()).as(version + ": " + answer.body()).isIn(201, 507);
        if (answer.status() == 507) {
          assertThat(answer.body()).startsWith("{\"error\":").contains("its database's disk is full");
          refused = version;
        }
      }
      assertThat(refused).as("a publish refused before 300 fitted in " + DISK_MEGABYTES + " MiB").isNotNull();
      String refusedVersion = refused;
      assertThat(packages.versions(PackageFormat.NPM, null, "kept")).doesNotContain(refusedVersion);
      assertThat(packages.get("npm", "kept/-/kept-" + refusedVersion + ".tgz").statusCode()).isEqualTo(404);
      packages.assertEveryFormatServes("1.0");
      assertThat(ready(wharf)).isEqualTo("{\"status\":\"ready\",\"database\":\"full\",\"blobStore\":\"ok\"}");
      assertOneWarningPerStoreAndNoStackTrace(logged, 1);

      disk.free();
      assertThat(packages.npm(refusedVersion).status()).isEqualTo(201);
      assertThat(packages.get("npm", "kept/-/kept-" + refusedVersion + ".tgz").statusCode()).isEqualTo(200);
      packages.publishEveryFormat("3.0");
    }
  }

  /** A write of each AWS protocol that touches only the database: 507 in CodeArtifact's JSON and in IAM's XML. */
  private static void assertRefusedByTheApis(TestingServer wharf, String message) {
    try {
      wharf.codeartifact(wharf.rootCredentials()).createRepository(b -> b.domain("acme").repository("during"));
      throw new AssertionError("CreateRepository succeeded on a full disk");
    } catch (AwsServiceException e) {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(507);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerException");
      assertThat(e.awsErrorDetails().errorMessage()).contains(message);
    }
    try {
      wharf.iam(wharf.rootCredentials()).createUser(b -> b.userName("during"));
      throw new AssertionError("CreateUser succeeded on a full disk");
    } catch (AwsServiceException e) {
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(507);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
      assertThat(e.awsErrorDetails().errorMessage()).contains(message);
    }
  }

  /** What was published before is served; what was refused is nowhere; no temporary file is left. */
  private static void assertNothingHalfStoredAndReadsGoOn(TestingServer wharf, Packages packages) throws IOException {
    packages.assertEveryFormatServes("1.0");
    assertThat(packages.versions(PackageFormat.NPM, null, "kept")).containsExactly("1.0.0");
    assertThat(packages.versions(PackageFormat.PYPI, null, "tiny")).containsExactly("1.0");
    assertThat(packages.versions(PackageFormat.MAVEN, "com.example", "kept")).containsExactly("1.0");
    assertThat(packages.versions(PackageFormat.GENERIC, "site", "kept")).containsExactly("1.0");
    assertThat(packages.get("npm", "kept/-/kept-2.0.0.tgz").statusCode()).isEqualTo(404);
    assertThat(TestingHttp.text(packages.get("pypi", "simple/tiny/"))).doesNotContain("tiny-2.0");
    assertThat(packages.get("maven", "com/example/kept/2.0/kept-2.0.jar").statusCode()).isEqualTo(404);
    Path data = wharf.dataDirectory();
    for (Path temporary : List.of(data.resolve("tmp"), data.resolve("blobs").resolve("tmp"))) {
      if (Files.isDirectory(temporary)) {
        try (Stream<Path> files = Files.list(temporary)) {
          assertThat(files).as("left in " + temporary).isEmpty();
        }
      }
    }
  }

  /**
   * From {@code from} on: one warning per full store; nothing logged with a stack trace, no error line, and no warning
   * repeated (each kind, by its logger and its first words, once in these few seconds).
   */
  private void assertOneWarningPerStoreAndNoStackTrace(int from, int stores) {
    List<ILoggingEvent> logged;
    synchronized (logs) { // server threads append under the appender's lock (AppenderBase.doAppend)
      logged = List.copyOf(logs.list.subList(from, logs.list.size()));
    }
    assertThat(logged).as("log lines").noneMatch(event -> event.getThrowableProxy() != null)
        .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    List<ILoggingEvent> warnings = logged.stream().filter(event -> event.getLevel() == Level.WARN).toList();
    assertThat(warnings).filteredOn(event -> event.getFormattedMessage().contains(" is full; "))
        .extracting(ILoggingEvent::getFormattedMessage).hasSize(stores)
        .allMatch(line -> line.contains("writes are answered 507 until space is freed, reads go on"));
    Map<String, Long> kinds = warnings.stream().collect(Collectors.groupingBy(event -> event.getLoggerName() + ": "
        + event.getFormattedMessage().split("[:;(]", 2)[0].replaceAll("[0-9]+", "N"), Collectors.counting()));
    assertThat(kinds).as("warnings by kind").allSatisfy((kind, count) -> assertThat(count).as(kind).isEqualTo(1));
  }

  private static String ready(TestingServer wharf) {
    HttpResponse<byte[]> ready = TestingHttp.send("GET", wharf.endpoint() + "/health/ready", null, null);
    assertThat(ready.statusCode()).as("a full disk still serves reads: ready").isEqualTo(200);
    return TestingHttp.text(ready);
  }

  /**
   * Moves what SQLite's write-ahead log holds into the database file and truncates the log, so that the next write
   * needs new room on the disk (a log with room left from earlier writes would take a few more).
   */
  private static void checkpointAndTruncateTheLog(Path database) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
      while (true) {
        try (ResultSet result = connection.createStatement().executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          if (result.next() && result.getInt(1) == 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("the log checkpointed while the server writes").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }

  /** A status, a content type and a body, of a package client's request or an API call. */
  private record Answer(int status, String contentType, String body) {
    static Answer of(HttpResponse<byte[]> response) {
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          TestingHttp.text(response));
    }
  }

  /** A repository of domain acme and the packages published to it: npm kept, PyPI tiny, Maven and generic kept. */
  private record Packages(TestingServer wharf, CodeartifactClient api, String token) {
    static Packages create(TestingServer wharf) {
      CodeartifactClient api = wharf.codeartifact(wharf.rootCredentials());
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("app"));
      return new Packages(wharf, api, api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken());
    }

    String endpoint(String format) {
      return RepositoryPath.endpoint(wharf.endpoint().toString(), "acme", wharf.managementAccountId(), format, "app");
    }

    HttpResponse<byte[]> get(String format, String path) {
      return TestingHttp.send("GET", endpoint(format) + path, null, "Bearer " + token);
    }

    Answer npm(String version) {
      return Answer.of(TestingHttp.send("PUT", endpoint("npm") + "kept", NpmTestingPackages.publishBody("kept", version)
          .getBytes(StandardCharsets.UTF_8), "Bearer " + token, "Content-Type", "application/json"));
    }

    Answer pypi(String version) {
      try {
        return Answer.of(TestingHttp.send("POST", endpoint("pypi"), PypiUploadIT.form(PypiUploadIT.wheel(10, version),
            Map.of("version", version)), "Bearer " + token, "Content-Type",
            "multipart/form-data; boundary=" + PypiUploadIT.BOUNDARY));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** The POM, then the jar (a Maven version is published once it has both); the first refusal, if any. */
    Answer maven(String version) {
      String folder = endpoint("maven") + "com/example/kept/" + version + "/kept-" + version;
      Answer pom = Answer.of(TestingHttp.send("PUT", folder + ".pom", ("<project><modelVersion>4.0.0</modelVersion>"
          + "<groupId>com.example</groupId><artifactId>kept</artifactId><version>" + version + "</version></project>")
          .getBytes(StandardCharsets.UTF_8), "Bearer " + token));
      return pom.status() != 201 ? pom : Answer.of(TestingHttp.send("PUT", folder + ".jar", jar(version),
          "Bearer " + token));
    }

    Answer generic(String version) {
      byte[] content = genericContent(version).getBytes(StandardCharsets.UTF_8);
      try {
        api.publishPackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
            .namespace("site").packageValue("kept").packageVersion(version).assetName("kept.txt")
            .assetSHA256(Sha256.hex(content)), RequestBody.fromBytes(content));
        return new Answer(200, "application/json", "");
      } catch (AwsServiceException e) {
        return new Answer(e.statusCode(), e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
      }
    }

    static byte[] jar(String version) {
      return ("a jar of kept " + version).getBytes(StandardCharsets.UTF_8);
    }

    static String genericContent(String version) {
      return "generic kept " + version;
    }

    void publishEveryFormat(String version) {
      assertThat(npm(version + ".0").status()).isEqualTo(201);
      assertThat(pypi(version).status()).isEqualTo(200);
      assertThat(maven(version).status()).isEqualTo(201);
      assertThat(generic(version).status()).isEqualTo(200);
    }

    /** 507 in each format's shape: npm's JSON, plain text for PyPI and Maven, CodeArtifact's JSON error. */
    void assertEveryFormatRefused(String version, String message) {
      Answer npm = npm(version + ".0");
      assertThat(npm.status()).as(npm.body()).isEqualTo(507);
      assertThat(npm.contentType()).startsWith("application/json");
      assertThat(npm.body()).startsWith("{\"error\":").contains(message);
      for (Answer text : List.of(pypi(version), maven(version))) {
        assertThat(text.status()).as(text.body()).isEqualTo(507);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.body()).contains(message);
      }
      Answer api = generic(version);
      assertThat(api.status()).as(api.body()).isEqualTo(507);
      assertThat(api.contentType()).as("error code").isEqualTo("InternalServerException");
      assertThat(api.body()).contains(message);
    }

    void assertEveryFormatServes(String version) {
      HttpResponse<byte[]> tarball = get("npm", "kept/-/kept-" + version + ".0.tgz");
      assertThat(tarball.statusCode()).isEqualTo(200);
      assertThat(TestingHttp.text(get("npm", "kept"))).contains("\"" + version + ".0\"");
      assertThat(get("pypi", "simple/tiny/tiny-" + version + "-py3-none-any.whl").statusCode()).isEqualTo(200);
      assertThat(get("maven", "com/example/kept/" + version + "/kept-" + version + ".jar").body())
          .isEqualTo(jar(version));
      byte[] asset = api.getPackageVersionAsset(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
          .namespace("site").packageValue("kept").packageVersion(version).asset("kept.txt"),
          ResponseTransformer.toBytes()).asByteArray();
      assertThat(new String(asset, StandardCharsets.UTF_8)).isEqualTo(genericContent(version));
    }

    List<String> versions(PackageFormat format, String namespace, String name) {
      return api.listPackageVersions(b -> b.domain("acme").repository("app").format(format).namespace(namespace)
          .packageValue(name)).versions().stream().map(PackageVersionSummary::version).toList();
    }
  }
}
