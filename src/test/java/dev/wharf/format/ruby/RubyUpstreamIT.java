package dev.wharf.format.ruby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionOriginType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;

/**
 * RubyGems through an upstream repository: {@code app} lists {@code base} as its upstream. A gem
 * pushed to {@code base} appears in {@code app}'s compact index ({@code info/NAME}, {@code versions},
 * {@code names}) with the same checksum, its gem file and marshalled specification download through
 * {@code app}, which then retains the version; versions of one gem in both repositories merge;
 * {@code upstream: BLOCK} on the gem in {@code app} keeps {@code base}'s versions out; and the real
 * {@code gem install}, with {@code app} as its only source, installs a gem that only {@code base} has.
 */
class RubyUpstreamIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;
  static Map<String, String> environment;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("gem", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("base"));
    api.createRepository(b -> b.domain("acme").repository("app").upstreams(u -> u.repositoryName("base")));
    token = api.getAuthorizationToken(b -> b.domain("acme").domainOwner(account)).authorizationToken();
    environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", TestingFiles.directory(scratch, "home").toString());
    environment.put("GEM_HOME", TestingFiles.directory(scratch, "gem-home").toString());
    environment.put("GEM_PATH", environment.get("GEM_HOME"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint(String repository) {
    return wharf.endpoint() + "/acme-" + account + "/ruby/" + repository + "/";
  }

  static TestingProcesses.Result run(Path directory, String... command) {
    return TestingProcesses.run(directory, environment, TIMEOUT, List.of(command));
  }

  /** A gem built with {@code gem build}: {@code NAME.hello} says which version and where it was pushed. */
  static byte[] build(String name, String version, String repository) {
    try {
      Path dir = TestingFiles.directory(scratch, name + "-" + version);
      String file = name.replace('-', '_');
      StringBuilder module = new StringBuilder();
      for (String part : file.split("_")) {
        module.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
      TestingFiles.write(dir.resolve("lib").resolve(file + ".rb"), "module " + module + "\n  def self.hello\n    \""
          + "hello from " + name + " " + version + " in " + repository + "\"\n  end\nend\n");
      Files.writeString(dir.resolve(name + ".gemspec"), """
          Gem::Specification.new do |s|
            s.name = "%s"
            s.version = "%s"
            s.summary = "%s, a gem of Wharf's upstream tests"
            s.authors = ["Wharf"]
            s.license = "MIT"
            s.files = ["lib/%s.rb"]
          end
          """.formatted(name, version, name, file));
      TestingProcesses.Result built = run(dir, "gem", "build", name + ".gemspec");
      assertThat(built.exitCode()).as(built.describe()).isZero();
      return Files.readAllBytes(dir.resolve(name + "-" + version + ".gem"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the gem and pushes it to the repository as {@code gem push} does; returns its bytes. */
  static byte[] push(String repository, String name, String version) {
    byte[] gem = build(name, version, repository);
    HttpResponse<byte[]> pushed = send(HttpRequest.newBuilder(URI.create(endpoint(repository) + "api/v1/gems"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(gem)));
    assertThat(pushed.statusCode()).as(name + " " + version + " to " + repository + ": " + text(pushed)).isEqualTo(200);
    return gem;
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> get(String repository, String path) {
    return send(HttpRequest.newBuilder(URI.create(endpoint(repository) + path)).header("Authorization", "Bearer " + token));
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** A compact index file of the repository; asserts it is there. */
  static String index(String repository, String path) {
    HttpResponse<byte[]> response = get(repository, path);
    assertThat(response.statusCode()).as(repository + " " + path + ": " + text(response)).isEqualTo(200);
    return text(response);
  }

  /** The gem's line of the repository's {@code versions} file. */
  static Optional<String> versionsLine(String repository, String name) {
    return Arrays.stream(index(repository, "versions").split("\n")).filter(line -> line.startsWith(name + " "))
        .findFirst();
  }

  static String sha256(byte[] bytes) {
    return digest("SHA-256", bytes);
  }

  static String digest(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The gem's versions in the repository itself; none when it has no such package. */
  static List<PackageVersionSummary> versions(String repository, String name) {
    try {
      return api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.RUBY)
          .packageValue(name)).versions();
    } catch (ResourceNotFoundException e) {
      return List.of();
    }
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aGemOnlyInTheUpstreamIsIndexedDownloadedAndThenRetainedByTheRepository() {
    byte[] gem = push("base", "up-only", "1.0.0");

    String info = index("app", "info/up-only");
    assertThat(info).isEqualTo("---\n1.0.0 |checksum:" + sha256(gem) + "\n").isEqualTo(index("base", "info/up-only"));
    // bundler compares the MD5 the versions file gives with that of its copy of info/NAME
    assertThat(versionsLine("app", "up-only"))
        .contains("up-only 1.0.0 " + digest("MD5", info.getBytes(StandardCharsets.UTF_8)));
    assertThat(index("app", "names").split("\n")).contains("up-only");
    assertThat(versions("app", "up-only")).as("listed through app, not yet retained there").isEmpty();

    HttpResponse<byte[]> downloaded = get("app", "gems/up-only-1.0.0.gem");
    assertThat(downloaded.statusCode()).isEqualTo(200);
    assertThat(downloaded.body()).isEqualTo(gem);
    HttpResponse<byte[]> spec = get("app", "quick/Marshal.4.8/up-only-1.0.0.gemspec.rz");
    assertThat(spec.statusCode()).isEqualTo(200);
    assertThat(spec.body()).isEqualTo(get("base", "quick/Marshal.4.8/up-only-1.0.0.gemspec.rz").body());

    // Retained in app, with the origin of where it entered the domain.
    assertThat(versions("app", "up-only")).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("1.0.0");
      assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    });
    var origin = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.RUBY)
        .packageValue("up-only").packageVersion("1.0.0")).packageVersion().origin();
    assertThat(origin.domainEntryPoint().repositoryName()).isEqualTo("base");

    // base loses it: app still lists and serves its retained copy.
    api.deletePackageVersions(b -> b.domain("acme").repository("base").format(PackageFormat.RUBY)
        .packageValue("up-only").versions("1.0.0"));
    assertThat(get("base", "gems/up-only-1.0.0.gem").statusCode()).isEqualTo(404);
    assertThat(index("app", "info/up-only")).isEqualTo(info);
    assertThat(get("app", "gems/up-only-1.0.0.gem").body()).isEqualTo(gem);
    assertThat(get("app", "quick/Marshal.4.8/up-only-1.0.0.gemspec.rz").statusCode()).isEqualTo(200);
  }

  @Test
  void versionsOfOneGemInTheRepositoryAndItsUpstreamMergeInTheIndex() {
    byte[] fromBase = push("base", "up-merged", "1.0.0");
    byte[] fromApp = push("app", "up-merged", "2.0.0");
    byte[] shadowed = push("base", "up-merged", "2.0.0"); // other bytes: app's own copy wins
    // Pushed directly to app, the gem takes nothing from upstreams (CodeArtifact's default) until allowed.
    assertThat(index("app", "info/up-merged")).isEqualTo("---\n2.0.0 |checksum:" + sha256(fromApp) + "\n");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.RUBY)
        .packageValue("up-merged").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));

    String info = index("app", "info/up-merged");
    assertThat(info).isEqualTo("---\n1.0.0 |checksum:" + sha256(fromBase) + "\n2.0.0 |checksum:" + sha256(fromApp)
        + "\n");
    assertThat(versionsLine("app", "up-merged"))
        .contains("up-merged 1.0.0,2.0.0 " + digest("MD5", info.getBytes(StandardCharsets.UTF_8)));
    assertThat(index("base", "info/up-merged")).isEqualTo("---\n1.0.0 |checksum:" + sha256(fromBase)
        + "\n2.0.0 |checksum:" + sha256(shadowed) + "\n");
    assertThat(index("app", "names").split("\n")).containsOnlyOnce("up-merged");

    assertThat(get("app", "gems/up-merged-1.0.0.gem").body()).isEqualTo(fromBase);
    assertThat(get("app", "gems/up-merged-2.0.0.gem").body()).isEqualTo(fromApp);
    assertThat(versions("app", "up-merged")).extracting(PackageVersionSummary::version)
        .containsExactlyInAnyOrder("1.0.0", "2.0.0");
    assertThat(versions("base", "up-merged")).extracting(PackageVersionSummary::version)
        .containsExactlyInAnyOrder("1.0.0", "2.0.0");
  }

  @Test
  void originControlUpstreamBlockKeepsTheUpstreamsVersionsOutOfTheRepository() {
    byte[] gem = push("base", "up-blocked", "1.0.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.RUBY)
        .packageValue("up-blocked").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));

    assertThat(get("app", "info/up-blocked").statusCode()).isEqualTo(404);
    assertThat(versionsLine("app", "up-blocked")).isEmpty();
    assertThat(get("app", "gems/up-blocked-1.0.0.gem").statusCode()).isEqualTo(404);
    assertThat(get("app", "quick/Marshal.4.8/up-blocked-1.0.0.gemspec.rz").statusCode()).isEqualTo(404);
    assertThat(versions("app", "up-blocked")).isEmpty();

    // base itself, which has no such setting, serves it.
    assertThat(index("base", "info/up-blocked")).contains("1.0.0 |checksum:" + sha256(gem));
    assertThat(get("base", "gems/up-blocked-1.0.0.gem").body()).isEqualTo(gem);

    // Allowed again, app lists it.
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.RUBY)
        .packageValue("up-blocked").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));
    assertThat(index("app", "info/up-blocked")).contains("1.0.0 |checksum:" + sha256(gem));
  }

  @Test
  void gemInstallWithTheRepositoryAsItsOnlySourceInstallsAGemThatOnlyTheUpstreamHas() {
    push("base", "up-hello", "0.1.0");
    push("base", "up-hello", "0.2.0");

    String source = endpoint("app").replace("://", "://aws:" + token + "@");
    TestingProcesses.Result installed = run(scratch, "gem", "install", "up-hello", "--no-document", "--clear-sources",
        "--source", source);
    assertThat(installed.exitCode()).as(installed.describe()).isZero();
    assertThat(installed.stdout()).contains("Successfully installed up-hello-0.2.0");
    TestingProcesses.Result used = run(scratch, "ruby", "-e", "require 'up_hello'; puts UpHello.hello");
    assertThat(used.exitCode()).as(used.describe()).isZero();
    assertThat(used.stdout().strip()).isEqualTo("hello from up-hello 0.2.0 in base");

    assertThat(versions("app", "up-hello")).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("0.2.0");
      assertThat(v.origin().originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    });
  }
}
