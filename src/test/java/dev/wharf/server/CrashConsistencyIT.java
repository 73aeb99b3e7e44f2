package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.blob.BlobCollector;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.crypto.Sha256;
import dev.wharf.format.npm.NpmTestingPackages;
import dev.wharf.format.pypi.PypiUploadIT;
import dev.wharf.packages.infrastructure.SqlBlobReferences;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingLogCapture;
import dev.wharf.testing.TestingPostgresDatabase;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AssetSummary;
import software.amazon.awssdk.services.codeartifact.model.HashAlgorithm;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageSummary;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;

/**
 * {@code ./wharf server} killed with SIGKILL at random moments while npm, PyPI and Maven publishes are in
 * flight, and restarted on the same data directory, on SQLite and on PostgreSQL. 200 publishes, sent the way
 * each client sends them (npm: one PUT of a packument with its tarball attached; twine: one multipart POST per
 * file, two wheels a version; Maven: PUTs of the jar, the POM, their checksums and maven-metadata.xml), from
 * several clients at once. A publish a kill interrupted is sent again in the next round, or (one in three)
 * abandoned, as a client that never comes back. Afterwards, through the API and the format's own documents:
 *
 * <ul>
 *   <li>every version is whole (Published, every file with its content, listed by the format's index) or
 *       absent; the only states in between are the ones a format has by design (a Maven version Unfinished
 *       until its deploy ends, a PyPI version with the files uploaded so far), never a file without its
 *       companion (a wheel without its core metadata) nor a Maven version whose POM is stored but not read;
 *   <li>every package has the origin configuration a published package gets (publish ALLOW, upstream BLOCK);
 *   <li>every asset's blob is in the blob folder with the SHA-256 the API lists, and downloads with it;
 *   <li>the blob collector (run with a clock past the grace period) removes exactly the blobs no asset
 *       references (those of interrupted publishes, and one planted as such), and temporary files of
 *       interrupted uploads go once aged;
 *   <li>a token issued before the kills still verifies, one revoked before them is refused cleanly, and the
 *       audit trail reads whole, from before the first kill to after the last.
 * </ul>
 *
 * <p>The plan, kill moments and abandonments come from one seed, printed at the start and with any failure;
 * {@code -Dwharf.crash.seed=N} (or WHARF_CRASH_SEED) replays it (thread timing aside).
 */
class CrashConsistencyIT {
  private static final int PUBLISHES = 200;
  private static final int KILLS = 2;
  private static final int CLIENTS = 12;
  private static final String DOMAIN = "acme";
  private static final String REPOSITORY = "app";
  private static final String MAVEN_GROUP = "com.example.crash";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path scratch;

  @Test
  void publishesKilledMidFlightOnSqliteLeaveEveryVersionWholeOrAbsentAndEveryBlobAccountedFor() throws Exception {
    new Crashes(seed(), scratch, Map.of()).run();
  }

  @Test
  void publishesKilledMidFlightOnPostgresqlLeaveEveryVersionWholeOrAbsentAndEveryBlobAccountedFor() throws Exception {
    try (TestingPostgresDatabase database = TestingPostgresDatabase.create("crash")) {
      new Crashes(seed(), scratch, Map.of("WHARF_DATABASE_URL", database.url())).run();
    }
  }

  private static long seed() {
    String given = System.getProperty("wharf.crash.seed", System.getenv("WHARF_CRASH_SEED"));
    long seed = given != null ? Long.parseLong(given) : new SecureRandom().nextLong();
    System.out.println("CrashConsistencyIT: seed " + seed + " (replay with -Dwharf.crash.seed=" + seed + ")");
    return seed;
  }

  // ---------------------------------------------------------------- what is published

  /** How a publish ended in one attempt. */
  private enum Outcome { DONE, INTERRUPTED, REFUSED }

  /** One request of a publish, relative to its format's repository endpoint. */
  private record Step(String method, String path, String contentType, byte[] body) {}

  /** What the API shows of one version: its status, its assets (name → SHA-256) and its summary. */
  private record Found(String status, Map<String, String> assets, String summary) {}

  /** One publish of the plan: a version of a package, sent as its client sends it. */
  private abstract static class Publish {
    final int index;
    final String name;
    final String version;
    int attempts;
    boolean abandoned;

    Publish(int index, String name, String version) {
      this.index = index;
      this.name = name;
      this.version = version;
    }

    abstract PackageFormat format();

    /** The namespace the API names the package with (null when the format has none). */
    String namespace() {
      return null;
    }

