package dev.wharf.bench;

import dev.wharf.identity.Principal;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingServer;
import dev.wharf.token.IssuedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How long a change made on one node takes to apply on another: two nodes (in this JVM, each with
 * its own pool, HTTP server and change listener) on a fresh PostgreSQL schema, sharing a blob
 * directory and master key. Each round makes the change on node A and polls node B with the npm
 * endpoint (no pause between requests) until B answers as it should; the delay runs from the end
 * of the change on A to B's first answer that shows it.
 *   bench/cluster-propagation.sh [rounds, default 100]
 */
public final class ClusterPropagationLoad {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ClusterPropagationLoad() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String url = TestingDatabases.freshPostgresUrl();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> environment = Map.of("WHARF_DATABASE_URL", url,
        "WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    Path shared = Files.createTempDirectory("wharf-bench-cluster");
    try (TestingServer a = TestingServer.startNode(shared, environment);
        TestingServer b = TestingServer.startNode(shared, environment)) {
      var root = a.rootCredentials();
      String account = a.sts(root).getCallerIdentity(r -> {}).account();
      a.codeartifact(root).createDomain(r -> r.domain("bench"));
      a.codeartifact(root).createRepository(r -> r.domain("bench").repository("app"));
      String path = "/bench-" + account + "/npm/app/no-such-package";

      List<Double> revocations = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        IssuedToken issued = a.server().tokens().issue(new Principal.Root(account), account, "bench",
            Instant.now().plus(Duration.ofHours(1)));
        expect(b, path, issued.token(), 404);
        a.server().tokens().revoke(issued.tokenId());
        revocations.add(untilStatus(b, path, issued.token(), 401));
      }
      report("token revocation on A refused by B", revocations);

      var iam = a.iam(root);
      iam.createUser(r -> r.userName("bench"));
      iam.putUserPolicy(r -> r.userName("bench").policyName("allow").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"codeartifact:*\","
              + "\"sts:GetServiceBearerToken\"],\"Resource\":\"*\"}]}"));
      Principal.User user = new Principal.User(account, "bench",
          iam.getUser(r -> r.userName("bench")).user().userId(), "/");
      IssuedToken token = a.server().tokens().issue(user, account, "bench", Instant.now().plus(Duration.ofHours(1)));
      List<Double> policies = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        expect(b, path, token.token(), 404);
        iam.putUserPolicy(r -> r.userName("bench").policyName("deny").policyDocument(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"codeartifact:*\","
                + "\"Resource\":\"*\"}]}"));
        policies.add(untilStatus(b, path, token.token(), 403));
        iam.deleteUserPolicy(r -> r.userName("bench").policyName("deny"));
        untilStatus(b, path, token.token(), 404);
      }
      report("IAM Deny put through A (SDK) applied by B", policies);
    }
  }

  private static void expect(TestingServer node, String path, String token, int status) throws Exception {
    int got = get(node, path, token);
    if (got != status) {
      throw new IllegalStateException("expected " + status + ", got " + got);
    }
  }

  private static double untilStatus(TestingServer node, String path, String token, int status) throws Exception {
    long start = System.nanoTime();
    while (get(node, path, token) != status) {
      if (System.nanoTime() - start > 30_000_000_000L) {
        throw new IllegalStateException("no change after 30 s");
      }
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private static int get(TestingServer node, String path, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.endpoint() + path)).header("Authorization", "Bearer " + token)
        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static void report(String what, List<Double> delays) {
    List<Double> sorted = new ArrayList<>(delays);
    Collections.sort(sorted);
    System.out.printf("%s, %d rounds: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", what, sorted.size(),
        percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
