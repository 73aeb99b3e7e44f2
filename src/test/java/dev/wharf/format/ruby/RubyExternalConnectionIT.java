package dev.wharf.format.ruby;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingPublicRegistry;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * The external connection {@code public:ruby-gems-org}, mapped by the operator to a gem source with a
 * compact index: here a second Wharf plays rubygems.org, reached with a token in the URL. The real
 * {@code gem install} installs a gem and its dependency from the first Wharf alone; both are read
 * through, checked against the index's checksums and kept, with the marshalled specifications gem
 * install needs made from the fetched gems.
 */
class RubyExternalConnectionIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path scratch;
  static TestingPublicRegistry registry;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String token;
  static String endpoint;
  static Map<String, String> environment;

  @BeforeAll
  static void start() throws Exception {
    TestingClients.requireCommand("gem", "--version");
    environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", TestingFiles.directory(scratch, "home").toString());
    environment.put("GEM_HOME", TestingFiles.directory(scratch, "gem-home").toString());
    environment.put("GEM_PATH", environment.get("GEM_HOME"));

    registry = TestingPublicRegistry.start(scratch.resolve("registry"), "ruby", "rubygems");
    push(registry.endpoint(), registry.token(), gem("wharf-ext-lib", "1.2.0"));
    push(registry.endpoint(), registry.token(), gem("wharf-ext-app", "0.3.0", "wharf-ext-lib", "~> 1.0"));
    wharf = TestingPublicRegistry.mirror(scratch.resolve("wharf"), "public:ruby-gems-org",
        registry.endpointWithToken(), "gems");
    api = wharf.codeartifact(wharf.rootCredentials());
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    endpoint = api.getRepositoryEndpoint(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY))
        .repositoryEndpoint();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** A gem built by gem build: name, version, dependencies (name, requirement...). */
  static Path gem(String name, String version, String... dependencies) throws IOException {
    Path dir = TestingFiles.directory(scratch, name);
    Files.createDirectories(dir.resolve("lib"));
    String module = name.replace("wharf-ext-", "Ext").replace("-", "");
    Files.writeString(dir.resolve("lib").resolve(name.replace('-', '_') + ".rb"), "module " + module.substring(0, 1)
        .toUpperCase() + module.substring(1) + "\n  VERSION = \"" + version + "\"\nend\n");
    StringBuilder spec = new StringBuilder("Gem::Specification.new do |s|\n  s.name = \"" + name + "\"\n  s.version = \""
        + version + "\"\n  s.summary = \"" + name + "\"\n  s.authors = [\"Wharf\"]\n  s.license = \"MIT\"\n"
        + "  s.files = [\"lib/" + name.replace('-', '_') + ".rb\"]\n");
    for (int i = 0; i < dependencies.length; i += 2) {
      spec.append("  s.add_dependency \"").append(dependencies[i]).append("\", \"").append(dependencies[i + 1])
          .append("\"\n");
    }
    Files.writeString(dir.resolve(name + ".gemspec"), spec.append("end\n"));
    TestingProcesses.Result built = TestingProcesses.run(dir, environment, Duration.ofMinutes(2),
        List.of("gem", "build", name + ".gemspec"));
    assertThat(built.exitCode()).as(built.toString()).isZero();
    return dir.resolve(name + "-" + version + ".gem");
  }

  static void push(String endpoint, String token, Path gem) throws IOException, InterruptedException {
    HttpResponse<String> pushed = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "api/v1/gems"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofFile(gem)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
  }

  @Test
  void gemInstallsThroughTheConnectionAndTheGemsAreKeptWithTheirSpecifications() {
    TestingProcesses.Result installed = TestingProcesses.run(scratch, environment, Duration.ofMinutes(3),
        List.of("gem", "install", "wharf-ext-app", "--no-document", "--clear-sources", "--source",
            endpoint.replace("://", "://aws:" + token + "@")));
    assertThat(installed.exitCode()).as(installed.toString()).isZero();
    assertThat(installed.stdout()).contains("Successfully installed wharf-ext-lib-1.2.0",
        "Successfully installed wharf-ext-app-0.3.0");

    var kept = api.listPackageVersions(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY)
        .packageValue("wharf-ext-app")).versions();
    assertThat(kept).extracting(v -> v.version()).containsExactly("0.3.0");
    assertThat(kept.getFirst().origin().originType().toString()).isEqualTo("EXTERNAL");
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("gems").format(PackageFormat.RUBY)
        .packageValue("wharf-ext-app").packageVersion("0.3.0")).assets()).extracting(a -> a.name())
        .containsExactlyInAnyOrder("wharf-ext-app-0.3.0.gem", "wharf-ext-app-0.3.0.gemspec.rz");
  }
}