    abstract List<Step> steps();

    /** The version's files when it is whole: asset name → content. */
    abstract Map<String, byte[]> files();

    /** Whether {@code status} is a refusal that still means done (a retry of what a lost answer had done). */
    boolean retryRefusal(int status, String body) {
      return false;
    }

    /** What is wrong with the version as found, in a state its client may leave it (null: nothing). */
    String problem(Found found) {
      if (found == null) {
        return abandoned ? null : "absent, though its publish was answered";
      }
      String wrong = wrongContent(found);
      if (wrong != null) {
        return wrong;
      }
      if (isWhole(found)) {
        return null;
      }
      return abandoned && isAllowedPart(found) ? null : "not whole: " + found;
    }

    boolean isWhole(Found found) {
      return "Published".equals(found.status()) && found.assets().keySet().equals(files().keySet());
    }

    /** A state between absent and whole that the format has by design. */
    boolean isAllowedPart(Found found) {
      return false;
    }

    /** An asset the version should not have, or with other content than was sent. */
    String wrongContent(Found found) {
      for (Map.Entry<String, String> asset : found.assets().entrySet()) {
        byte[] sent = files().get(asset.getKey());
        if (sent == null) {
          return "an asset that was never sent: " + asset.getKey();
        }
        if (!Sha256.hex(sent).equals(asset.getValue())) {
          return "asset " + asset.getKey() + " has SHA-256 " + asset.getValue() + ", not that of what was sent";
        }
      }
      return null;
    }

    String describe() {
      return "#" + index + " " + format() + " " + (namespace() == null ? "" : namespace() + ":") + name + "@" + version
          + " (attempts " + attempts + (abandoned ? ", abandoned" : "") + ")";
    }
  }

  private static final class NpmPublish extends Publish {
    final byte[] tarball;

    NpmPublish(int index, String name, String version, int size, Random random) {
      super(index, name, version);
      this.tarball = NpmTestingPackages.tarball(NpmTestingPackages.packageJson(name, version),
          "// " + text(size, random) + "\nmodule.exports = 1;\n");
    }

    @Override
    PackageFormat format() {
      return PackageFormat.NPM;
    }

