package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingNpm;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The web console in Debian's Chromium, driven by playwright-core (src/test/console/console-browser.mjs):
 * an IAM user signs in with the console password set through the real IAM API, creates a domain and a
 * repository, finds the package the real npm published there, reads its hostile readme as text,
 * downloads its tarball, copies the npm set-up, and signs out; then edits a resource policy (an invalid
 * one first), unlists the version, revokes the tokens (npm then gets 401) and filters the audit trail;
 * axe-core checks the main pages. Last, a policy denies the user and the page shows AWS's message. playwright-core and axe-core are installed
 * from the npm registry into target/console-browser at test time.
 */
class ConsoleBrowserIT {
  static final String PLAYWRIGHT = "playwright-core@1.65.2";
  static final String AXE = "axe-core@4.14.1";
  /** Drives Firefox over WebDriver BiDi (ConsoleFirefoxIT): playwright-core drives only its own Firefox build. */
  static final String PUPPETEER = "puppeteer-core@25.19.0";
  static final String CHROMIUM = "/usr/bin/chromium";
  private static final String PASSWORD = "Wharf-console-1";
  private static final String DENY_LIST_DOMAINS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":\"codeartifact:ListDomains\",\"Resource\":\"*\"}]}";
  /** What the console's token and audit pages call, beside CodeArtifact. */
  private static final String CONSOLE_ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":[\"wharf:ListAuthorizationTokens\",\"wharf:RevokeAuthorizationToken\",\"wharf:LookupAuditEvents\"],"
      + "\"Resource\":\"*\"}]}";
  /** A readme with what a hostile publisher would try: script, event handlers, script links, SVG. */
  private static final String HOSTILE_README = "# xss-demo\n\n<script>alert('readme')</script>\n\n"
      + "<img src=x onerror=\"alert('img')\">\n\n<svg onload=\"alert('svg')\"></svg>\n\n"
      + "[click](javascript:alert('link')) [data](data:text/html,<script>alert(1)</script>) "
      + "[docs](https://example.com/docs)\n";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static IamClient rootIam;
  static String account;
  static AwsBasicCredentials alice;
  static Path modules;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("node", "--version");
    TestingClients.requireCommand("npm", "--version");
    TestingClients.requireCommand(CHROMIUM, "--version");
    modules = installBrowserModules();
    wharf = TestingServer.start(scratch.resolve("data"));
    rootIam = wharf.iam(wharf.rootCredentials());
    account = wharf.managementAccountId();
    alice = TestingIam.user(rootIam, "alice", "developer", TestingIam.DEVELOPER);
    rootIam.putUserPolicy(b -> b.userName("alice").policyName("console").policyDocument(CONSOLE_ADMIN));
    rootIam.createLoginProfile(b -> b.userName("alice").password(PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  /** playwright-core, axe-core and puppeteer-core, from the npm registry, into target/console-browser (kept). */
  static synchronized Path installBrowserModules() {
    Path directory = Path.of("target", "console-browser").toAbsolutePath();
    if (Files.isDirectory(directory.resolve("node_modules/playwright-core"))
        && Files.isDirectory(directory.resolve("node_modules/axe-core"))
        && Files.isDirectory(directory.resolve("node_modules/puppeteer-core"))) {
      return directory;
    }
    TestingFiles.write(directory.resolve("package.json"), "{\"name\":\"console-browser\",\"private\":true}\n");
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", System.getProperty("user.home"));
    TestingProcesses.Result installed = TestingProcesses.run(directory, environment, Duration.ofMinutes(5),
        List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", PLAYWRIGHT, AXE, PUPPETEER));
    assertThat(installed.exitCode()).as(installed.describe()).isZero();
    return directory;
  }

  private static TestingProcesses.Result browser(String phase, Map<String, String> extra) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", scratch.resolve("browser-home").toString());
    environment.put("CONSOLE_MODULES", modules.toString());
    environment.put("WHARF_URL", wharf.endpoint().toString());
    environment.put("CHROMIUM", CHROMIUM);
    environment.put("STATE", scratch.resolve("browser-state.json").toString());
    environment.put("ACCOUNT", account);
    environment.put("USER_NAME", "alice");
    environment.put("PASSWORD", PASSWORD);
    environment.put("DOMAIN", "web");
    environment.put("REPOSITORY", "store");
    environment.put("PACKAGE", "xss-demo");
    String screenshots = System.getenv("WHARF_CONSOLE_SCREENSHOTS");
    if (screenshots != null) {
      environment.put("SCREENSHOTS", Path.of(screenshots).toAbsolutePath().toString());
    }
    environment.putAll(extra);
    Path script = Path.of("src", "test", "console", "console-browser.mjs").toAbsolutePath();
    TestingProcesses.Result result = TestingProcesses.run(scratch, environment, Duration.ofMinutes(3),
        List.of("node", script.toString(), phase));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("\"ok\":true");
    return result;
  }

  @Test
  void aUserSignsInCreatesFindsReadsCopiesAndSignsOut() {
    browser("sign-in", Map.of());
    browser("create", Map.of());
    Path npmHome = publishWithHostileReadme();
    browser("browse", Map.of());
    // sign in again; policies, a version's status, tokens (revoked: npm's token stops working), the audit trail
    browser("sign-in", Map.of());
    assertThat(TestingNpm.npm().run(npmHome, scratch, "view", "xss-demo", "version").exitCode()).isZero();
    browser("admin", Map.of());
    TestingProcesses.Result refused = TestingNpm.npm().run(npmHome, scratch, "view", "xss-demo", "version");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).contains("E401");
    // a new session, then a policy that denies what the first page asks: the page says what AWS says
    browser("sign-in", Map.of());
    rootIam.putUserPolicy(b -> b.userName("alice").policyName("deny-list").policyDocument(DENY_LIST_DOMAINS));
    try {
      browser("denied", Map.of());
    } finally {
      rootIam.deleteUserPolicy(b -> b.userName("alice").policyName("deny-list"));
    }
  }

  /** The real npm publishes xss-demo 1.0.0 into web/store as alice, its readme hostile; returns npm's home. */
  private static Path publishWithHostileReadme() {
    CodeartifactClient codeartifact = wharf.codeartifact(alice);
    String token = codeartifact.getAuthorizationToken(b -> b.domain("web")).authorizationToken();
    String endpoint = codeartifact.getRepositoryEndpoint(b -> b.domain("web").repository("store")
        .format(PackageFormat.NPM)).repositoryEndpoint();
    Path home = TestingNpm.npmrc(scratch.resolve("npm-home"), endpoint, token);
    Path source = scratch.resolve("xss-demo");
    TestingFiles.write(source.resolve("package.json"), "{\"name\":\"xss-demo\",\"version\":\"1.0.0\","
        + "\"description\":\"<img src=x onerror=alert('description')>\",\"license\":\"MIT\"}\n");
    TestingFiles.write(source.resolve("README.md"), HOSTILE_README);
    TestingNpm.npm().runOk(home, source, "publish");
    return home;
  }
}
