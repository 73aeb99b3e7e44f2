package dev.wharf.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingProcesses;
import dev.wharf.testing.TestingServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The web console in Debian's Firefox ESR (src/test/console/console-firefox.mjs, puppeteer-core over
 * WebDriver BiDi): an IAM user signs in with a console password, creates a domain and a repository with
 * the forms, copies a set-up with the script, and signs out, with no script error and no
 * Content-Security-Policy report. ConsoleBrowserIT covers the rest in Chromium.
 */
class ConsoleFirefoxIT {
  static final String FIREFOX = "/usr/bin/firefox-esr";
  private static final String PASSWORD = "Wharf-firefox-1";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static Path modules;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("node", "--version");
    TestingClients.requireCommand(FIREFOX, "--version");
    modules = ConsoleBrowserIT.installBrowserModules();
    wharf = TestingServer.start(scratch.resolve("data"));
    IamClient rootIam = wharf.iam(wharf.rootCredentials());
    TestingIam.user(rootIam, "fox", "developer", TestingIam.DEVELOPER);
    rootIam.createLoginProfile(b -> b.userName("fox").password(PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  void aUserSignsInCreatesCopiesAndSignsOutInFirefox() {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", scratch.resolve("firefox-home").toString());
    environment.put("CONSOLE_MODULES", modules.toString());
    environment.put("WHARF_URL", wharf.endpoint().toString().replaceAll("/$", ""));
    environment.put("FIREFOX", FIREFOX);
    environment.put("ACCOUNT", wharf.managementAccountId());
    environment.put("USER_NAME", "fox");
    environment.put("PASSWORD", PASSWORD);
    environment.put("DOMAIN", "firefox");
    Path script = Path.of("src", "test", "console", "console-firefox.mjs").toAbsolutePath();
    TestingProcesses.Result result = TestingProcesses.run(scratch, environment, Duration.ofMinutes(3),
        List.of("node", script.toString()));
    assertThat(result.exitCode()).as(result.describe()).isZero();
    assertThat(result.stdout()).contains("\"ok\":true");
  }
}