    @Override
    List<Step> steps() {
      return List.of(new Step("PUT", name, "application/json",
          NpmTestingPackages.publishBody(name, version, tarball).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    Map<String, byte[]> files() {
      return Map.of("package.tgz", tarball);
    }

    @Override
    boolean retryRefusal(int status, String body) {
      return attempts > 1 && status == 403 && body.contains("cannot publish over");
    }
  }

  private static final class PypiPublish extends Publish {
    final List<String> tags = List.of("py3", "py2");
    final Map<String, byte[]> wheels = new LinkedHashMap<>();
    final Map<String, byte[]> files = new LinkedHashMap<>();

    PypiPublish(int index, String name, String version, int size) throws IOException {
      super(index, name, version);
      for (String tag : tags) {
        byte[] wheel = PypiUploadIT.wheel(name, size + tag.length(), version);
        String file = name + "-" + version + "-" + tag + "-none-any.whl";
        wheels.put(tag, wheel);
        files.put(file, wheel);
        files.put(file + ".metadata", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }

    @Override
    PackageFormat format() {
      return PackageFormat.PYPI;
    }

    @Override
    List<Step> steps() {
      List<Step> steps = new ArrayList<>();
      wheels.forEach((tag, wheel) -> {
        try {
          steps.add(new Step("POST", "", "multipart/form-data; boundary=" + PypiUploadIT.BOUNDARY,
              PypiUploadIT.form(wheel, Map.of("name", name, "version", version, "pyversion", tag))));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      return steps;
    }

    @Override
    Map<String, byte[]> files() {
      return files;
    }

    /** twine uploads one file after the other: the version with its first wheel (and its metadata) is a release. */
    @Override
    boolean isAllowedPart(Found found) {
      List<String> names = new ArrayList<>(files.keySet());
      return "Published".equals(found.status()) && found.assets().keySet().equals(Set.of(names.get(0), names.get(1)));
    }
  }

  private static final class MavenPublish extends Publish {
    final byte[] jar;
    final byte[] pom;
    final String description;

    MavenPublish(int index, String artifactId, String version, int size, Random random) {
      super(index, artifactId, version);
      this.jar = new byte[size];
      random.nextBytes(jar);
      this.description = artifactId + " " + version + " of the crash test";
      this.pom = ("<project><modelVersion>4.0.0</modelVersion><groupId>" + MAVEN_GROUP + "</groupId><artifactId>"
          + artifactId + "</artifactId><version>" + version + "</version><packaging>jar</packaging><description>"
          + description + "</description></project>").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    PackageFormat format() {
      return PackageFormat.MAVEN;
    }

    @Override
    String namespace() {
      return MAVEN_GROUP;
    }

    /** As Maven's deploy sends them: each file and its checksum, then the artifact's maven-metadata.xml. */
    @Override
    List<Step> steps() {
      String artifact = MAVEN_GROUP.replace('.', '/') + "/" + name + "/";
      String base = artifact + version + "/" + name + "-" + version;
      byte[] metadata = ("<metadata><groupId>" + MAVEN_GROUP + "</groupId><artifactId>" + name
          + "</artifactId><versioning><release>" + version + "</release><versions><version>" + version
          + "</version></versions></versioning></metadata>").getBytes(StandardCharsets.UTF_8);
      return List.of(
          new Step("PUT", base + ".jar", "application/java-archive", jar),
          new Step("PUT", base + ".jar.sha1", "text/plain", sha1(jar).getBytes(StandardCharsets.UTF_8)),
          new Step("PUT", base + ".pom", "application/xml", pom),
          new Step("PUT", base + ".pom.sha1", "text/plain", sha1(pom).getBytes(StandardCharsets.UTF_8)),
          new Step("PUT", artifact + "maven-metadata.xml", "application/xml", metadata));
    }

    @Override
    Map<String, byte[]> files() {
      return Map.of(name + "-" + version + ".jar", jar, name + "-" + version + ".pom", pom);
    }

    @Override
    String problem(Found found) {
      String problem = super.problem(found);
      if (problem == null && found != null && found.assets().containsKey(name + "-" + version + ".pom")
          && !description.equals(found.summary())) {
        return "its POM is stored but the version does not say what it says (summary " + found.summary() + ")";
      }
      return problem;
    }

    /** A deploy that stopped part-way leaves the version Unfinished with the files sent so far. */
    @Override
    boolean isAllowedPart(Found found) {
      return "Unfinished".equals(found.status()) && !found.assets().isEmpty();
    }
  }

  private static String text(int size, Random random) {
    StringBuilder text = new StringBuilder(size);
    for (int i = 0; i < size; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  private static String sha1(byte[] content) {
    return NpmTestingPackages.sha1(content);
  }

  // ---------------------------------------------------------------- the run

  private static final class Crashes {
    private final long seed;
    private final Random random;
    private final Path data;
    private final TestingLauncher launcher;
    private final Map<String, String> environment;
    private final int port;
    private final URI endpoint;
    private final List<Publish> plan = new ArrayList<>();
    private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    private String account;
    private AwsCredentials root;
    private String token;
    private String tokenId;
    private String revokedToken;
    private String revokedTokenId;
    private Instant started;
    private List<Path> leftovers = List.of();

    Crashes(long seed, Path scratch, Map<String, String> environment) throws IOException {
      this.seed = seed;
      this.random = new Random(seed);
      this.data = scratch.resolve("data");
      this.environment = environment;
      this.launcher = TestingLauncher.create(scratch.resolve("home")).with(environment);
      try (ServerSocket socket = new ServerSocket(0)) {
        this.port = socket.getLocalPort();
      }
      this.endpoint = URI.create("http://127.0.0.1:" + port);
      plan();
    }

    /** 200 publishes over a few packages of each format, in an order and with sizes the seed decides. */
    private void plan() throws IOException {
      Map<String, Integer> versions = new HashMap<>();
      for (int i = 0; i < PUBLISHES; i++) {
        int kind = random.nextInt(3);
        // from 1 KiB to 256 KiB, evenly over the logarithm: mostly small, some large enough to be cut mid-body
        int size = (int) Math.exp(Math.log(1024) + random.nextDouble() * Math.log(256));
        String name = switch (kind) {
          case 0 -> "crash-npm-" + random.nextInt(6);
          case 1 -> "crashpy" + random.nextInt(4);
          default -> "lib" + random.nextInt(4);
        };
        String version = "1.0." + versions.merge(name, 1, Integer::sum);
        plan.add(switch (kind) {
          case 0 -> new NpmPublish(i, name, version, size, random);
          case 1 -> new PypiPublish(i, name, version, size);
          default -> new MavenPublish(i, name, version, size, random);
        });
      }
    }

    void run() throws Exception {
      try {
        started = Instant.now();
        ConcurrentLinkedDeque<Publish> pending = new ConcurrentLinkedDeque<>(plan);
        List<Integer> inFlightAtKills = new ArrayList<>();
        for (int round = 0; round <= KILLS; round++) {
          boolean last = round == KILLS;
          try (TestingLauncher.Running server = launcher.start("server", "--data", data.toString(), "--port",
              Integer.toString(port), "--bind", "127.0.0.1")) {
            long roundStarted = System.nanoTime();
            server.awaitLine(line -> line.contains("Wharf ready"), Duration.ofSeconds(120));
            long ready = System.nanoTime();
            assertThat(server.isJvm()).as("the launcher execs the JVM, so SIGKILL reaches the server itself").isTrue();
            if (round == 0) {
              setUp();
            }
            int share = pending.size() / (KILLS - round + 1);
            int killAfter = last ? -1 : share / 2 + random.nextInt(Math.max(1, share / 2));
            List<Publish> interrupted = publish(pending, killAfter, server, inFlightAtKills);
            long published = System.nanoTime();
            System.out.printf("CrashConsistencyIT: round %d: ready after %d ms, publishing for %d ms, %s%n", round,
                (ready - roundStarted) / 1_000_000, (published - ready) / 1_000_000,
                last ? "no kill" : "killed with " + inFlightAtKills.getLast() + " in flight, " + interrupted.size()
                    + " interrupted");
            assertThat(refusals).as("publishes refused").isEmpty();
            if (last) {
              assertThat(interrupted).as("publishes interrupted without a kill").isEmpty();
              assertThat(pending).isEmpty();
              check();
              System.out.printf("CrashConsistencyIT: checks took %d ms%n", (System.nanoTime() - published) / 1_000_000);
            } else {
              // In plan order, so that a seed decides the same way whatever order the threads finished in.
              interrupted.sort(Comparator.comparingInt(p -> p.index));
              for (Publish publish : interrupted) {
                publish.abandoned = random.nextInt(3) == 0;
                if (!publish.abandoned) {
                  pending.addFirst(publish);
                }
              }
            }
          }
          if (round == KILLS - 1) {
            leftovers = leaveAnHourBeforeTheLastStart();
          }
        }
        System.out.println("CrashConsistencyIT: seed " + seed + ", publishes in flight at each kill " + inFlightAtKills
            + ", abandoned " + plan.stream().filter(p -> p.abandoned).count() + ", took "
            + Duration.between(started, Instant.now()).toMillis() + " ms");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay with -Dwharf.crash.seed=" + seed + "): " + e.getMessage(), e);
      }
    }

    /** The domain and repository, a token kept for after the kills and one revoked before them. */
    private void setUp() {
      root = TestingServer.credentialsFile(data.resolve("credentials"));
      try (CodeartifactClient api = TestingServer.codeartifact(endpoint, root)) {
        account = api.createDomain(b -> b.domain(DOMAIN)).domain().owner();
        api.createRepository(b -> b.domain(DOMAIN).repository(REPOSITORY));
        token = api.getAuthorizationToken(b -> b.domain(DOMAIN)).authorizationToken();
        revokedToken = api.getAuthorizationToken(b -> b.domain(DOMAIN)).authorizationToken();
      }
      TestingLogCapture.noteSecret(token);
      TestingLogCapture.noteSecret(revokedToken);
      tokenId = repositoryEndpoint(token).path("tokenId").asText();
      revokedTokenId = repositoryEndpoint(revokedToken).path("tokenId").asText();
      assertThat(tokenId).isNotBlank().isNotEqualTo(revokedTokenId);
      TestingSigner.Response revoked = wharfAction("Action=RevokeAuthorizationToken&TokenId=" + revokedTokenId);
      assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    }

    /**
     * Publishes from {@link #CLIENTS} clients at once until the plan is done or, after {@code killAfter} publishes
     * were answered and a moment more, kills the server. Returns the publishes the kill interrupted; those not
     * started stay pending.
     */
    private List<Publish> publish(ConcurrentLinkedDeque<Publish> pending, int killAfter, TestingLauncher.Running server,
        List<Integer> inFlightAtKills) throws Exception {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      AtomicInteger answered = new AtomicInteger();
      AtomicBoolean stopping = new AtomicBoolean();
      CountDownLatch killMoment = new CountDownLatch(1);
      Set<Publish> inFlight = ConcurrentHashMap.newKeySet();
      List<Publish> interrupted = Collections.synchronizedList(new ArrayList<>());
      long pause = random.nextInt(40);
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        for (int i = 0; i < CLIENTS; i++) {
          clients.submit(() -> {
            while (!stopping.get()) {
              Publish publish = pending.pollFirst();
              if (publish == null) {
                return;
              }
              inFlight.add(publish);
              Outcome outcome = send(http, publish);
              inFlight.remove(publish);
              switch (outcome) {
                case DONE -> {
                  if (answered.incrementAndGet() == killAfter) {
                    killMoment.countDown();
                  }
                }
                case INTERRUPTED -> interrupted.add(publish);
                case REFUSED -> { }
              }
            }
          });
        }
        if (killAfter > 0) {
          assertThat(killMoment.await(3, TimeUnit.MINUTES)).as("%d publishes answered; refused: %s", answered.get(),
              refusals).isTrue();
          // The kill moment: the count above plus up to 40 ms, so that it lands anywhere in the publishes in flight.
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
          stopping.set(true);
          inFlightAtKills.add(inFlight.size());
          server.kill(Duration.ofSeconds(30));
        }
      }
      return new ArrayList<>(interrupted);
    }

    private Outcome send(HttpClient http, Publish publish) {
      publish.attempts++;
      String authorization = publish.format() == PackageFormat.NPM ? "Bearer " + token
          : "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
      for (Step step : publish.steps()) {
        HttpResponse<String> response;
        try {
          response = http.send(HttpRequest.newBuilder(URI.create(formatEndpoint(publish.format()) + step.path()))
              .method(step.method(), HttpRequest.BodyPublishers.ofByteArray(step.body()))
              .header("Authorization", authorization).header("Content-Type", step.contentType())
              .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException cut) {
          return Outcome.INTERRUPTED;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Outcome.INTERRUPTED;
        }
        if (response.statusCode() / 100 != 2 && !publish.retryRefusal(response.statusCode(), response.body())) {
          refusals.add(publish.describe() + ": " + step.method() + " " + step.path() + " -> " + response.statusCode() + " "
              + response.body());
          return Outcome.REFUSED;
        }
      }
      return Outcome.DONE;
    }

    /**
     * Before the last start: one more of each thing a kill leaves, so that none is missing whatever the kills
     * hit (a blob stored whose version was never committed, an upload spooled in data/tmp, a blob half-written
     * in blobs/tmp), and every temporary file the kills left made an hour older, as if the restart came later.
     * Returns the temporary files, which the start must remove.
     */
    private List<Path> leaveAnHourBeforeTheLastStart() throws IOException {
      byte[] content = ("an orphan planted by the crash test, seed " + seed).getBytes(StandardCharsets.UTF_8);
      try (FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"))) {
        blobs.put(new ByteArrayInputStream(content), content.length, null);
      }
      Files.createDirectories(data.resolve("tmp"));
      Files.write(data.resolve("tmp").resolve("npm-publish-planted.tgz"), content);
      Files.write(data.resolve("blobs").resolve("tmp").resolve("planted.tmp"), content);
      List<Path> temporary = new ArrayList<>(temporaryFiles(data.resolve("tmp")));
      temporary.addAll(temporaryFiles(data.resolve("blobs").resolve("tmp")));
      java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.from(
          Instant.now().minus(FileBlobStore.TEMPORARY_FILE_MAX_AGE).minusSeconds(60));
      for (Path file : temporary) {
        Files.setLastModifiedTime(file, hourAgo);
      }
      return temporary;
    }

    // ---------------------------------------------------------------- the checks

    private void check() throws Exception {
      try (CodeartifactClient api = TestingServer.codeartifact(endpoint, root);
          ExecutorService clients = Executors.newFixedThreadPool(4)) {
        Map<String, Publish> byVersion = new HashMap<>();
        plan.forEach(p -> byVersion.put(versionKey(p.format(), p.namespace(), p.name, p.version), p));
        // every version the API shows, by package, with its assets
        Map<String, Found> found = new ConcurrentSkipListMap<>();
        List<Future<String>> reads = new ArrayList<>();
        Set<PackageSummary> packages = new HashSet<>();
        api.listPackagesPaginator(b -> b.domain(DOMAIN).repository(REPOSITORY)).packages().forEach(packages::add);
        List<String> problems = new ArrayList<>();
        for (PackageSummary summary : packages) {
          if (summary.originConfiguration() == null
              || !"ALLOW".equals(summary.originConfiguration().restrictions().publishAsString())
              || !"BLOCK".equals(summary.originConfiguration().restrictions().upstreamAsString())) {
            problems.add(summary.formatAsString() + " " + summary.packageValue() + " has origin configuration "
                + summary.originConfiguration() + ", not publish ALLOW, upstream BLOCK");
          }
          for (PackageVersionSummary version : api.listPackageVersionsPaginator(b -> b.domain(DOMAIN)
              .repository(REPOSITORY).format(summary.format()).namespace(summary.namespace())
              .packageValue(summary.packageValue())).versions()) {
            reads.add(clients.submit(() -> {
              Map<String, String> assets = new TreeMap<>();
              for (AssetSummary asset : api.listPackageVersionAssetsPaginator(b -> b.domain(DOMAIN)
                  .repository(REPOSITORY).format(summary.format()).namespace(summary.namespace())
                  .packageValue(summary.packageValue()).packageVersion(version.version())).assets()) {
                assets.put(asset.name(), asset.hashes().get(HashAlgorithm.SHA_256));
              }
              String description = summary.format() == PackageFormat.MAVEN ? api.describePackageVersion(b -> b
                  .domain(DOMAIN).repository(REPOSITORY).format(summary.format()).namespace(summary.namespace())
                  .packageValue(summary.packageValue()).packageVersion(version.version())).packageVersion().summary()
                  : null;
              found.put(versionKey(summary.format(), summary.namespace(), summary.packageValue(), version.version()),
                  new Found(version.statusAsString(), assets, description));
              return null;
            }));
          }
        }
        for (Future<String> read : reads) {
          read.get();
        }
        for (String key : found.keySet()) {
          if (!byVersion.containsKey(key)) {
            problems.add("a version nobody published: " + key + " " + found.get(key));
          }
        }
        for (Publish publish : plan) {
          Found version = found.get(versionKey(publish.format(), publish.namespace(), publish.name, publish.version));
          String problem = publish.problem(version);
          if (problem != null) {
            problems.add(publish.describe() + ": " + problem);
          }
        }
        problems.addAll(formatDocuments(found));
        assertThat(problems).as("versions that are neither whole nor absent").isEmpty();

        Set<String> referenced = new TreeSet<>();
        found.values().forEach(v -> referenced.addAll(v.assets().values()));
        Map<String, String> stored = storedBlobs();
        assertThat(stored).as("blobs whose file is not the content its name says").allSatisfy(
            (name, actual) -> assertThat(actual).isEqualTo(name));
        assertThat(stored.keySet()).as("every referenced blob is stored").containsAll(referenced);

        assertThat(leftovers).as("temporary files of interrupted uploads, older than an hour at the start")
            .hasSizeGreaterThanOrEqualTo(2).noneMatch(Files::exists);

        Set<String> orphans = new TreeSet<>(stored.keySet());
        orphans.removeAll(referenced);
        assertThat(orphans).as("at least the planted orphan").isNotEmpty();
        BlobCollector.Result collected = collectAsIfAfterTheGracePeriod();
        assertThat(collected.deleted()).as("orphans collected of " + orphans).isEqualTo(orphans.size());
        assertThat(storedBlobs().keySet()).as("what the collector left").isEqualTo(referenced);

        // every asset of a version that may be downloaded (not an Unfinished one) still downloads with the hash
        // the API lists, after the collection
        List<Future<String>> downloads = new ArrayList<>();
        found.forEach((key, version) -> version.assets().forEach((asset, sha256) -> {
          if ("Unfinished".equals(version.status())) {
            return;
          }
          String[] parts = key.split("\n", -1);
          downloads.add(clients.submit(() -> {
            byte[] content = api.getPackageVersionAssetAsBytes(b -> b.domain(DOMAIN).repository(REPOSITORY)
                .format(parts[0]).namespace(parts[1].isEmpty() ? null : parts[1]).packageValue(parts[2])
                .packageVersion(parts[3]).asset(asset)).asByteArray();
            return Sha256.hex(content).equals(sha256) ? null
                : asset + " of " + key.replace('\n', ' ') + " downloads with another SHA-256";
          }));
        }));
        for (Future<String> download : downloads) {
          assertThat(download.get()).isNull();
        }
        checkTokensAndAudit();
        checkDatabase();
        System.out.println("CrashConsistencyIT: " + found.size() + " versions, " + referenced.size() + " blobs referenced, "
            + orphans.size() + " orphans collected (one planted), " + leftovers.size()
            + " temporary files removed at the start (two planted)");
      }
    }

    /** The npm packuments, PyPI project pages and maven-metadata.xml files agree with the API's versions. */
    private List<String> formatDocuments(Map<String, Found> found) throws Exception {
      List<String> problems = new ArrayList<>();
      Map<String, Map<String, Found>> byPackage = new TreeMap<>();
      found.forEach((key, version) -> byPackage.computeIfAbsent(key.substring(0, key.lastIndexOf('\n')),
          k -> new TreeMap<>()).put(key.substring(key.lastIndexOf('\n') + 1), version));
      HttpClient http = HttpClient.newHttpClient();
      String basic = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
      for (Map.Entry<String, Map<String, Found>> entry : byPackage.entrySet()) {
        String[] parts = entry.getKey().split("\n", -1);
        PackageFormat format = PackageFormat.fromValue(parts[0]);
        String name = parts[2];
        Map<String, Found> published = new TreeMap<>();
        entry.getValue().forEach((version, f) -> {
          if ("Published".equals(f.status())) {
            published.put(version, f);
          }
        });
        switch (format) {
          case NPM -> {
            HttpResponse<String> response = get(http, formatEndpoint(format) + name, "Bearer " + token, null);
            JsonNode packument = JSON.readTree(response.body());
            Set<String> listed = new TreeSet<>();
            packument.path("versions").fieldNames().forEachRemaining(listed::add);
            if (!listed.equals(published.keySet())) {
              problems.add("npm " + name + ": the packument lists " + listed + ", the API Published " + published.keySet());
            }
            String latest = packument.path("dist-tags").path("latest").asText();
            if (!listed.isEmpty() && !listed.contains(latest)) {
              problems.add("npm " + name + ": latest is " + latest + ", not a listed version");
            }
            published.forEach((version, f) -> {
              String shasum = packument.path("versions").path(version).path("dist").path("shasum").asText();
              String tarball = f.assets().get("package.tgz");
              Publish publish = plan.stream().filter(p -> p.format() == format && p.name.equals(name)
                  && p.version.equals(version)).findFirst().orElseThrow();
              if (tarball == null || !shasum.equals(sha1(publish.files().get("package.tgz")))) {
                problems.add("npm " + name + "@" + version + ": the packument's shasum " + shasum
                    + " is not the stored tarball's");
              }
            });
          }
          case PYPI -> {
            HttpResponse<String> response = get(http, formatEndpoint(format) + "simple/" + name + "/", basic,
                "application/vnd.pypi.simple.v1+json");
            Map<String, String> listed = new TreeMap<>();
            Map<String, String> metadata = new TreeMap<>();
            if (response.statusCode() == 200) {
              for (JsonNode file : JSON.readTree(response.body()).path("files")) {
                listed.put(file.path("filename").asText(), file.path("hashes").path("sha256").asText());
                metadata.put(file.path("filename").asText(), file.path("core-metadata").path("sha256").asText());
              }
            }
            Map<String, String> wheels = new TreeMap<>();
            Map<String, String> cores = new TreeMap<>();
            published.values().forEach(f -> f.assets().forEach((asset, sha256) -> {
              if (asset.endsWith(".whl")) {
                wheels.put(asset, sha256);
              } else {
                cores.put(asset.substring(0, asset.length() - ".metadata".length()), sha256);
              }
            }));
            if (!listed.equals(wheels) || !metadata.equals(cores)) {
              problems.add("pypi " + name + ": the project page lists " + listed + " with core metadata " + metadata
                  + ", the API's Published versions have " + wheels + " with " + cores);
            }
          }
          case MAVEN -> {
            HttpResponse<String> response = get(http, formatEndpoint(format) + MAVEN_GROUP.replace('.', '/') + "/" + name
                + "/maven-metadata.xml", basic, null);
            Set<String> listed = new TreeSet<>();
            Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(response.body());
            while (response.statusCode() == 200 && version.find()) {
              listed.add(version.group(1));
            }
            if (!listed.equals(published.keySet())) {
              problems.add("maven " + name + ": maven-metadata.xml lists " + listed + ", the API Published "
                  + published.keySet());
            }
          }
          default -> problems.add("a package of an unexpected format: " + entry.getKey());
        }
      }
      return problems;
    }

    /**
     * The token issued before the kills still verifies and the one revoked before them is refused as any
     * invalid token is; the audit trail reads whole, page by page, from the domain's creation on.
     */
    private void checkTokensAndAudit() throws Exception {
      assertThat(repositoryEndpoint(token).path("tokenId").asText()).isEqualTo(tokenId);
      HttpResponse<String> refused = get(HttpClient.newHttpClient(), formatEndpoint(PackageFormat.NPM), "Bearer "
          + revokedToken, null);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(JSON.readTree(refused.body()).path("error").asText()).isNotBlank();
      List<String> listed = wharfAction("Action=ListAuthorizationTokens").members("TokenId").stream()
          .map(m -> m.get("TokenId")).toList();
      assertThat(listed).contains(tokenId).doesNotContain(revokedTokenId);

      List<Map<String, String>> events = new ArrayList<>();
      String next = null;
      do {
        TestingSigner.Response page = wharfAction("Action=LookupAuditEvents&MaxResults=1000&Since="
            + URLEncoder.encode(started.minusSeconds(60).toString(), StandardCharsets.UTF_8)
            + (next == null ? "" : "&NextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        events.addAll(page.members("EventId", "Time", "Action", "Outcome"));
        next = page.xmlText("NextToken").orElse(null);
      } while (next != null);
      assertThat(events).allSatisfy(event -> {
        assertThat(event.get("EventId")).isNotBlank();
        assertThat(Instant.parse(event.get("Time"))).isAfter(started.minusSeconds(60));
        assertThat(event.get("Action")).contains(":");
        assertThat(event.get("Outcome")).isIn("allowed", "denied", "failed");
      });
      assertThat(events).extracting(e -> e.get("Action")).contains("codeartifact:CreateDomain",
          "wharf:RevokeAuthorizationToken", "codeartifact:PublishPackageVersion");
      assertThat(events).extracting(e -> e.get("EventId")).doesNotHaveDuplicates();
    }

    /** SQLite's own check of its file after the kills (PostgreSQL keeps its files itself). */
    private void checkDatabase() throws Exception {
      if (environment.containsKey("WHARF_DATABASE_URL")) {
        return;
      }
      try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("wharf.db"));
          ResultSet result = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo("ok");
      }
    }

    /** The server's collector over the same storage, with a clock past the default grace period. */
    private BlobCollector.Result collectAsIfAfterTheGracePeriod() throws IOException {
      Clock later = Clock.offset(Clock.systemUTC(), BlobCollector.DEFAULT_GRACE_PERIOD.plusHours(1));
      String url = environment.getOrDefault("WHARF_DATABASE_URL", "jdbc:sqlite:" + data.resolve("wharf.db"));
      Database database = Database.open(url);
      try (FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"), later)) {
        return new BlobCollector(blobs, new SqlBlobReferences(database), BlobCollector.DEFAULT_GRACE_PERIOD, later)
            .collect();
      } finally {
        database.close();
      }
    }

    /** Every blob file under blobs/ab/cd/: its name → the SHA-256 of its content. */
    private Map<String, String> storedBlobs() throws IOException {
      Map<String, String> blobs = new TreeMap<>();
      try (Stream<Path> files = Files.walk(data.resolve("blobs"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          if (file.getParent().getFileName().toString().equals("tmp")) {
            continue;
          }
          blobs.put(file.getFileName().toString(), Sha256.hex(Files.readAllBytes(file)));
        }
      }
      return blobs;
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
      if (!Files.isDirectory(directory)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(directory)) {
        return files.filter(Files::isRegularFile).toList();
      }
    }

    private String formatEndpoint(PackageFormat format) {
      return endpoint + "/" + DOMAIN + "-" + account + "/" + format.toString().toLowerCase(java.util.Locale.ROOT) + "/"
          + REPOSITORY + "/";
    }

    /** What the repository endpoint says of a token (its id among it). */
    private JsonNode repositoryEndpoint(String bearer) {
      try {
        HttpResponse<String> response = get(HttpClient.newHttpClient(), formatEndpoint(PackageFormat.NPM),
            "Bearer " + bearer, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private TestingSigner.Response wharfAction(String form) {
      return new TestingSigner(endpoint, Clock.systemUTC()).form("Version=2026-11-25&" + form).signed(root, "wharf");
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization, String accept)
        throws IOException {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
          .timeout(Duration.ofSeconds(30));
      if (accept != null) {
        request.header("Accept", accept);
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    private static String versionKey(PackageFormat format, String namespace, String name, String version) {
      return format.toString() + "\n" + (namespace == null ? "" : namespace) + "\n" + name + "\n" + version;
    }
  }
}
