package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A browser of the web console over plain HTTP (no script): its cookies, kept as the console's answers set
 * them, redirects not followed. Optionally from an address of its own on the loopback network (127.0.0.0/8),
 * for tests of limits that count by address.
 */
public final class TestingConsole {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  public final Map<String, String> cookies = new LinkedHashMap<>();
  private final URI endpoint;
  private final String account;
  private final HttpClient http;

  /** @param account the account the password sign-in form names */
  public TestingConsole(URI endpoint, String account) {
    this.endpoint = endpoint;
    this.account = account;
    this.http = HTTP;
  }

  public TestingConsole(URI endpoint, String account, String localAddress) {
    this.endpoint = endpoint;
    this.account = account;
    try {
      this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
          .localAddress(InetAddress.getByName(localAddress)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The token of the first form of a page. */
  public static String csrf(HttpResponse<String> page) {
    Matcher matcher = CSRF.matcher(page.body());
    assertThat(matcher.find()).as("a form with a CSRF token in " + page.body()).isTrue();
    return matcher.group(1);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(endpoint.resolve(path)).GET());
  }

  /** Posts a form; {@code origin} is the Origin header a browser would send, or null for none. */
  public HttpResponse<String> post(String path, Map<String, String> form, String origin)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"))));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (String set : response.headers().allValues("Set-Cookie")) {
      String pair = set.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty()) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    return response;
  }

  /** The sign-in form's token (its pre-session cookie is set by the GET). */
  public String signInToken() throws IOException, InterruptedException {
    return csrf(get("/console/sign-in"));
  }

  public HttpResponse<String> signInWithPassword(String user, String password) throws IOException, InterruptedException {
    return post("/console/sign-in", Map.of("csrf", signInToken(), "method", "password", "account", account,
        "user", user, "password", password), null);
  }

  public HttpResponse<String> signInWithKey(AwsBasicCredentials key) throws IOException, InterruptedException {
    return post("/console/sign-in", Map.of("csrf", signInToken(), "method", "key", "accessKeyId",
        key.accessKeyId(), "secretAccessKey", key.secretAccessKey()), null);
  }
}
