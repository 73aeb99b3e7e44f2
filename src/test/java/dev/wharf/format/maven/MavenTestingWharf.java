package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingWharfCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A Wharf for the real Maven and Gradle clients: domain acme with repository libs, an IAM user dev
 * with a developer's policy, the real aws CLI with dev's key, a token it got the way AWS documents
 * for CODEARTIFACT_AUTH_TOKEN, and the repository's Maven endpoint as get-repository-endpoint gives it.
 */
record MavenTestingWharf(TestingServer server, IamClient rootIam, CodeartifactClient rootCodeartifact, String account,
    AwsBasicCredentials developer, TestingAwsCli aws, String token, String endpoint) implements AutoCloseable {

  static MavenTestingWharf start(Path scratch) {
    TestingServer server = TestingServer.start(scratch.resolve("data"));
    IamClient rootIam = server.iam(server.rootCredentials());
    CodeartifactClient rootCodeartifact = server.codeartifact(server.rootCredentials());
    String account = server.managementAccountId();
    rootCodeartifact.createDomain(b -> b.domain("acme"));
    rootCodeartifact.createRepository(b -> b.domain("acme").repository("libs"));
    AwsBasicCredentials developer = TestingIam.user(rootIam, "dev", "developer", TestingIam.DEVELOPER);
    TestingAwsCli aws = TestingAwsCli.at(server.endpoint(), scratch).withKey(developer.accessKeyId(),
        developer.secretAccessKey());
    String endpoint = aws.json("codeartifact", "get-repository-endpoint", "--domain", "acme", "--domain-owner", account,
        "--repository", "libs", "--format", "maven").path("repositoryEndpoint").asText();
    assertThat(endpoint).endsWith("/acme-" + account + "/maven/libs/");
    return new MavenTestingWharf(server, rootIam, rootCodeartifact, account, developer, aws,
        authorizationToken(aws, account), endpoint);
  }

  /** {@code aws codeartifact get-authorization-token --domain acme --query authorizationToken --output text}. */
  private static String authorizationToken(TestingAwsCli aws, String account) {
    TestingAwsCli.Result result = aws.run("codeartifact", "get-authorization-token", "--domain", "acme",
        "--domain-owner", account, "--query", "authorizationToken", "--output", "text");
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result.stdout().strip();
  }

  /** A new token of dev's, already revoked with {@code wharf token revoke} by the account's root. */
  String revokedToken() {
    String revoked = authorizationToken(aws, account);
    HttpResponse<byte[]> who = TestingHttp.send("GET", endpoint, null, "Bearer " + revoked);
    assertThat(who.statusCode()).as(TestingHttp.text(who)).isEqualTo(200);
    String id;
    try {
      id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(who.body()).path("tokenId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(TestingWharfCommand.execute(server.rootCredentials(), "token", "revoke", id, "--endpoint-url",
        server.endpoint().toString())).isZero();
    assertThat(TestingHttp.send("GET", endpoint, null, "Bearer " + revoked).statusCode()).isEqualTo(401);
    return revoked;
  }

  /** {@code wharf login --tool TOOL --domain acme --repository libs --home HOME} as dev; fails the test unless it succeeds. */
  void login(String tool, Path home) {
    assertThat(TestingWharfCommand.execute(developer, "login", "--tool", tool, "--domain", "acme", "--domain-owner",
        account, "--repository", "libs", "--endpoint-url", server.endpoint().toString(), "--home", home.toString()))
        .isZero();
  }

  @Override
  public void close() {
    server.close();
  }
}
