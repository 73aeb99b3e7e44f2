package dev.wharf.format.npm;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A real dependency tree that no one here wrote: the full closure of express 4.21.2 as the public
 * npm registry resolves it, fetched with {@code npm pack} into {@code test-data/npm-tree/} (ignored
 * by git, reused by later runs), published into Wharf with the real {@code npm publish}, then
 * installed from Wharf alone with {@code npm install} and again with {@code npm ci} from the
 * lockfile and an empty cache. Every integrity hash in Wharf's lockfile must be the one the public
 * registry gave, so Wharf served the very bytes the authors published.
 *
 * <p>Skipped (or failed when WHARF_REQUIRE_CLIENTS=1) when npm is absent or the public registry is
 * unreachable.
 */
class NpmRealTreeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PUBLIC_REGISTRY = "https://registry.npmjs.org/";
  private static final String ROOT_PACKAGE = "express";
  private static final String ROOT_VERSION = "4.21.2";
  private static final int MINIMUM_TREE = 50;
  private static final int PARALLEL_PUBLISHES = 3;
  /** Passed through to npm when set: the CA bundle and proxies this machine needs to reach the public registry. */
  private static final List<String> NETWORK_ENVIRONMENT = List.of("NODE_EXTRA_CA_CERTS", "HTTPS_PROXY", "https_proxy",
      "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy");
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final TestingNpm npm = TestingNpm.npm().config("loglevel", "warn").config("fetch_retries", "1")
      .inherit(NETWORK_ENVIRONMENT).timeout(TIMEOUT);

  @TempDir static Path scratch;
  static Path cache;
  /** name@version → the sha512 integrity the public registry gave, for every package of the tree. */
  static Map<String, String> tree;
  /** The public lockfile's entries by location, without {@code resolved}: what npm learned from each packument. */
  static Map<String, JsonNode> publicLock;
  static TestingServer wharf;
  static String endpoint;
  static String token;
  static AwsBasicCredentials developer;

  @BeforeAll
  static void fetchTheTreeAndPublishItIntoWharf() throws IOException {
    TestingClients.requireCommand("npm", "--version");
    TestingClients.requireCommand("node", "--version");
    cache = projectRoot().resolve("test-data").resolve("npm-tree");
    Files.createDirectories(cache.resolve("tarballs"));

    long started = System.nanoTime();
    Path publicHome = home("public", "registry=" + PUBLIC_REGISTRY + "\n");
    var ping = npm.run(publicHome, scratch, "ping", "--fetch-timeout=20000");
    if (ping.exitCode() != 0) {
      TestingClients.missing("the npm registry " + PUBLIC_REGISTRY + " (npm ping: " + firstError(ping.stderr()) + ")");
    }
    tree = resolveTree(publicHome);
    assertThat(tree).as("packages in the %s@%s tree", ROOT_PACKAGE, ROOT_VERSION).hasSizeGreaterThanOrEqualTo(MINIMUM_TREE);
    fetchTarballs(publicHome);
    log("fetched %d packages from the public registry in %s", tree.size(), since(started));

    started = System.nanoTime();
    wharf = TestingServer.start(scratch.resolve("data"));
    IamClient rootIam = wharf.iam(wharf.rootCredentials());
    CodeartifactClient rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    String account = wharf.managementAccountId();
    rootCodeartifact.createDomain(b -> b.domain("acme"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("tree"));
    developer = TestingIam.user(rootIam, "dev", "developer", TestingIam.DEVELOPER);
    token = wharf.codeartifact(developer)
        .getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
    endpoint = wharf.endpoint() + "/acme-" + account + "/npm/tree/";
    publishEverything();
    log("published %d packages into Wharf in %s", tree.size(), since(started));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void theTreeInstallsFromWharfAloneWithTheIntegrityThePublicRegistryGave() throws IOException {
    Path project = scratch.resolve("project");
    write(project.resolve("package.json"), "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
        + "\"dependencies\":{\"" + ROOT_PACKAGE + "\":\"" + ROOT_VERSION + "\"}}\n");
    Path installer = wharfHome("installer");

    long started = System.nanoTime();
    npm.runOk(installer, project, "install", "--ignore-scripts");
    log("npm install from Wharf: %s", since(started));
    Map<String, String> installed = lockedIntegrities(project.resolve("package-lock.json"), endpoint);
    assertThat(installed.keySet()).as("the tree installed from Wharf").containsExactlyInAnyOrderElementsOf(tree.keySet());
    assertThat(installed).as("lockfile integrity from Wharf vs the public registry").isEqualTo(tree);
    // dependencies, bin, engines, license, funding...: Wharf's packuments told npm what the public ones did
    assertThat(lockedEntries(project.resolve("package-lock.json"))).as("lockfile entries from Wharf vs the public registry")
        .isEqualTo(publicLock);

    deleteRecursively(project.resolve("node_modules"));
    deleteRecursively(installer.resolve("npm-cache"));
    started = System.nanoTime();
    npm.runOk(installer, project, "ci", "--ignore-scripts");
    log("npm ci from Wharf with an empty cache: %s", since(started));
    assertThat(lockedIntegrities(project.resolve("package-lock.json"), endpoint)).isEqualTo(tree);

    var node = TestingProcesses.run(project, TestingProcesses.cleanEnvironment(null), TIMEOUT, List.of("node", "-e", """
        const express = require('express');
        const app = express();
        app.get('/', (request, response) => response.json({ hello: 'wharf' }));
        const server = app.listen(0, '127.0.0.1', async () => {
          const answer = await fetch('http://127.0.0.1:' + server.address().port + '/');
          console.log(require('express/package.json').version + ' ' + JSON.stringify(await answer.json()));
          server.close();
        });
        """));
    assertThat(node.exitCode()).as(node.describe()).isZero();
    assertThat(node.stdout().trim()).isEqualTo(ROOT_VERSION + " {\"hello\":\"wharf\"}");
  }

  @Test
  void everyPublishedVersionIsListedInTheCodeArtifactApi() {
    CodeartifactClient api = wharf.codeartifact(developer);
    List<String> listed = new ArrayList<>();
    api.listPackagesPaginator(b -> b.domain("acme").repository("tree").format(PackageFormat.NPM)).packages()
        .forEach(summary -> api.listPackageVersionsPaginator(b -> b.domain("acme").repository("tree")
                .format(PackageFormat.NPM).packageValue(summary.packageValue())
                .namespace(summary.namespace()))
            .versions().forEach(version -> listed.add(
                (summary.namespace() == null ? "" : "@" + summary.namespace() + "/") + summary.packageValue() + "@"
                    + version.version() + " " + version.statusAsString())));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(tree.keySet().stream().map(spec -> spec + " Published").toList());
  }

  // ---------------------------------------------------------------- the tree from the public registry

  /** Resolves the tree with a lockfile only (kept in the cache, so later runs see the same tree). */
  private static Map<String, String> resolveTree(Path publicHome) throws IOException {
    Path resolver = cache.resolve("resolve");
    write(resolver.resolve("package.json"), "{\"name\":\"wharf-real-tree\",\"version\":\"1.0.0\",\"private\":true,"
        + "\"dependencies\":{\"" + ROOT_PACKAGE + "\":\"" + ROOT_VERSION + "\"}}\n");
    npm.runOk(publicHome, resolver, "install", "--package-lock-only", "--ignore-scripts");
    publicLock = lockedEntries(resolver.resolve("package-lock.json"));
    return lockedIntegrities(resolver.resolve("package-lock.json"), PUBLIC_REGISTRY);
  }

  /** A lockfile's package entries by location (the root project left out), without {@code resolved}. */
  private static Map<String, JsonNode> lockedEntries(Path lockfile) throws IOException {
    Map<String, JsonNode> entries = new TreeMap<>();
    JSON.readTree(lockfile.toFile()).path("packages").properties().forEach(entry -> {
      if (!entry.getKey().isEmpty()) {
        ObjectNode locked = entry.getValue().deepCopy();
        locked.remove("resolved");
        entries.put(entry.getKey(), locked);
      }
    });
    return entries;
  }

  /**
   * name@version → integrity for every package in a lockfile, checking that each was resolved from
   * the given registry and has a sha512 integrity.
   */
  private static Map<String, String> lockedIntegrities(Path lockfile, String registry) throws IOException {
    JsonNode packages = JSON.readTree(lockfile.toFile()).path("packages");
    Map<String, String> integrities = new TreeMap<>();
    packages.properties().forEach(entry -> {
      String location = entry.getKey();
      JsonNode locked = entry.getValue();
      if (location.isEmpty() || locked.path("link").asBoolean()) {
        return;
      }
      String name = locked.has("name") ? locked.path("name").asText()
          : location.substring(location.lastIndexOf("node_modules/") + "node_modules/".length());
      String spec = name + "@" + locked.path("version").asText();
      assertThat(locked.path("resolved").asText()).as("resolved of %s", spec).startsWith(registry);
      assertThat(locked.path("integrity").asText()).as("integrity of %s", spec).startsWith("sha512-");
      String previous = integrities.put(spec, locked.path("integrity").asText());
      assertThat(previous == null || previous.equals(locked.path("integrity").asText()))
          .as("one integrity for %s", spec).isTrue();
    });
    return integrities;
  }

  /** {@code npm pack}s, in one call, every package not cached yet (or cached with other bytes). */
  private static void fetchTarballs(Path publicHome) {
    List<String> missing = new ArrayList<>();
    tree.forEach((spec, integrity) -> {
      Path tarball = tarball(spec);
      if (Files.exists(tarball) && !integrity.equals(sha512(tarball))) {
        deleteRecursively(tarball);
      }
      if (!Files.exists(tarball)) {
        missing.add(spec);
      }
    });
    if (!missing.isEmpty()) {
      log("npm pack of %d packages not cached yet", missing.size());
      List<String> arguments = new ArrayList<>(List.of("pack", "--ignore-scripts", "--pack-destination",
          cache.resolve("tarballs").toString()));
      arguments.addAll(missing);
      npm.runOk(publicHome, scratch, arguments.toArray(String[]::new));
    }
    tree.forEach((spec, integrity) ->
        assertThat(sha512(tarball(spec))).as("the cached tarball of %s", spec).isEqualTo(integrity));
  }

  /** Where npm pack puts name@version: {@code name-version.tgz}, {@code scope-name-version.tgz} when scoped. */
  private static Path tarball(String spec) {
    int at = spec.lastIndexOf('@');
    String name = spec.substring(0, at).replaceFirst("^@", "").replace('/', '-');
    return cache.resolve("tarballs").resolve(name + "-" + spec.substring(at + 1) + ".tgz");
  }

  // ---------------------------------------------------------------- publishing into Wharf

  /**
   * {@code npm publish <tarball>} for every package, a few names at a time; the versions of one name
   * in ascending order, as their authors published them.
   */
  private static void publishEverything() {
    Map<String, List<String>> versionsByName = new TreeMap<>();
    tree.keySet().forEach(spec -> {
      int at = spec.lastIndexOf('@');
      versionsByName.computeIfAbsent(spec.substring(0, at), n -> new ArrayList<>()).add(spec.substring(at + 1));
    });
    Path publisher = wharfHome("publisher");
    ExecutorService executor = Executors.newFixedThreadPool(PARALLEL_PUBLISHES);
    try {
      List<Future<?>> publishes = new ArrayList<>();
      versionsByName.forEach((name, versions) -> publishes.add(executor.submit(() -> versions.stream()
          .sorted(NpmRealTreeIT::compareVersions)
          .forEach(version -> npm.runOk(publisher, scratch, "publish", tarball(name + "@" + version).toString(),
              "--ignore-scripts", "--registry", endpoint)))));
      for (Future<?> publish : publishes) {
        publish.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      executor.shutdownNow();
    }
  }

  /** Semantic versions by precedence (numeric core, then a release above its pre-releases). */
  static int compareVersions(String left, String right) {
    String[] a = left.split("[-+]", 2);
    String[] b = right.split("[-+]", 2);
    Comparator<String> core = Comparator.comparing((String v) -> Stream.of(v.split("\\.")).mapToLong(Long::parseLong)
        .toArray(), java.util.Arrays::compare);
    int byCore = core.compare(a[0], b[0]);
    if (byCore != 0) {
      return byCore;
    }
    boolean aRelease = !left.contains("-");
    boolean bRelease = !right.contains("-");
    return aRelease == bRelease ? left.compareTo(right) : aRelease ? 1 : -1;
  }

  // ---------------------------------------------------------------- npm in isolation

  /** A home for npm with this userconfig and an empty global config (the machine's ~/.npmrc never applies). */
  private static Path home(String name, String npmrc) {
    Path dir = scratch.resolve("home-" + name);
    write(dir.resolve(".npmrc"), npmrc);
    write(dir.resolve("global-npmrc"), "");
    return dir;
  }

  /** A home whose npm reads and publishes through Wharf with the token, as {@code wharf login --tool npm} writes it. */
  private static Path wharfHome(String name) {
    return TestingNpm.npmrc(scratch.resolve("home-" + name), endpoint, token);
  }

  // ---------------------------------------------------------------- files

  private static Path projectRoot() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  private static String sha512(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-512"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return "sha512-" + Base64.getEncoder().encodeToString(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }



  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** npm's reason for failing ("request to ... failed, reason: ..."), or its first error line. */
  private static String firstError(String stderr) {
    List<String> errors = stderr.lines().filter(line -> line.startsWith("npm error ")
        && !line.matches("npm error (code|errno|syscall) .*") && !line.contains("complete log"))
        .map(line -> line.substring("npm error ".length()).strip()).toList();
    return errors.stream().filter(line -> line.contains("reason:")).findFirst()
        .or(() -> errors.stream().findFirst()).orElse("exit code without a message");
  }

  private static String since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() / 100 / 10.0 + " s";
  }

  private static void log(String format, Object... arguments) {
    System.err.println("[NpmRealTreeIT] " + String.format(format, arguments));
  }
}
