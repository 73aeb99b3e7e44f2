package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.audit.AuditEvent;
import dev.wharf.testing.TestingAudit;
import dev.wharf.testing.TestingConsole;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The console's defences over plain HTTP, as a hostile page or client would probe them: declared access
 * on every route, security headers, CSRF and cross-site posts, session fixation, no open redirect,
 * cookies, sign-in limits and their audit, and a session that ends when its user is deleted.
 */
class ConsoleSecurityIT {
  private static final String PASSWORD = "Wharf-console-1";
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir static java.nio.file.Path scratch;
  static TestingServer wharf;
  static IamClient rootIam;
  static CodeartifactClient rootCodeartifact;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    rootIam = wharf.iam(wharf.rootCredentials());
    rootCodeartifact = wharf.codeartifact(wharf.rootCredentials());
    account = wharf.managementAccountId();
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  static TestingConsole browser() {
    return new TestingConsole(wharf.endpoint(), account);
  }

  static String csrf(HttpResponse<String> page) {
    return TestingConsole.csrf(page);
  }

  static void user(String name) {
    TestingIam.user(rootIam, name, "developer", TestingIam.DEVELOPER);
    rootIam.createLoginProfile(b -> b.userName(name).password(PASSWORD));
  }

  @Test
  void everyRouteDeclaresWhatItNeedsAndARouteWithoutADeclarationCannotBeMade() {
    assertThat(wharf.server().consoleRoutes()).isNotEmpty().allSatisfy(route -> assertThat(route.access()).isNotNull());
    assertThat(wharf.server().consoleRoutes()).filteredOn(r -> r.method().equals("POST")).extracting(
        r -> r.path().pattern()).contains("/sign-in", "/sign-out", "/domains");
    assertThatThrownBy(() -> new ConsoleEndpoints.Route("GET", "/x", null, r -> null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("access");
    assertThatThrownBy(() -> new ConsoleEndpoints.Reply.Redirect("//evil.example/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConsoleEndpoints.Reply.Redirect("https://evil.example/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyPageForbidsFramesAndInlineScript() throws Exception {
    TestingConsole browser = browser();
    for (HttpResponse<String> page : List.of(browser.get("/console/sign-in"), browser.get("/console/no-such-page"))) {
      String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(policy).contains("frame-ancestors 'none'", "script-src 'self'", "default-src 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.body()).doesNotContainPattern("<script>|<script [^>]*>[^<]|\\son[a-z]+=");
    }
    assertThat(browser.get("/console/no-such-page").statusCode()).isEqualTo(404);
  }

  @Test
  void signInStartsAFreshHttpOnlyStrictSessionAndGoesOnlyToTheConsole() throws Exception {
    user("fixation");
    TestingConsole browser = browser();
    browser.cookies.put(ConsoleEndpoints.SESSION_COOKIE, "chosen-by-an-attacker");
    HttpResponse<String> signedIn = browser.post("/console/sign-in?next=//evil.example/", Map.of("csrf",
        browser.signInToken(), "method", "password", "account", account, "user", "fixation", "password", PASSWORD,
        "next", "https://evil.example/"), null);
    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue("/console/domains");
    String cookie = signedIn.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(ConsoleEndpoints.SESSION_COOKIE + "=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console/");
    assertThat(browser.cookies.get(ConsoleEndpoints.SESSION_COOKIE)).isNotEqualTo("chosen-by-an-attacker").hasSize(43);
    assertThat(browser.get("/console/domains").statusCode()).isEqualTo(200);

    TestingConsole attacker = browser();
    attacker.cookies.put(ConsoleEndpoints.SESSION_COOKIE, "chosen-by-an-attacker");
    assertThat(attacker.get("/console/domains").headers().firstValue("Location")).hasValue("/console/sign-in");
    // the page after sign-in never shows the password or the secret
    assertThat(browser.get("/console/domains").body()).doesNotContain(PASSWORD);
  }

  @Test
  void crossSitePostsAndPostsWithoutTheSessionsTokenChangeNothing() throws Exception {
    user("poster");
    TestingConsole browser = browser();
    browser.signInWithPassword("poster", PASSWORD);
    String token = csrf(browser.get("/console/domains"));
    HttpResponse<String> crossSite = browser.post("/console/domains", Map.of("csrf", token, "name", "crosssite"),
        "https://evil.example");
    HttpResponse<String> noToken = browser.post("/console/domains", Map.of("name", "notoken"), null);
    HttpResponse<String> otherToken = browser.post("/console/domains", Map.of("csrf", "x".repeat(43), "name",
        "othertoken"), null);
    assertThat(List.of(crossSite.statusCode(), noToken.statusCode(), otherToken.statusCode())).containsOnly(403);
    TestingConsole stranger = browser();
    assertThat(stranger.post("/console/domains", Map.of("csrf", token, "name", "nosession"), null).statusCode())
        .isEqualTo(403);
    assertThat(rootCodeartifact.listDomains(b -> { }).domains()).extracting(d -> d.name())
        .doesNotContain("crosssite", "notoken", "othertoken", "nosession");
    HttpResponse<String> created = browser.post("/console/domains", Map.of("csrf", token, "name", "posted"), null);
    assertThat(created.statusCode()).isEqualTo(303);
    assertThat(rootCodeartifact.listDomains(b -> { }).domains()).extracting(d -> d.name()).contains("posted");
    // the sign-in form has its own token: a post without it signs nobody in
    assertThat(browser().post("/console/sign-in", Map.of("method", "password", "account", account, "user",
        "poster", "password", PASSWORD), null).statusCode()).isEqualTo(403);
  }

  @Test
  void rootSignsInWithItsAccessKeyAndAWrongSecretIsRefused() throws Exception {
    AwsBasicCredentials root = wharf.rootCredentials();
    TestingConsole wrong = browser();
    HttpResponse<String> refused = wrong.signInWithKey(AwsBasicCredentials.create(root.accessKeyId(), "wrong"));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("incorrect").doesNotContain(root.accessKeyId());
    TestingConsole browser = browser();
    assertThat(browser.signInWithKey(root).statusCode()).isEqualTo(303);
    assertThat(browser.get("/console/domains").body()).contains("arn:aws:iam::" + account + ":root")
        .doesNotContain(root.secretAccessKey());
  }

  @Test
  void failedSignInsAreLimitedPerUserAndAudited() throws Exception {
    user("guessed");
    Instant before = Instant.now();
    for (int i = 0; i < ConsoleSignIn.MAX_FAILURES_PER_USER; i++) {
      assertThat(new TestingConsole(wharf.endpoint(), account, "127.0.0.2").signInWithPassword("guessed", "wrong-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> limited = new TestingConsole(wharf.endpoint(), account, "127.0.0.2").signInWithPassword("guessed", PASSWORD);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("Too many failed sign-in attempts");
    List<AuditEvent> events = TestingAudit.awaitEvents(
        () -> wharf.server().audit().lookup(account, before, null, ConsoleSignIn.AUDIT_ACTION, 100),
        found -> found.stream().anyMatch(e -> "Throttled".equals(e.errorCode())), "the throttled sign-in");
    assertThat(events).filteredOn(e -> "AuthenticationFailed".equals(e.errorCode()))
        .hasSizeGreaterThanOrEqualTo(ConsoleSignIn.MAX_FAILURES_PER_USER);
    assertThat(events).filteredOn(e -> "Throttled".equals(e.errorCode())).isNotEmpty();
  }

  @Test
  void aPasswordThatMustBeResetIsChangedBeforeTheUserSignsIn() throws Exception {
    user("reset");
    rootIam.updateLoginProfile(b -> b.userName("reset").passwordResetRequired(true));
    TestingConsole browser = browser();
    HttpResponse<String> mustChange = browser.signInWithPassword("reset", PASSWORD);
    assertThat(mustChange.statusCode()).isEqualTo(200);
    assertThat(mustChange.body()).contains("Set a new password");
    assertThat(browser.cookies).doesNotContainKey(ConsoleEndpoints.SESSION_COOKIE);
    String token = csrf(mustChange);
    Map<String, String> form = new LinkedHashMap<>(Map.of("csrf", token, "account", account, "user", "reset",
        "password", PASSWORD, "newPassword", "Another-password-2", "confirmPassword", "Another-password-3"));
    assertThat(browser.post("/console/change-password", form, null).body()).contains("do not match");
    // without iam:ChangePassword the change is refused with IAM's message, as the API refuses it
    form.put("csrf", browser.cookies.get(ConsoleEndpoints.SIGN_IN_COOKIE));
    form.put("confirmPassword", "Another-password-2");
    HttpResponse<String> denied = browser.post("/console/change-password", form, null);
    assertThat(denied.statusCode()).isEqualTo(400);
    assertThat(denied.body()).contains("iam:ChangePassword");
    rootIam.putUserPolicy(b -> b.userName("reset").policyName("change").policyDocument("{\"Version\":\"2012-10-17\","
        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ChangePassword\",\"Resource\":\"*\"}]}"));
    form.put("csrf", browser.cookies.get(ConsoleEndpoints.SIGN_IN_COOKIE));
    HttpResponse<String> changed = browser.post("/console/change-password", form, null);
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(303);
    assertThat(browser.get("/console/domains").statusCode()).isEqualTo(200);
    assertThat(browser().signInWithPassword("reset", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(browser().signInWithPassword("reset", "Another-password-2").statusCode()).isEqualTo(303);
  }

  @Test
  void aSessionEndsWhenItsAccessKeyIsDeactivatedOrItsPasswordChanged() throws Exception {
    AwsBasicCredentials key = TestingIam.user(rootIam, "keyed", "developer", TestingIam.DEVELOPER);
    rootIam.createLoginProfile(b -> b.userName("keyed").password(PASSWORD));
    TestingConsole byKey = browser();
    assertThat(byKey.signInWithKey(key).statusCode()).isEqualTo(303);
    TestingConsole byPassword = browser();
    assertThat(byPassword.signInWithPassword("keyed", PASSWORD).statusCode()).isEqualTo(303);
    assertThat(byKey.get("/console/domains").statusCode()).isEqualTo(200);
    assertThat(byPassword.get("/console/domains").statusCode()).isEqualTo(200);
    rootIam.updateAccessKey(b -> b.userName("keyed").accessKeyId(key.accessKeyId()).status("Inactive"));
    assertThat(byKey.get("/console/domains").headers().firstValue("Location")).hasValue("/console/sign-in");
    assertThat(byPassword.get("/console/domains").statusCode()).isEqualTo(200);
    Thread.sleep(5); // the new password's time comes after the session's start
    rootIam.updateLoginProfile(b -> b.userName("keyed").password("Changed-by-admin-4"));
    assertThat(byPassword.get("/console/domains").headers().firstValue("Location")).hasValue("/console/sign-in");
  }

  @Test
  void attemptsMadeAtOnceCannotAllPassTheLimit() throws Exception {
    user("raced");
    int attempts = 16;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
    try {
      List<TestingConsole> browsers = new java.util.ArrayList<>();
      List<String> tokens = new java.util.ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        TestingConsole browser = new TestingConsole(wharf.endpoint(), account, "127.0.0.3");
        tokens.add(browser.signInToken());
        browsers.add(browser);
      }
      var go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        TestingConsole browser = browsers.get(i);
        String token = tokens.get(i);
        int n = i;
        statuses.add(pool.submit(() -> {
          go.await();
          return browser.post("/console/sign-in", Map.of("csrf", token, "method", "password", "account", account,
              "user", "raced", "password", "wrong-" + n), null).statusCode();
        }));
      }
      go.countDown();
      List<Integer> answered = new java.util.ArrayList<>();
      for (var status : statuses) {
        answered.add(status.get());
      }
      assertThat(answered.stream().filter(status -> status == 401).count())
          .isLessThanOrEqualTo(ConsoleSignIn.MAX_FAILURES_PER_USER);
      assertThat(answered).contains(429);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void behindAProxyThePublicUrlIsTheOriginAndMakesCookiesSecure() throws Exception {
    try (TestingServer proxied = TestingServer.start(scratch.resolve("proxied"), java.time.Clock.systemUTC(),
        Map.of("WHARF_PUBLIC_URL", "https://wharf.example.com"))) {
      HttpClient http = HTTP;
      URI signIn = proxied.endpoint().resolve("/console/sign-in");
      HttpResponse<String> form = http.send(HttpRequest.newBuilder(signIn).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(form.headers().allValues("Set-Cookie")).allSatisfy(cookie -> assertThat(cookie).contains("; Secure"));
      String token = csrf(form);
      String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      AwsBasicCredentials root = proxied.rootCredentials();
      String body = "csrf=" + token + "&method=key&accessKeyId=" + root.accessKeyId() + "&secretAccessKey="
          + URLEncoder.encode(root.secretAccessKey(), StandardCharsets.UTF_8);
      for (String origin : List.of("http://wharf.example.com", "https://evil.example")) {
        assertThat(http.send(HttpRequest.newBuilder(signIn).header("Cookie", cookie).header("Origin", origin)
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(origin).isEqualTo(403);
      }
      HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(signIn).header("Cookie", cookie)
          .header("Origin", "https://wharf.example.com").header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(signedIn.statusCode()).isEqualTo(303);
      assertThat(signedIn.headers().allValues("Set-Cookie")).allSatisfy(c -> assertThat(c).contains("; Secure"));
    }
  }

  @Test
  void aSessionEndsWithinASecondWhenItsUserIsDeleted() throws Exception {
    user("leaving");
    TestingConsole browser = browser();
    browser.signInWithPassword("leaving", PASSWORD);
    assertThat(browser.get("/console/domains").statusCode()).isEqualTo(200);
    rootIam.deleteLoginProfile(b -> b.userName("leaving"));
    rootIam.deleteUserPolicy(b -> b.userName("leaving").policyName("developer"));
    rootIam.listAccessKeys(b -> b.userName("leaving")).accessKeyMetadata()
        .forEach(k -> rootIam.deleteAccessKey(b -> b.userName("leaving").accessKeyId(k.accessKeyId())));
    rootIam.deleteUser(b -> b.userName("leaving"));
    long deadline = System.nanoTime() + 1_000_000_000L;
    HttpResponse<String> after = browser.get("/console/domains");
    while (after.statusCode() == 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      after = browser.get("/console/domains");
    }
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.headers().firstValue("Location")).hasValue("/console/sign-in");
  }
}
