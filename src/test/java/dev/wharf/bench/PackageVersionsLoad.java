package dev.wharf.bench;

import dev.wharf.config.WharfConfig;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.server.FirstStart;
import dev.wharf.server.WharfServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.ListPackageVersionsResponse;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;

/**
 * list-package-versions over a package with many versions (default 10,000), through the AWS SDK
 * for Java v2 on loopback: every request SigV4-signed by the SDK and verified by the server, the
 * response parsed by the SDK, so each figure is the whole round trip a real client sees. The
 * server runs in this JVM on a free port with its own temporary data directory (SQLite); the
 * versions are seeded through PublishingService, as the format endpoints store them.
 *   bench/package-versions.sh [versions] [requests per scenario]
 */
public final class PackageVersionsLoad {
  private static final Pattern KEY = Pattern.compile("aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)");

  private PackageVersionsLoad() {}

  public static void main(String[] args) throws Exception {
    int versions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path data = Files.createTempDirectory("wharf-bench-versions");
    WharfConfig config = WharfConfig.builder().environment(Map.of()).flag("port", 0).flag("data", data)
        .flag("bind", "127.0.0.1").build();
    try (WharfServer server = WharfServer.start(config, Clock.systemUTC())) {
      BenchUsage.countStatements(server.database().jdbi());
      BenchUsage.notePauses();
      FirstStart first = server.firstStart().orElseThrow();
      Matcher key = KEY.matcher(Files.readString(first.credentialsFile()));
      if (!key.find()) {
        throw new IllegalStateException("no key in " + first.credentialsFile());
      }
      try (CodeartifactClient api = CodeartifactClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.group(1), key.group(2))))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        api.createDomain(b -> b.domain("bench"));
        api.createRepository(b -> b.domain("bench").repository("versions"));
        String account = api.describeDomain(b -> b.domain("bench")).domain().owner();
        PackageKey packageKey = new PackageKey(account, "bench", "versions", "npm", "", "many");
        long seedStart = System.nanoTime();
        for (int i = 0; i < versions; i++) {
          server.publishing().publish(new PublishingService.Publication(packageKey, "1." + (i / 1000) + "." + (i % 1000),
              "version " + i, "{\"name\":\"many\"}", i == versions - 1 ? Map.of("latest", "1." + (i / 1000) + "."
              + (i % 1000)) : Map.of(), "INTERNAL"), List.of());
        }
        System.out.printf("seeded %d versions in %.1f s (server on port %d, data %s)%n", versions,
            (System.nanoTime() - seedStart) / 1e9, server.port(), data);

        ListPackageVersionsResponse first100 = api.listPackageVersions(b -> b.domain("bench").repository("versions")
            .format(PackageFormat.NPM).packageValue("many").maxResults(100));
        // The token of the page after the first versions / 2 (nextTokens are opaque: walk there by pages of 100).
        String middleToken = null;
        for (int walked = 0; walked < versions / 2; walked += 100) {
          String token = middleToken;
          middleToken = api.listPackageVersions(b -> b.domain("bench").repository("versions").format(PackageFormat.NPM)
              .packageValue("many").maxResults(100).nextToken(token)).nextToken();
        }
        String middle = middleToken;
        List<Scenario> scenarios = List.of(
            new Scenario("first page, max-results 100", () -> api.listPackageVersions(b -> b.domain("bench")
                .repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(100))),
            new Scenario("second page by nextToken, max-results 100", () -> api.listPackageVersions(b -> b
                .domain("bench").repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(100)
                .nextToken(first100.nextToken()))),
            new Scenario("middle page (after " + versions / 2 + "), max-results 100", () -> api.listPackageVersions(b -> b
                .domain("bench").repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(100)
                .nextToken(middle))),
            new Scenario("sort-by PUBLISHED_TIME, max-results 100", () -> api.listPackageVersions(b -> b
                .domain("bench").repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(100)
                .sortBy("PUBLISHED_TIME"))),
            new Scenario("status Published, max-results 100", () -> api.listPackageVersions(b -> b.domain("bench")
                .repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(100)
                .status("Published"))),
            new Scenario("first page, max-results 1000", () -> api.listPackageVersions(b -> b.domain("bench")
                .repository("versions").format(PackageFormat.NPM).packageValue("many").maxResults(1000))));
        System.out.printf("%-48s %9s %9s %9s %9s   %s  %s%n", "scenario (" + requests + " requests after 50 warm-up)",
            "p50 ms", "p90 ms", "p99 ms", "max ms", BenchUsage.header(), "over 20 ms (of them during a GC pause)");
        for (Scenario scenario : scenarios) {
          for (int i = 0; i < 50; i++) {
            scenario.call().get();
          }
          double[] millis = new double[requests];
          BenchUsage usage = BenchUsage.now();
          int slow = 0;
          int slowInPause = 0;
          for (int i = 0; i < requests; i++) {
            long wallStart = System.currentTimeMillis();
            long start = System.nanoTime();
            ListPackageVersionsResponse response = scenario.call().get();
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (response.versions().isEmpty()) {
              throw new IllegalStateException("empty page in " + scenario.name());
            }
            if (millis[i] > 20) {
              slow++;
              slowInPause += BenchUsage.pausedDuring(wallStart, System.currentTimeMillis()) ? 1 : 0;
            }
          }
          String spent = usage.perRequest(requests);
          Arrays.sort(millis);
          System.out.printf("%-48s %9.2f %9.2f %9.2f %9.2f   %s  %d (%d)%n", scenario.name(), percentile(millis, 50),
              percentile(millis, 90), percentile(millis, 99), millis[millis.length - 1], spent, slow, slowInPause);
        }
        // After a write the package is read again from the database (the cache entry is dropped):
        // what the first list after each publish or status change costs.
        double[] cold = new double[Integer.getInteger("coldRequests", 60)];
        BenchUsage coldUsage = BenchUsage.now();
        for (int i = 0; i < cold.length; i++) {
          server.versionLifecycle().updateStatus(packageKey, "1.0." + i, dev.wharf.packages.VersionStatus.PUBLISHED);
          long start = System.nanoTime();
          api.listPackageVersions(b -> b.domain("bench").repository("versions").format(PackageFormat.NPM)
              .packageValue("many").maxResults(100));
          cold[i] = (System.nanoTime() - start) / 1e6;
        }
        String coldSpent = coldUsage.perRequest(cold.length);
        Arrays.sort(cold);
        System.out.printf("%-48s %9.2f %9.2f %9.2f %9.2f   %s%n", "first page after a write (" + cold.length + " requests)",
            percentile(cold, 50), percentile(cold, 90), percentile(cold, 99), cold[cold.length - 1], coldSpent);
        // The whole list page by page, as the CLI's paginator walks it.
        List<Double> walks = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          long start = System.nanoTime();
          int seen = 0;
          for (var page : api.listPackageVersionsPaginator(b -> b.domain("bench").repository("versions")
              .format(PackageFormat.NPM).packageValue("many").maxResults(1000))) {
            seen += page.versions().size();
          }
          if (seen != versions) {
            throw new IllegalStateException("walked " + seen + " versions, not " + versions);
          }
          walks.add((System.nanoTime() - start) / 1e6);
        }
        System.out.printf("walking all %d versions with max-results 1000 (%d pages): %s ms%n", versions,
            (versions + 999) / 1000, walks.stream().map(w -> String.format("%.0f", w)).toList());
      }
    } finally {
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static double percentile(double[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }

  private record Scenario(String name, Supplier<ListPackageVersionsResponse> call) {}
}
