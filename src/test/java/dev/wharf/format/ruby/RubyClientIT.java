package dev.wharf.format.ruby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * The real gem and bundler against Wharf as their only source: gems built by RubyGems from real
 * sources (the gems Ruby bundles, unpacked by Debian: test-unit with power_assert, rss with rexml,
 * minitest, rake) and gems of the test's own that depend on them and on each other are pushed with
 * {@code gem push} and {@code GEM_HOST_API_KEY="Bearer TOKEN"}; {@code gem install} (the token in the
 * source URL) and {@code bundle install} (the token in {@code BUNDLE_<HOST>}) resolve and install
 * them; {@code gem yank} takes a version out of reach; bad pushes are refused with nothing stored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RubyClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Path BUNDLED = Path.of("/usr/lib/ruby/gems/3.1.0");
  private static final List<String> REAL_GEMS = List.of("power_assert-2.0.1", "test-unit-3.5.3", "rexml-3.2.5",
      "rss-0.2.9", "minitest-5.15.0", "rake-13.0.6");
  /** Builds each installed gem of ARGV[1..] again from its files, into ARGV[0], as gem build would. */
  private static final String REBUILD = """
      require "rubygems/package"
      out = ARGV.shift
      ARGV.each do |full|
        spec = Gem::Specification.load(File.join("%s", "specifications", full + ".gemspec"))
        Dir.chdir(File.join("%s", "gems", full)) do
          spec.files = Dir.glob("**/*", File::FNM_DOTMATCH).select { |f| File.file?(f) }
          Gem::Package.build(spec, true, false, File.join(out, spec.file_name))
        end
      end
      """.formatted(BUNDLED, BUNDLED);

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;
  static Map<String, String> environment;
  static Path gems;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("gem", "--version");
    TestingClients.requireCommand("bundle", "--version");
    if (!Files.isDirectory(BUNDLED.resolve("gems").resolve("test-unit-3.5.3"))) {
      TestingClients.missing("Ruby 3.1's bundled gems (apt-get install ruby-full)");
    }
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("gems"));
    AwsBasicCredentials developer = TestingIam.user(wharf.iam(wharf.rootCredentials()), "dev", "developer",
        TestingIam.DEVELOPER);
    token = wharf.codeartifact(developer).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
    environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", TestingFiles.directory(scratch, "home").toString());
    environment.put("GEM_HOME", TestingFiles.directory(scratch, "gem-home").toString());
    environment.put("GEM_PATH", environment.get("GEM_HOME"));
    gems = TestingFiles.directory(scratch, "built");
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint() {
    return wharf.endpoint() + "/acme-" + account + "/ruby/gems/";
  }

  /** The endpoint with the token as Basic credentials in it, as CodeArtifact's Ruby docs set sources. */
  static String sourceWithToken() {
    return endpoint().replace("://", "://aws:" + token + "@");
  }

  static TestingProcesses.Result run(Path directory, Map<String, String> extra, String... command) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.putAll(extra);
    return TestingProcesses.run(directory, env, TIMEOUT, List.of(command));
  }

  static TestingProcesses.Result push(Path gem) {
    return run(gems, Map.of("GEM_HOST_API_KEY", "Bearer " + token), "gem", "push", gem.toString(), "--host", endpoint());
  }

  /** A gem of the test's own: name, version, dependencies ("name", "requirement"...) and a module. */
  static Path ownGem(String name, String version, String... dependencies) throws IOException {
    return platformGem(name, version, "ruby", dependencies);
  }

  static Path platformGem(String name, String version, String platform, String... dependencies) throws IOException {
    Path dir = TestingFiles.directory(scratch, name + "-" + version + "-" + platform);
    String module = "Wharf" + name.substring("wharf-".length()).substring(0, 1).toUpperCase()
        + name.substring("wharf-".length() + 1);
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib").resolve(name.replace('-', '_') + ".rb"),
        "module " + module + "\n  def self.hello\n    \"" + name + " " + version + "\"\n  end\nend\n");
    StringBuilder spec = new StringBuilder("""
        Gem::Specification.new do |s|
          s.name = "%s"
          s.version = "%s"
          s.summary = "%s, a gem of Wharf's tests"
          s.authors = ["Wharf"]
          s.license = "MIT"
          s.homepage = "https://example.com/%s"
          s.files = ["lib/%s.rb"]
          s.platform = "%s"
        """.formatted(name, version, name, name, name.replace('-', '_'), platform));
    for (int i = 0; i < dependencies.length; i += 2) {
      spec.append("  s.add_dependency \"").append(dependencies[i]).append("\", \"").append(dependencies[i + 1])
          .append("\"\n");
    }
    spec.append("end\n");
    Files.writeString(dir.resolve(name + ".gemspec"), spec);
    TestingProcesses.Result built = run(dir, Map.of(), "gem", "build", name + ".gemspec");
    assertThat(built.exitCode()).as(built.toString()).isZero();
    String file = RubyNames.fullName(name, version, platform) + ".gem";
    Path gem = gems.resolve(file);
    Files.move(dir.resolve(file), gem);
    return gem;
  }

  static HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(endpoint() + path)).header("Authorization", "Bearer " + token));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- tests

  @Test
  @Order(1)
  void gemPushesRealGemsAndGemsOfOurOwnThatDependOnThem() throws IOException {
    List<String> command = new ArrayList<>(List.of("ruby", "-e", REBUILD, gems.toString()));
    command.addAll(REAL_GEMS);
    TestingProcesses.Result rebuilt = run(gems, Map.of(), command.toArray(String[]::new));
    assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
    List<Path> toPush = new ArrayList<>();
    for (String full : REAL_GEMS) {
      toPush.add(gems.resolve(full + ".gem"));
    }
    toPush.add(ownGem("wharf-lib", "1.0.0", "power_assert", ">= 1"));
    toPush.add(ownGem("wharf-lib", "1.1.0", "power_assert", ">= 1"));
    toPush.add(ownGem("wharf-app", "2.0.0", "wharf-lib", "~> 1.0", "test-unit", ">= 3", "rss", ">= 0.2"));
    for (Path gem : toPush) {
      TestingProcesses.Result pushed = push(gem);
      assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
      assertThat(pushed.stdout()).contains("Successfully registered gem");
    }
    // the same gem again changes nothing
    TestingProcesses.Result again = push(gems.resolve("rake-13.0.6.gem"));
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.stdout()).contains("already pushed");

    String info = get("info/wharf-app").body();
    assertThat(info).startsWith("---\n2.0.0 ").contains("wharf-lib:~> 1.0", "test-unit:>= 3", "rss:>= 0.2", "|checksum:");
    assertThat(get("versions").body()).contains("\nwharf-lib 1.0.0,1.1.0 ", "\ntest-unit 3.5.3 ");
    assertThat(get("names").body()).contains("\npower_assert\n");
    assertThat(api.listPackages(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY)).packages())
        .hasSize(REAL_GEMS.size() + 2);
    var dependencies = api.listPackageVersionDependencies(b -> b.domain("acme").repository("gems")
        .format(PackageFormat.RUBY).packageValue("wharf-app").packageVersion("2.0.0")).dependencies();
    assertThat(dependencies).extracting(d -> d.packageValue()).containsExactly("wharf-lib", "test-unit", "rss");
  }

  @Test
  @Order(2)
  void gemInstallResolvesTheDependencyTreeFromWharfAlone() {
    TestingProcesses.Result installed = run(scratch, Map.of(), "gem", "install", "wharf-app", "--no-document",
        "--clear-sources", "--source", sourceWithToken());
    assertThat(installed.exitCode()).as(installed.toString()).isZero();
    assertThat(installed.stdout()).contains("Successfully installed wharf-lib-1.1.0", "Successfully installed power_assert-2.0.1",
        "Successfully installed test-unit-3.5.3", "Successfully installed rss-0.2.9", "Successfully installed wharf-app-2.0.0");
    TestingProcesses.Result used = run(scratch, Map.of(), "ruby", "-e",
        "require 'wharf_app'; require 'wharf_lib'; require 'test-unit'; puts WharfApp.hello, WharfLib.hello");
    assertThat(used.exitCode()).as(used.toString()).isZero();
    assertThat(used.stdout()).isEqualTo("wharf-app 2.0.0\nwharf-lib 1.1.0\n");
  }

  @Test
  @Order(3)
  void aYankedVersionIsNoLongerInstalledAndBundlerResolvesAroundIt() throws IOException {
    TestingProcesses.Result yanked = run(scratch, Map.of("GEM_HOST_API_KEY", "Bearer " + token), "gem", "yank",
        "wharf-lib", "-v", "1.1.0", "--host", endpoint());
    assertThat(yanked.exitCode()).as(yanked.toString()).isZero();
    assertThat(get("info/wharf-lib").body()).contains("1.0.0 ").doesNotContain("1.1.0");
    assertThat(get("gems/wharf-lib-1.1.0.gem").statusCode()).isEqualTo(404);

    Path project = TestingFiles.directory(scratch, "project");
    Files.writeString(project.resolve("Gemfile"), "source \"" + endpoint() + "\"\n\ngem \"wharf-app\", \"~> 2.0\"\n");
    String host = URI.create(endpoint()).getHost().replace(".", "__").toUpperCase(java.util.Locale.ROOT);
    Map<String, String> bundler = Map.of("BUNDLE_" + host, "aws:" + token, "BUNDLE_PATH", project.resolve("vendor")
        .toString(), "GEM_HOME", TestingFiles.directory(scratch, "empty-gem-home").toString());
    TestingProcesses.Result install = run(project, bundler, "bundle", "install");
    assertThat(install.exitCode()).as(install.toString()).isZero();
    assertThat(Files.readString(project.resolve("Gemfile.lock"))).contains("wharf-lib (1.0.0)", "wharf-app (2.0.0)",
        "test-unit (3.5.3)", "power_assert (2.0.1)", "rexml (3.2.5)");
    TestingProcesses.Result used = run(project, bundler, "bundle", "exec", "ruby", "-e",
        "require 'wharf_app'; require 'wharf_lib'; puts WharfLib.hello");
    assertThat(used.exitCode()).as(used.toString()).isZero();
    assertThat(used.stdout().strip()).isEqualTo("wharf-lib 1.0.0");
  }

  @Test
  @Order(4)
  void platformGemsAndPrereleasesAreIndexedAndChosenAsGemChoosesThem() throws IOException {
    for (Path gem : List.of(ownGem("wharf-native", "1.0.0"), platformGem("wharf-native", "1.0.0", "x86_64-linux"),
        ownGem("wharf-pre", "1.0.0"), ownGem("wharf-pre", "1.1.0.pre1"))) {
      TestingProcesses.Result pushed = push(gem);
      assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
    }
    assertThat(get("info/wharf-native").body()).contains("\n1.0.0 |checksum:", "\n1.0.0-x86_64-linux |checksum:");
    assertThat(get("versions").body()).contains("\nwharf-native 1.0.0,1.0.0-x86_64-linux ", "\nwharf-pre 1.0.0,1.1.0.pre1 ");
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY)
        .packageValue("wharf-native").packageVersion("1.0.0")).assets()).extracting(a -> a.name())
        .contains("wharf-native-1.0.0.gem", "wharf-native-1.0.0-x86_64-linux.gem");

    Map<String, String> fresh = Map.of("GEM_HOME", TestingFiles.directory(scratch, "gem-home-2").toString(),
        "GEM_PATH", scratch.resolve("gem-home-2").toString());
    TestingProcesses.Result installed = run(scratch, fresh, "gem", "install", "wharf-native", "wharf-pre",
        "--no-document", "--clear-sources", "--source", sourceWithToken());
    assertThat(installed.exitCode()).as(installed.toString()).isZero();
    assertThat(installed.stdout()).contains("Successfully installed wharf-native-1.0.0-x86_64-linux",
        "Successfully installed wharf-pre-1.0.0");
    TestingProcesses.Result pre = run(scratch, fresh, "gem", "install", "wharf-pre", "--pre", "--no-document",
        "--clear-sources", "--source", sourceWithToken());
    assertThat(pre.exitCode()).as(pre.toString()).isZero();
    assertThat(pre.stdout()).contains("Successfully installed wharf-pre-1.1.0.pre1");
  }

  @Test
  @Order(7)
  void ofConcurrentPushesOfOneVersionWithDifferentBytesExactlyOneWins() throws Exception {
    Path first = ownGem("wharf-race", "1.0.0");
    byte[] a = Files.readAllBytes(first);
    Files.delete(first);
    byte[] b = Files.readAllBytes(platformGem("wharf-race", "1.0.0", "ruby", "rake", ">= 1"));
    assertThat(a).isNotEqualTo(b);
    List<java.util.concurrent.Callable<HttpResponse<String>>> pushes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] gem = i % 2 == 0 ? a : b;
      pushes.add(() -> pushBytes(gem, "Bearer " + token));
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      for (var future : pool.invokeAll(pushes)) {
        answers.add(future.get());
      }
    }
    assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(200, 409));
    var assets = api.listPackageVersionAssets(x -> x.domain("acme").repository("gems").format(PackageFormat.RUBY)
        .packageValue("wharf-race").packageVersion("1.0.0")).assets();
    assertThat(assets).extracting(x -> x.name()).containsExactlyInAnyOrder("wharf-race-1.0.0.gem",
        "wharf-race-1.0.0.gemspec.rz");
    String stored = assets.stream().filter(x -> x.name().endsWith(".gem")).findFirst().orElseThrow().hashes()
        .get(software.amazon.awssdk.services.codeartifact.model.HashAlgorithm.SHA_256);
    String winner = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(stored.equals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(a))) ? a : b));
    assertThat(winner).isEqualTo(stored);
    // every push of the winning bytes succeeded, every push of the others was refused
    for (int i = 0; i < 8; i++) {
      byte[] sent = i % 2 == 0 ? a : b;
      boolean won = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sent))
          .equals(stored);
      assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(won ? 200 : 409);
    }
    assertThat(get("info/wharf-race").body().lines().filter(l -> l.startsWith("1.0.0 "))).hasSize(1);

    // two platforms of one new version pushed at once: both are listed
    for (String version : List.of("2.0.0", "2.0.1", "2.0.2")) {
      byte[] ruby = Files.readAllBytes(ownGem("wharf-race", version));
      byte[] linux = Files.readAllBytes(platformGem("wharf-race", version, "x86_64-linux"));
      List<java.util.concurrent.Callable<HttpResponse<String>>> both = List.of(
          () -> pushBytes(ruby, "Bearer " + token), () -> pushBytes(linux, "Bearer " + token));
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
        for (var future : pool.invokeAll(both)) {
          assertThat(future.get().statusCode()).as(future.get().body()).isEqualTo(200);
        }
      }
      assertThat(get("info/wharf-race").body()).contains("\n" + version + " |checksum:",
          "\n" + version + "-x86_64-linux |checksum:");
    }
  }

  // ---------------------------------------------------------------- bad input

  /** A .gem tar of the given entries (name, bytes). */
  public static byte[] gem(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      for (var entry : entries.entrySet()) {
        TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
        header.setSize(entry.getValue().length);
        tar.putArchiveEntry(header);
        tar.write(entry.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] dataTarGz(String... names) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (String name : names) {
        TarArchiveEntry header = new TarArchiveEntry(name);
        header.setSize(1);
        tar.putArchiveEntry(header);
        tar.write('x');
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static String spec(String name, String version) {
    return "--- !ruby/object:Gem::Specification\nname: " + name + "\nversion: !ruby/object:Gem::Version\n  version: "
        + version + "\nplatform: ruby\nauthors:\n- A\ndependencies: []\nsummary: s\nspecification_version: 4\n";
  }

  static HttpResponse<String> pushBytes(byte[] gem, String bearer) {
    return send(HttpRequest.newBuilder(URI.create(endpoint() + "api/v1/gems")).header("Authorization", bearer)
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(gem)));
  }

  @Test
  @Order(5)
  void badGemsAreRefusedWithAPlainMessageAndNothingIsStored() {
    Map<String, String> cases = new LinkedHashMap<>();
    byte[] data = dataTarGz("lib/x.rb");
    Map<String, byte[]> badName = new LinkedHashMap<>();
    badName.put("metadata.gz", gzip(spec("../evil", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    badName.put("data.tar.gz", data);
    cases.put("Invalid gem name", new String(java.util.Base64.getEncoder().encode(gem(badName)), StandardCharsets.US_ASCII));

    Map<String, byte[]> malformed = new LinkedHashMap<>();
    malformed.put("metadata.gz", "not gzip".getBytes(StandardCharsets.UTF_8));
    malformed.put("data.tar.gz", data);
    cases.put("metadata.gz is not gzip-compressed", b64(gem(malformed)));

    String bomb = "--- !ruby/object:Gem::Specification\nname: wharf-bomb\nversion: 1.0.0\na: &a [x,x,x,x,x,x,x,x,x]\n"
        + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
    Map<String, byte[]> aliases = new LinkedHashMap<>();
    aliases.put("metadata.gz", gzip(bomb.getBytes(StandardCharsets.UTF_8)));
    aliases.put("data.tar.gz", data);
    // the YAML is read as events, so aliases are never expanded: the bomb is an ordinary gem of a few fields
    HttpResponse<String> harmless = pushBytes(gem(aliases), "Bearer " + token);
    assertThat(harmless.statusCode()).as(harmless.body()).isEqualTo(200);
    assertThat(get("info/wharf-bomb").body()).hasSizeLessThan(200);
    Map<String, byte[]> unclosed = new LinkedHashMap<>();
    unclosed.put("metadata.gz", gzip("- [unclosed".getBytes(StandardCharsets.UTF_8)));
    unclosed.put("data.tar.gz", data);
    cases.put("not a YAML gem specification", b64(gem(unclosed)));

    Map<String, byte[]> tagged = new LinkedHashMap<>();
    tagged.put("metadata.gz", gzip(("--- !ruby/object:Gem::Specification\nname: !ruby/object:Kernel\n  system: id\n"
        + "version: 1.0.0\n").getBytes(StandardCharsets.UTF_8)));
    tagged.put("data.tar.gz", data);
    cases.put("has no name or version", b64(gem(tagged)));

    Map<String, byte[]> checksum = new LinkedHashMap<>();
    checksum.put("metadata.gz", gzip(spec("wharf-sum", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    checksum.put("data.tar.gz", data);
    checksum.put("checksums.yaml.gz", gzip(("---\nSHA256:\n  data.tar.gz: " + "0".repeat(64) + "\n")
        .getBytes(StandardCharsets.UTF_8)));
    cases.put("does not match its SHA256", b64(gem(checksum)));

    Map<String, byte[]> traversal = new LinkedHashMap<>();
    traversal.put("metadata.gz", gzip(spec("wharf-escape", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    traversal.put("data.tar.gz", dataTarGz("lib/../../../etc/x"));
    cases.put("has a file outside it", b64(gem(traversal)));

    Map<String, byte[]> badData = new LinkedHashMap<>();
    badData.put("metadata.gz", gzip(spec("wharf-data", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    badData.put("data.tar.gz", "not a tar".getBytes(StandardCharsets.UTF_8));
    cases.put("data.tar.gz is not a gzip-compressed tar", b64(gem(badData)));

    cases.put("not a tar archive", b64("not a gem at all".getBytes(StandardCharsets.UTF_8)));

    // a GNU long name: RubyGems would read the entry under another name than a general tar reader does
    Map<String, byte[]> longName = new LinkedHashMap<>();
    longName.put("metadata.gz", gzip(spec("wharf-long", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    longName.put("x".repeat(120), data);
    cases.put("not a plain file", b64(gem(longName)));

    Map<String, byte[]> dataFirst = new LinkedHashMap<>();
    dataFirst.put("data.tar.gz", data);
    dataFirst.put("metadata.gz", gzip(spec("wharf-late", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    cases.put("does not begin with its metadata.gz", b64(gem(dataFirst)));

    Map<String, byte[]> dashed = new LinkedHashMap<>();
    dashed.put("metadata.gz", gzip(spec("wharf-dash", "1.0-x86").getBytes(StandardCharsets.UTF_8)));
    dashed.put("data.tar.gz", data);
    cases.put("Invalid gem version", b64(gem(dashed)));

    cases.forEach((expected, encoded) -> {
      HttpResponse<String> response = pushBytes(java.util.Base64.getDecoder().decode(encoded), "Bearer " + token);
      assertThat(response.statusCode()).as(expected + ": " + response.body()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(response.body()).as(expected).contains(expected);
    });
    assertThat(api.listPackages(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY)).packages())
        .extracting(p -> p.packageValue()).doesNotContain("wharf-sum", "wharf-escape", "wharf-data");
  }

  static String b64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  @Order(6)
  void aTokenThatMayOnlyReadIsRefusedOnTheSpecificationBeforeTheRestIsRead() {
    AwsBasicCredentials reader = TestingIam.user(wharf.iam(wharf.rootCredentials()), "reader", "read-only", """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codeartifact:GetAuthorizationToken",
        "codeartifact:ReadFromRepository","sts:GetServiceBearerToken"],"Resource":"*"}]}""");
    String readerToken = wharf.codeartifact(reader).getAuthorizationToken(b -> b.domain("acme").domainOwner(account))
        .authorizationToken();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("metadata.gz", gzip(spec("wharf-denied", "1.0.0").getBytes(StandardCharsets.UTF_8)));
    byte[] whole = gem(entries);
    // only the specification's entry: the gem's files never come, and need not
    byte[] head = java.util.Arrays.copyOf(whole, 512 + ((entries.get("metadata.gz").length + 511) / 512) * 512);
    HttpResponse<String> response = pushBytes(head, "Bearer " + readerToken);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(response.body()).contains("PublishPackageVersion");
    assertThat(get("info/wharf-denied").statusCode()).isEqualTo(404);
    HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(endpoint() + "versions")));
    assertThat(none.statusCode()).isEqualTo(401);
  }
}
