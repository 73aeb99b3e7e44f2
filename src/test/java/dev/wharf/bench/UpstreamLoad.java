package dev.wharf.bench;

import dev.wharf.config.WharfConfig;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.server.FirstStart;
import dev.wharf.server.WharfServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * What reading through an upstream costs (issue 7): npm tarball GETs on loopback with an
 * authorization token, against a server in this JVM (free port, temporary SQLite data directory).
 * Repository {@code team} has {@code base} as its upstream. Compared, per request:
 * <ul>
 *   <li>a version read from {@code base} directly (the upstream's own time);</li>
 *   <li>a fall-through miss: the first read of that version through {@code team}, which finds it in
 *       {@code base} and retains it in {@code team} (a write) before streaming it;</li>
 *   <li>a warm hit on the retained version through {@code team};</li>
 *   <li>a version published to {@code team} itself (a local version);</li>
 *   <li>publishing new versions to {@code team} (a service call, no HTTP: the publish's own cost, its origin
 *       decision included).</li>
 * </ul>
 *   bench/upstreams.sh [versions = requests per scenario, default 500]
 */
public final class UpstreamLoad {
  private static final Pattern KEY = Pattern.compile("aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)");

  private UpstreamLoad() {}

  public static void main(String[] args) throws Exception {
    int versions = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path data = Files.createTempDirectory("wharf-bench-upstreams");
    WharfConfig config = WharfConfig.builder().environment(Map.of()).flag("port", 0).flag("data", data)
        .flag("bind", "127.0.0.1").build();
    try (WharfServer server = WharfServer.start(config, Clock.systemUTC())) {
      BenchUsage.countStatements(server.database().jdbi());
      FirstStart first = server.firstStart().orElseThrow();
      Matcher key = KEY.matcher(Files.readString(first.credentialsFile()));
      if (!key.find()) {
        throw new IllegalStateException("no key in " + first.credentialsFile());
      }
      String token;
      String account;
      try (CodeartifactClient api = CodeartifactClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.group(1), key.group(2))))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        api.createDomain(b -> b.domain("bench"));
        api.createRepository(b -> b.domain("bench").repository("base"));
        api.createRepository(b -> b.domain("bench").repository("team").upstreams(u -> u.repositoryName("base")));
        account = api.describeDomain(b -> b.domain("bench")).domain().owner();
        token = api.getAuthorizationToken(b -> b.domain("bench")).authorizationToken();
      }
      PackageKey upstreamPackage = new PackageKey(account, "bench", "base", "npm", "", "far");
      PackageKey localPackage = new PackageKey(account, "bench", "team", "npm", "", "near");
      byte[] tarball = new byte[4096];
      new java.util.Random(1).nextBytes(tarball);
      for (int i = 0; i < versions; i++) {
        for (PackageKey packageKey : List.of(upstreamPackage, localPackage)) {
          byte[] content = tarball.clone();
          content[0] = (byte) i;
          content[1] = (byte) (i >> 8);
          content[2] = (byte) packageKey.name().charAt(0);
          server.publishing().publish(new PublishingService.Publication(packageKey, "1.0." + i, null,
              "{\"name\":\"" + packageKey.name() + "\",\"version\":\"1.0." + i + "\"}", Map.of(), "INTERNAL"),
              List.of(new PublishingService.AssetContent("package.tgz", new ByteArrayInputStream(content), 1 << 20)));
        }
      }
      String root = "http://127.0.0.1:" + server.port() + "/bench-" + account + "/npm/";
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      IntFunction<URI> base = i -> URI.create(root + "base/far/-/far-1.0." + i + ".tgz");
      IntFunction<URI> team = i -> URI.create(root + "team/far/-/far-1.0." + i + ".tgz");
      IntFunction<URI> local = i -> URI.create(root + "team/near/-/near-1.0." + i + ".tgz");
      // Warm the connection, the JIT and the caches on another package's reads.
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < versions; i++) {
          get(http, token, local.apply(i));
        }
      }
      System.out.printf("%d versions of a 4 KiB tarball per package; server on port %d, data %s%n", versions,
          server.port(), data);
      System.out.printf("%-58s %8s %8s %8s %8s   %s%n", "scenario (" + versions + " requests)", "p50 ms", "p90 ms",
          "p99 ms", "max ms", BenchUsage.header() + " (per request; GC pauses in all)");
      report("upstream's own time: GET from base", measure(http, token, versions, base));
      report("fall-through miss: first GET through team (retains)", measure(http, token, versions, team));
      report("warm hit on the retained version through team", measure(http, token, versions, team));
      report("local version published to team", measure(http, token, versions, local));
      report("upstream's own time again: GET from base", measure(http, token, versions, base));
      String packument = root + "team/far";
      report("packument through team (merged from team and base)", measure(http, token, versions,
          i -> URI.create(packument)));
      report("packument of base alone", measure(http, token, versions, i -> URI.create(root + "base/far")));
      // a publish's own cost (its origin decision included) without HTTP: new versions of the local package
      report("publish to team (PublishingService.publish, 4 KiB, no HTTP)", measure(versions, i -> {
        byte[] content = tarball.clone();
        content[0] = (byte) i;
        content[1] = (byte) (i >> 8);
        content[2] = (byte) 'p';
        server.publishing().publish(new PublishingService.Publication(localPackage, "1.1." + i, null,
            "{\"name\":\"near\",\"version\":\"1.1." + i + "\"}", Map.of(), "INTERNAL"),
            List.of(new PublishingService.AssetContent("package.tgz", new ByteArrayInputStream(content), 1 << 20)));
      }));
    } finally {
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private record Measured(double[] sorted, String spent) {}

  private static Measured measure(HttpClient http, String token, int count, IntFunction<URI> uri) throws Exception {
    return measure(count, i -> get(http, token, uri.apply(i)));
  }

  /** One step of a scenario, the i-th. */
  @FunctionalInterface
  private interface Step {
    void run(int i) throws Exception;
  }

  private static Measured measure(int count, Step step) throws Exception {
    double[] millis = new double[count];
    BenchUsage usage = BenchUsage.now();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      step.run(i);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    String spent = usage.perRequest(count);
    Arrays.sort(millis);
    return new Measured(millis, spent);
  }

  private static void get(HttpClient http, String token, URI uri) throws Exception {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode());
    }
  }

  private static void report(String name, Measured measured) {
    double[] sorted = measured.sorted();
    System.out.printf("%-58s %8.2f %8.2f %8.2f %8.2f   %s%n", name, percentile(sorted, 50), percentile(sorted, 90),
        percentile(sorted, 99), sorted[sorted.length - 1], measured.spent());
  }

  private static double percentile(double[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
