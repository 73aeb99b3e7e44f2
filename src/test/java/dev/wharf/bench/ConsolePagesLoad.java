package dev.wharf.bench;

import dev.wharf.config.WharfConfig;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.server.FirstStart;
import dev.wharf.server.WharfServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console's pages over a repository of many packages (issue 17: p95 of each page's server time
 * ≤ 100 ms with 10,000 packages). The server runs in this JVM on a free port with its own temporary data
 * directory (SQLite); the packages (npm, one version each, with a readme) are seeded through
 * PublishingService, as the npm endpoints store them. A console session is signed in with the root access
 * key over HTTP; each page is then fetched on one connection, after a warm-up, and its round trip on
 * loopback timed (an upper bound of the server time: it includes the client's).
 *   bench/console-pages.sh [packages, default 10000] [requests per page, default 200]
 */
public final class ConsolePagesLoad {
  private static final Pattern KEY = Pattern.compile("aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private ConsolePagesLoad() {}

  public static void main(String[] args) throws Exception {
    int packages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path data = Files.createTempDirectory("wharf-bench-console");
    WharfConfig config = WharfConfig.builder().environment(Map.of()).flag("port", 0).flag("data", data)
        .flag("bind", "127.0.0.1").build();
    try (WharfServer server = WharfServer.start(config, Clock.systemUTC())) {
      FirstStart first = server.firstStart().orElseThrow();
      Matcher key = KEY.matcher(Files.readString(first.credentialsFile()));
      if (!key.find()) {
        throw new IllegalStateException("no key in " + first.credentialsFile());
      }
      String account = first.accountId();
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      Session session = new Session(http, base);
      session.signIn(key.group(1), key.group(2));
      session.post("/console/domains", Map.of("name", "bench"));
      session.post("/console/domains/" + account + "/bench/repositories", Map.of("name", "many"));

      long seedStart = System.nanoTime();
      for (int i = 0; i < packages; i++) {
        String name = String.format("pkg-%05d", i);
        PackageKey packageKey = new PackageKey(account, "bench", "many", "npm", "", name);
        server.publishing().publish(new PublishingService.Publication(packageKey, "1.0.0", "package " + i,
            "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"readme\":\"# " + name + "\\n\\nA *readme* with a"
                + " [link](https://example.com/" + i + ").\",\"dependencies\":{\"left-pad\":\"^1.3.0\"}}",
            Map.of("latest", "1.0.0"), "INTERNAL"), List.of());
      }
      System.out.printf("seeded %d packages in %.1f s (server on port %d, data %s)%n", packages,
          (System.nanoTime() - seedStart) / 1e9, server.port(), data);

      String repository = "/console/domains/" + account + "/bench/repositories/many";
      String middle = String.format("pkg-%05d", packages / 2);
      List<String[]> pages = List.of(
          new String[] {"domains", "/console/domains"},
          new String[] {"domain (repositories)", "/console/domains/" + account + "/bench"},
          new String[] {"repository, first 50 packages", repository},
          new String[] {"repository, prefix search", repository + "?prefix=" + middle.substring(0, 8) + "&format=npm"},
          new String[] {"domain-wide prefix search", "/console/domains/" + account + "/bench?prefix="
              + middle.substring(0, 8)},
          new String[] {"package (versions)", repository + "/packages/npm/-/" + middle},
          new String[] {"version (readme, assets, deps)", repository + "/packages/npm/-/" + middle + "/versions/1.0.0"},
          new String[] {"connection instructions (npm)", repository + "/connect?format=npm"},
          new String[] {"tokens", "/console/tokens"},
          new String[] {"audit trail (50 events)", "/console/audit"});
      System.out.printf("%-36s %9s %9s %9s %9s%n", "page (" + requests + " requests after 50 warm-up)", "p50 ms",
          "p95 ms", "p99 ms", "max ms");
      for (String[] page : pages) {
        for (int i = 0; i < 50; i++) {
          session.get(page[1]);
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          session.get(page[1]);
          millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("%-36s %9.2f %9.2f %9.2f %9.2f%n", page[0], percentile(millis, 50), percentile(millis, 95),
            percentile(millis, 99), millis[millis.length - 1]);
      }
    } finally {
      try (var paths = Files.walk(data)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** A signed-in browser: its session cookie and its forms' token. */
  private static final class Session {
    private final HttpClient http;
    private final String base;
    private final List<String> cookies = new ArrayList<>();
    private String csrf;

    Session(HttpClient http, String base) {
      this.http = http;
      this.base = base;
    }

    void signIn(String accessKeyId, String secret) throws Exception {
      HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).GET());
      String token = token(form.body());
      HttpResponse<String> signedIn = post("/console/sign-in", Map.of("csrf", token, "method", "key", "accessKeyId",
          accessKeyId, "secretAccessKey", secret));
      if (signedIn.statusCode() != 303) {
        throw new IllegalStateException("sign-in answered " + signedIn.statusCode());
      }
      csrf = token(get("/console/domains"));
    }

    String get(String path) throws Exception {
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      StringBuilder body = new StringBuilder();
      java.util.Map<String, String> fields = new java.util.LinkedHashMap<>(form);
      if (csrf != null) {
        fields.putIfAbsent("csrf", csrf);
      }
      fields.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&").append(name).append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
      return send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      if (!cookies.isEmpty()) {
        request.header("Cookie", String.join("; ", cookies));
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("Set-Cookie")) {
        String pair = set.split(";", 2)[0];
        String name = pair.substring(0, pair.indexOf('=') + 1);
        cookies.removeIf(cookie -> cookie.startsWith(name));
        if (pair.length() > name.length()) {
          cookies.add(pair);
        }
      }
      return response;
    }

    private static String token(String page) {
      Matcher matcher = CSRF.matcher(page);
      if (!matcher.find()) {
        throw new IllegalStateException("no form token in the page");
      }
      return matcher.group(1);
    }
  }

  private static double percentile(double[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }
}
