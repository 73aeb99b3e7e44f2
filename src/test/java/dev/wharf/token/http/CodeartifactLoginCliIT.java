package dev.wharf.token.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
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
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * The real {@code aws codeartifact login --tool npm|pip|twine} against the server, each with a fresh
 * HOME: it exits 0, writes the client's configuration with the repository endpoint and a token,
 * and that token works at the endpoint.
 */
class CodeartifactLoginCliIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String READER = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:GetAuthorizationToken\",\"sts:GetServiceBearerToken\",\"codeartifact:ReadFromRepository\","
      + "\"codeartifact:GetRepositoryEndpoint\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static String account;
  static AccessKey key;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    CodeartifactClient codeartifact = wharf.codeartifact(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("app"));
    IamClient iam = wharf.iam(wharf.rootCredentials());
    iam.createUser(b -> b.userName("developer"));
    iam.putUserPolicy(b -> b.userName("developer").policyName("reader").policyDocument(READER));
    key = iam.createAccessKey(b -> b.userName("developer")).accessKey();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static String endpoint(String format) {
    return wharf.endpoint() + "/acme-" + account + "/" + format + "/app/";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int get(String url, String authorization) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String basic(String token) {
    return "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
  }

  /** The CLI with the developer's key and a fresh HOME, so each tool's configuration starts empty. */
  private static TestingAwsCli cli() {
    return TestingAwsCli.at(wharf.endpoint(), scratch).withKey(key.accessKeyId(), key.secretAccessKey());
  }

  private static TestingAwsCli.Result login(TestingAwsCli aws, String tool) {
    TestingAwsCli.Result result = aws.run("codeartifact", "login", "--tool", tool, "--domain", "acme", "--domain-owner", account,
        "--repository", "app");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout() + result.stderr()).contains("Successfully configured " + tool);
    return result;
  }

  @Test
  void loginForNpmWritesTheRegistryAndAWorkingAuthTokenToNpmrc() {
    TestingClients.requireCommand("npm", "--version");
    TestingAwsCli aws = cli();

    login(aws, "npm");

    String npmrc = read(aws.home().resolve(".npmrc"));
    String endpoint = endpoint("npm");
    assertThat(npmrc).contains("registry=" + endpoint + "\n");
    String hostAndPath = endpoint.substring("http:".length());
    Matcher token = Pattern.compile("(?m)^" + Pattern.quote(hostAndPath) + ":_authToken=(\\S+)$").matcher(npmrc);
    assertThat(token.find()).as(npmrc).isTrue();
    assertThat(get(endpoint, "Bearer " + token.group(1))).isEqualTo(200);
  }

  @Test
  void loginForPipWritesAnIndexUrlWithTheTokenAsBasicPassword() {
    TestingClients.requireCommand("pip", "--version");
    TestingAwsCli aws = cli();

    login(aws, "pip");

    String pipConf = read(aws.home().resolve(".config/pip/pip.conf"));
    String endpoint = endpoint("pypi");
    String authority = wharf.endpoint().getAuthority();
    Matcher indexUrl = Pattern.compile("(?m)^index-url = http://aws:(\\S+)@" + Pattern.quote(authority)
        + Pattern.quote("/acme-" + account + "/pypi/app/simple/") + "$").matcher(pipConf);
    assertThat(indexUrl.find()).as(pipConf).isTrue();
    assertThat(get(endpoint, basic(indexUrl.group(1)))).isEqualTo(200);
  }

  @Test
  void loginForTwineWritesACodeartifactSectionToPypirc() {
    TestingAwsCli aws = cli();

    login(aws, "twine");

    String pypirc = read(aws.home().resolve(".pypirc"));
    String endpoint = endpoint("pypi");
    assertThat(pypirc).contains("[codeartifact]").containsPattern("(?m)^repository\\s*[:=]\\s*" + Pattern.quote(endpoint) + "$")
        .containsPattern("(?m)^username\\s*[:=]\\s*aws$");
    Matcher password = Pattern.compile("(?m)^password\\s*[:=]\\s*(\\S+)$").matcher(pypirc);
    assertThat(password.find()).as(pypirc).isTrue();
    assertThat(get(endpoint, basic(password.group(1)))).isEqualTo(200);
  }
}
