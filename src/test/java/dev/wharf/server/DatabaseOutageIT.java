package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.format.RepositoryPath;
import dev.wharf.testing.TestingPostgresDatabase;
import dev.wharf.testing.TestingServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A server on its own PostgreSQL database, which the test makes unreachable (no new connections,
 * the pool's backends terminated) and then reachable again. Only that database is touched: the
 * shared PostgreSQL keeps serving every other test. While it is out, readiness says so, and
 * requests that need it get 503 in their protocol's error shape; afterwards the same server
 * recovers by itself.
 */
class DatabaseOutageIT {
  @TempDir Path scratch;
  private TestingPostgresDatabase database;
  private TestingServer wharf;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = TestingPostgresDatabase.create("wharf_outage_"); // skips or fails when PostgreSQL is absent
    wharf = database.startServer(scratch.resolve("data"));
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    if (database != null) {
      database.close(); // and the server
    }
  }

  @Test
  void requests_fail_with_503_while_the_database_is_out_and_succeed_again_when_it_is_back() throws Exception {
    CodeartifactClient codeartifact = wharf.codeartifact(wharf.rootCredentials());
    IamClient iam = wharf.iam(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("before"));
    String token = codeartifact.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    String pypi = RepositoryPath.endpoint(wharf.endpoint().toString(), "acme", wharf.managementAccountId(), "pypi", "before")
        + "simple/";
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);

    database.refuseConnections();
    database.terminateConnections();

    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"database\":\"unreachable\"");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(200);

    assertThatThrownBy(() -> codeartifact.createRepository(b -> b.domain("acme").repository("during")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("database cannot be reached");
        });
    assertThatThrownBy(() -> iam.createUser(b -> b.userName("during")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
        });
    HttpResponse<String> index = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pypi))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8)))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(index.statusCode()).isEqualTo(503);
    assertThat(index.body()).contains("database cannot be reached");

    database.allowConnections();

    // Recovery needs no restart, but the pool reconnects on its own schedule: wait for readiness (bounded).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    int readyStatus = get("/health/ready").statusCode();
    while (readyStatus != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      readyStatus = get("/health/ready").statusCode();
    }
    assertThat(readyStatus).as("ready again after the database came back").isEqualTo(200);
    codeartifact.createRepository(b -> b.domain("acme").repository("after"));
    iam.createUser(b -> b.userName("after"));
    assertThat(codeartifact.listRepositories(b -> { }).repositories()).extracting(r -> r.name())
        .containsExactlyInAnyOrder("before", "after");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(wharf.endpoint().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
