package dev.wharf.format.pypi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingPip;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

/**
 * Real twine and pip through a two-level upstream chain, team → shared → public (repositories of
 * one Wharf domain): pip installs from the team repository what was uploaded to public, the team
 * repository retains it (installable after the chain is cut and the upstream's copy is gone), and a
 * project published in the team repository takes no same-named version from upstreams.
 */
class PypiUpstreamIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static String account;
  static String token;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("twine", "--version");
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("public"));
    api.createRepository(b -> b.domain("acme").repository("shared").upstreams(u -> u.repositoryName("public")));
    api.createRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static String endpoint(String repository) {
    return wharf.endpoint() + "/acme-" + account + "/pypi/" + repository + "/";
  }

  static String indexUrl(String repository) {
    return endpoint(repository).replaceFirst("://", "://aws:" + token + "@") + "simple/";
  }

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }


  static Map<String, String> environment(Path home) {
    return TestingPip.environment(home);
  }


  static TestingProcesses.Result ok(Path directory, List<String> command) {
    TestingProcesses.Result result = TestingProcesses.run(directory, environment(directory), TIMEOUT, command);
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result;
  }

  static void upload(String repository, String name, String version) {
    Path out = directory("dist");
    ok(out, List.of("python3", "-c", TestingPip.MAKE_DISTS, name, version, name.replace('-', '_'), out.toString()));
    Path pypirc = out.resolve(".pypirc");
    TestingFiles.write(pypirc, "[distutils]\nindex-servers = wharf\n\n[wharf]\nrepository = " + endpoint(repository)
        + "\nusername = aws\npassword = " + token + "\n");
    String wheel = name.replace('-', '_') + "-" + version + "-py3-none-any.whl";
    ok(out, List.of("twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository", "wharf",
        "--config-file", pypirc.toString(), wheel));
  }

  static Path venv() {
    Path dir = directory("venv");
    ok(dir, TestingPip.makeVenv(dir.resolve("env")));
    return dir.resolve("env");
  }

  static TestingProcesses.Result pip(Path venv, String repository, String... arguments) {
    List<String> command = TestingPip.pip(venv, arguments);
    command.addAll(List.of("--no-cache-dir", "--index-url", indexUrl(repository)));
    return TestingProcesses.run(venv.getParent(), environment(venv.getParent()), TIMEOUT, command);
  }

  static String greeting(Path venv, String module) {
    return ok(venv.getParent(), List.of(venv.resolve("bin/python").toString(), "-c",
        "import " + module + "; print(" + module + ".GREETING)")).stdout().strip();
  }

  static List<String> versions(String repository, String name) {
    return api.listPackageVersions(b -> b.domain("acme").repository(repository).format(PackageFormat.PYPI)
        .packageValue(name)).versions().stream().map(PackageVersionSummary::version).toList();
  }

  @Test
  void pipInstallsThroughTwoLevelsAndTheTeamRepositoryKeepsWhatItFetched() {
    upload("public", "chained-py", "1.0");
    upload("public", "chained-py", "1.1");

    Path venv = venv();
    var install = pip(venv, "team", "install", "chained-py<2");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(greeting(venv, "chained_py")).isEqualTo("hello from chained-py 1.1");
    assertThat(versions("team", "chained-py")).containsExactly("1.1");
    assertThat(api.listPackages(b -> b.domain("acme").repository("shared").format(PackageFormat.PYPI)
        .packagePrefix("chained")).packages()).as("only the repository asked retains the version").isEmpty();
    // Retained in team, it still entered the domain where it was uploaded: public.
    var origin = api.describePackageVersion(b -> b.domain("acme").repository("team").format(PackageFormat.PYPI)
        .packageValue("chained-py").packageVersion("1.1")).packageVersion().origin();
    assertThat(origin.originType()).isEqualTo(PackageVersionOriginType.INTERNAL);
    assertThat(origin.domainEntryPoint().repositoryName()).isEqualTo("public");

    // The index of team lists the whole graph's versions.
    var index = pip(venv, "team", "index", "versions", "chained-py");
    assertThat(index.stdout()).as(index.describe()).contains("1.1, 1.0");

    // The upstream's copy disappears and the chain is cut: the retained version still installs.
    api.deletePackageVersions(b -> b.domain("acme").repository("public").format(PackageFormat.PYPI)
        .packageValue("chained-py").versions("1.1"));
    api.updateRepository(b -> b.domain("acme").repository("team").upstreams(List.of()));
    try {
      Path fresh = venv();
      var again = pip(fresh, "team", "install", "chained-py==1.1");
      assertThat(again.exitCode()).as(again.describe()).isZero();
      assertThat(greeting(fresh, "chained_py")).isEqualTo("hello from chained-py 1.1");
    } finally {
      api.updateRepository(b -> b.domain("acme").repository("team").upstreams(u -> u.repositoryName("shared")));
    }
  }

  @Test
  void aProjectPublishedInTheTeamRepositoryTakesNoSameNamedVersionFromUpstreams() {
    upload("team", "internal-py", "1.0");
    upload("public", "internal-py", "9.9");
    Path venv = venv();
    var install = pip(venv, "team", "install", "internal-py");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(greeting(venv, "internal_py")).isEqualTo("hello from internal-py 1.0");
    var refused = pip(venv(), "team", "install", "internal-py==9.9");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
  }

  @Test
  void originControlUpstreamBlockStopsAProjectThatIsOnlyUpstream() {
    upload("public", "blocked-py", "1.0");
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("team").format(PackageFormat.PYPI)
        .packageValue("blocked-py").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));
    var refused = pip(venv(), "team", "install", "blocked-py");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    Path venv = venv();
    var through = pip(venv, "shared", "install", "blocked-py");
    assertThat(through.exitCode()).as(through.describe()).isZero();
  }

  static String simpleRoot(String repository, String accept) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint(repository) + "simple/"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("aws:" + token)
            .getBytes(StandardCharsets.UTF_8)))
        .header("Accept", accept).GET().build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return response.body();
    }
  }

  static List<String> rootProjects(String repository) throws IOException, InterruptedException {
    JsonNode root = new ObjectMapper().readTree(simpleRoot(repository, "application/vnd.pypi.simple.v1+json"));
    List<String> names = new ArrayList<>();
    root.path("projects").forEach(p -> names.add(p.path("name").asText()));
    return names;
  }

  @Test
  void theSimpleRootListsTheProjectsOfTheWholeUpstreamGraphOnce() throws Exception {
    upload("public", "root-public-py", "1.0");
    upload("public", "root_everywhere-py", "1.0");
    upload("shared", "root-everywhere-py", "2.0");
    upload("shared", "root-shared-py", "1.0");
    upload("team", "root-team-py", "1.0");

    List<String> team = rootProjects("team");
    assertThat(team).contains("root-public-py", "root-everywhere-py", "root-shared-py", "root-team-py");
    assertThat(team).as("each project once").doesNotHaveDuplicates();
    String html = simpleRoot("team", "text/html");
    assertThat(html).containsOnlyOnce(">root-everywhere-py</a>").contains(">root-public-py</a>", ">root-team-py</a>");
    assertThat(html).contains("/pypi/team/simple/root-public-py/\"");

    List<String> shared = rootProjects("shared");
    assertThat(shared).contains("root-public-py", "root-everywhere-py", "root-shared-py").doesNotContain("root-team-py")
        .doesNotHaveDuplicates();
    assertThat(rootProjects("public")).contains("root-public-py", "root-everywhere-py")
        .doesNotContain("root-shared-py", "root-team-py");

    // What the root lists, pip installs through team.
    Path venv = venv();
    var install = pip(venv, "team", "install", "root-public-py");
    assertThat(install.exitCode()).as(install.describe()).isZero();
    assertThat(greeting(venv, "root_public_py")).isEqualTo("hello from root-public-py 1.0");
  }
}
