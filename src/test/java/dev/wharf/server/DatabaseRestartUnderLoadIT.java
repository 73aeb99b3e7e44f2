package dev.wharf.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The database "restarts" repeatedly while authenticated clients keep sending requests: the
 * server's own PostgreSQL database (never the shared service) has every backend terminated,
 * sometimes with new connections refused for a moment as during a real restart. Every request
 * either succeeds or gets a 503 in its protocol's error shape (never a 500); a repository whose
 * creation succeeded is there afterwards; and once the database stays up, the same server serves
 * everything again without a restart.
 */
class DatabaseRestartUnderLoadIT {
  private static final int WORKERS = 4;
  private static final int RESTARTS = 8;
  private static final int MAX_REQUESTS_PER_WORKER = 3000;

  @TempDir Path scratch;
  private TestingPostgresDatabase database;
  private TestingServer wharf;

  @BeforeEach
  void createDatabase() throws SQLException {
    database = TestingPostgresDatabase.create("wharf_restart_"); // skips or fails when PostgreSQL is absent
    wharf = database.startServer(scratch.resolve("data"));
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    if (database != null) {
      database.close(); // and the server
    }
  }

  @Test
  void requests_get_200_or_a_clean_503_while_the_database_restarts_and_all_succeed_after() throws Exception {
    CodeartifactClient codeartifact = wharf.codeartifact(wharf.rootCredentials());
    IamClient iam = wharf.iam(wharf.rootCredentials());
    codeartifact.createDomain(b -> b.domain("acme"));
    codeartifact.createRepository(b -> b.domain("acme").repository("base"));
    String token = codeartifact.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
    URI pypi = URI.create(RepositoryPath.endpoint(wharf.endpoint().toString(), "acme", wharf.managementAccountId(), "pypi",
        "base") + "simple/");
    String basic = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> created = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      workers.add(pool.submit(() -> {
        for (int i = 0; i < MAX_REQUESTS_PER_WORKER && !stop.get(); i++) {
          int kind = (worker + i) % 4;
          try {
            switch (kind) {
              case 0 -> codeartifact.listRepositories(b -> { });
              case 1 -> iam.listUsers(b -> { });
              case 2 -> {
                String name = "r" + worker + "-" + i;
                codeartifact.createRepository(b -> b.domain("acme").repository(name));
                created.add(name);
              }
              default -> {
                HttpResponse<String> index = http.send(HttpRequest.newBuilder(pypi).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (index.statusCode() == 503 && index.body().contains("database cannot be reached")) {
                  unavailable.incrementAndGet();
                  continue;
                }
                if (index.statusCode() != 200) {
                  wrong.add("pypi " + index.statusCode() + ": " + index.body());
                  continue;
                }
              }
            }
            ok.incrementAndGet();
          } catch (AwsServiceException e) {
            String code = e.awsErrorDetails().errorCode();
            boolean clean = e.statusCode() == 503 && (kind == 1 ? "ServiceUnavailable".equals(code)
                : "InternalServerException".equals(code));
            if (clean) {
              unavailable.incrementAndGet();
            } else {
              wrong.add("kind " + kind + ": " + e.statusCode() + " " + code + " " + e.awsErrorDetails().errorMessage());
            }
          } catch (Exception e) {
            wrong.add("kind " + kind + ": " + e);
          }
        }
        return null;
      }));
    }
    Future<?> restarter = pool.submit(() -> {
      for (int round = 0; round < RESTARTS; round++) {
        Thread.sleep(400);
        boolean refuse = round % 2 == 1; // every other round: new connections refused for a moment, like a restart
        if (refuse) {
          database.refuseConnections();
        }
        database.terminateConnections();
        if (refuse) {
          Thread.sleep(300);
          database.allowConnections();
        }
      }
      return null;
    });
    restarter.get();
    stop.set(true);
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    System.out.printf("DatabaseRestartUnderLoadIT: %d succeeded, %d answered 503, %d wrong%n", ok.get(),
        unavailable.get(), wrong.size());
    assertThat(wrong).as("responses other than success or a clean 503").isEmpty();
    assertThat(ok.get()).isPositive();

    // the same process recovers by itself
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (http.send(HttpRequest.newBuilder(wharf.endpoint().resolve("/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode() != 200 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    codeartifact.createRepository(b -> b.domain("acme").repository("after"));
    iam.createUser(b -> b.userName("after"));
    assertThat(http.send(HttpRequest.newBuilder(pypi).header("Authorization", basic).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    codeartifact.listRepositoriesPaginator(b -> { }).repositories().forEach(r -> names.add(r.name()));
    assertThat(names).contains("base", "after").containsAll(created);
  }
}
