package dev.wharf.bench;

import dev.wharf.config.WharfConfig;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import dev.wharf.server.FirstStart;
import dev.wharf.server.WharfServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * NuGet's registration index of a package with many versions (default 1,000): GETs on one keep-alive
 * connection with the token as Basic auth, as the NuGet client sends it, against a server in this JVM
 * (free loopback port, temporary SQLite data directory). Versions are seeded through
 * PublishingService as a push stores them (the version document and a small {@code .nupkg}).
 *   bench/nuget-registration.sh [versions] [requests per scenario]
 */
public final class NugetRegistrationLoad {
  private static final Pattern KEY = Pattern.compile("aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)");

  private NugetRegistrationLoad() {}

  public static void main(String[] args) throws Exception {
    int versions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path data = Files.createTempDirectory("wharf-bench-nuget");
    WharfConfig config = WharfConfig.builder().environment(Map.of()).flag("port", 0).flag("data", data)
        .flag("bind", "127.0.0.1").build();
    try (WharfServer server = WharfServer.start(config, Clock.systemUTC())) {
      FirstStart first = server.firstStart().orElseThrow();
      Matcher key = KEY.matcher(Files.readString(first.credentialsFile()));
      if (!key.find()) {
        throw new IllegalStateException("no key in " + first.credentialsFile());
      }
      String token;
      String endpoint;
      String account;
      try (CodeartifactClient api = CodeartifactClient.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + server.port())).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.group(1), key.group(2))))
          .httpClient(UrlConnectionHttpClient.create()).build()) {
        api.createDomain(b -> b.domain("bench"));
        api.createRepository(b -> b.domain("bench").repository("dotnet"));
        account = api.describeDomain(b -> b.domain("bench")).domain().owner();
        token = api.getAuthorizationToken(b -> b.domain("bench").domainOwner(account)).authorizationToken();
        endpoint = api.getRepositoryEndpoint(b -> b.domain("bench").domainOwner(account).repository("dotnet")
            .format("nuget")).repositoryEndpoint();
      }
      PackageKey packageKey = new PackageKey(account, "bench", "dotnet", "nuget", "", "many.versions");
      long seedStart = System.nanoTime();
      for (int i = 0; i < versions; i++) {
        String version = "1." + (i / 1000) + "." + (i % 1000);
        String document = "{\"id\":\"Many.Versions\",\"version\":\"" + version + "\",\"description\":\"Version " + i
            + "\",\"authors\":\"Bench\",\"dependencyGroups\":[{\"targetFramework\":\"net8.0\",\"dependencies\":"
            + "[{\"id\":\"Newtonsoft.Json\",\"range\":\"13.0.3\"}]}]}";
        byte[] nupkg = ("nupkg " + version).getBytes(StandardCharsets.UTF_8);
        server.publishing().publish(new PublishingService.Publication(packageKey, version, "Version " + i, document,
            Map.of(), "INTERNAL"), List.of(new PublishingService.AssetContent("many.versions." + version + ".nupkg",
            new ByteArrayInputStream(nupkg), nupkg.length)));
      }
      System.out.printf("seeded %d versions in %.1f s (server on port %d, data %s)%n", versions,
          (System.nanoTime() - seedStart) / 1e9, server.port(), data);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String basic = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token).getBytes(StandardCharsets.UTF_8));
      String registration = endpoint + "v3/registration/many.versions/";
      String lastPage = "1." + ((versions - 1) / 1000) + "." + ((versions - 1) % 1000);
      String firstOfLastPage = versions <= 128 ? null : versionAt((versions - 1) / 64 * 64);
      List<String[]> scenarios = new java.util.ArrayList<>(List.of(
          new String[] {"registration index (" + versions + " versions)", registration + "index.json"},
          new String[] {"flat container versions", endpoint + "v3/package/many.versions/index.json"},
          new String[] {"service index", endpoint + "v3/index.json"}));
      if (firstOfLastPage != null) {
        scenarios.add(1, new String[] {"registration page (last, up to 64 leaves)", registration + "page/"
            + firstOfLastPage + "/" + lastPage + ".json"});
      }
      System.out.printf("%-46s %9s %9s %9s %9s %9s%n", "scenario (" + requests + " GETs after 50 warm-up)", "p50 ms",
          "p90 ms", "p99 ms", "max ms", "KiB");
      for (String[] scenario : scenarios) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(scenario[1])).header("Authorization", basic).build();
        int size = 0;
        for (int i = 0; i < 50; i++) {
          size = check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), scenario[1]).length;
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          check(http.send(request, HttpResponse.BodyHandlers.ofByteArray()), scenario[1]);
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
        print(scenario[0], millis, size);
      }
      // after a write the index is rendered again from the package's document
      double[] cold = new double[Integer.getInteger("coldRequests", 60)];
      HttpRequest index = HttpRequest.newBuilder(URI.create(registration + "index.json")).header("Authorization", basic)
          .build();
      for (int i = 0; i < cold.length; i++) {
        server.versionLifecycle().updateStatus(packageKey, versionAt(i), i % 2 == 0 ? VersionStatus.UNLISTED
            : VersionStatus.PUBLISHED);
        long start = System.nanoTime();
        check(http.send(index, HttpResponse.BodyHandlers.ofByteArray()), "index after a write");
        cold[i] = (System.nanoTime() - start) / 1e6;
      }
      print("registration index after a write", cold, 0);
    }
  }

  private static String versionAt(int i) {
    return "1." + (i / 1000) + "." + (i % 1000);
  }

  private static byte[] check(HttpResponse<byte[]> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + new String(response.body(),
          StandardCharsets.UTF_8));
    }
    return response.body();
  }

  private static void print(String name, double[] millis, int bytes) {
    Arrays.sort(millis);
    System.out.printf("%-46s %9.2f %9.2f %9.2f %9.2f %9.1f%n", name, percentile(millis, 50), percentile(millis, 90),
        percentile(millis, 99), millis[millis.length - 1], bytes / 1024.0);
  }

  private static double percentile(double[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
