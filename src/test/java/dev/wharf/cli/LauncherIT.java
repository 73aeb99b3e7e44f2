package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingLauncher;
import dev.wharf.testing.TestingProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The {@code ./wharf} launcher as a user runs it: help, finding a JDK, the first and later starts
 * of a data directory, shutdown, refused settings, and {@code wharf admin create-account}. One
 * server (started once, for a fixed account id) serves the tests that only read or add to it;
 * the others use their own data directories, so the tests run concurrently.
 */
@Execution(ExecutionMode.CONCURRENT)
class LauncherIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(10);
  private static final Pattern READY = Pattern.compile("ready at (http://\\S+)");
  private static final Pattern KEY = Pattern.compile(
      "\\A\\[default]\\naws_access_key_id = (AKIA[A-Z0-9]{16})\\naws_secret_access_key = (\\S{40})\\n\\z");
  private static final String FIXED_ACCOUNT = "123456789012";
  private static final Path JDK_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  @TempDir static Path scratch;
  static TestingLauncher launcher;
  static TestingLauncher.Running server;
  static Path data;
  static URI endpoint;
  static Duration startToHealthy;

  @BeforeAll
  static void startFirstServer() {
    launcher = TestingLauncher.create(scratch.resolve("home"));
    data = scratch.resolve("data");
    server = launcher.with("WHARF_ACCOUNT_ID", FIXED_ACCOUNT).start("server", "--port", "0", "--data", data.toString());
    endpoint = URI.create(readyUrl(server));
    startToHealthy = server.awaitHealthy(endpoint, START);
    System.out.printf("LauncherIT: ./wharf server, process start to GET /health 200: %d ms%n", startToHealthy.toMillis());
  }

  @AfterAll
  static void stopFirstServer() {
    if (server != null) {
      server.close();
    }
  }

  private static String readyUrl(TestingLauncher.Running running) {
    Matcher ready = READY.matcher(running.awaitLine(line -> READY.matcher(line).find(), START));
    assertThat(ready.find()).isTrue();
    return ready.group(1);
  }

  private static String[] rootKey(Path dataDirectory) throws IOException {
    Matcher key = KEY.matcher(Files.readString(dataDirectory.resolve("credentials")));
    assertThat(key.matches()).as("credentials file in AWS format with profile default").isTrue();
    return new String[] {key.group(1), key.group(2)};
  }

  /** stderr without the JVM's own "WARNING: …" lines (SQLite's native library loading prints some). */
  private static String withoutJvmWarnings(String stderr) {
    return stderr.lines().filter(line -> !line.startsWith("WARNING: ")).collect(Collectors.joining("\n")).strip();
  }

  private static TestingAwsCli cli(URI at, String[] key) {
    return TestingAwsCli.at(at, scratch).withKey(key[0], key[1]);
  }

  // ---------------------------------------------------------------- help and JDK

  @Test
  void helpListsTheCommandsAndTheirOptions() {
    TestingProcesses.Result top = launcher.run("--help");
    assertThat(top.exitCode()).as(top.describe()).isZero();
    assertThat(top.stdout()).contains("server").contains("admin");

    TestingProcesses.Result server = launcher.run("server", "--help");
    assertThat(server.exitCode()).as(server.describe()).isZero();
    assertThat(server.stdout()).contains("--port", "--data", "--region", "--database-url");

    TestingProcesses.Result createAccount = launcher.run("admin", "create-account", "--help");
    assertThat(createAccount.exitCode()).as(createAccount.describe()).isZero();
    assertThat(createAccount.stdout()).contains("--endpoint-url", "--name");
    assertThat(top.stderr() + server.stderr() + createAccount.stderr()).doesNotContain("building");
  }

  @Test
  void withoutJavaHomeAndJava17OnThePathTheLauncherFindsAJdk21OrNewer() {
    assumeTrue(Files.isExecutable(JDK_17.resolve("bin/java")), "needs a JDK 17 at " + JDK_17);
    TestingProcesses.Result version = launcher.with(Map.of("PATH", JDK_17.resolve("bin") + ":/usr/bin:/bin"))
        .with("JAVA_HOME", null).run("--version");
    // run by Java 17, the jar (class files for 21+) would fail with UnsupportedClassVersionError
    assertThat(version.exitCode()).as(version.describe()).isZero();
    assertThat(version.stdout()).startsWith("wharf ");
  }

  @Test
  void withNoJdk21AnywhereTheLauncherSaysSoAndHowToFixIt() throws IOException {
    assumeTrue(Files.isExecutable(JDK_17.resolve("bin/java")), "needs a JDK 17 at " + JDK_17);
    Path noJdks = Files.createDirectories(scratch.resolve("no-jdks"));
    TestingProcesses.Result result = launcher.with(Map.of("PATH", JDK_17.resolve("bin") + ":/usr/bin:/bin",
        "WHARF_JDK_SEARCH_PATH", noJdks.toString())).with("JAVA_HOME", null).run("--version");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("no JDK 21 or newer found").contains(noJdks.toString()).contains("JAVA_HOME");
    assertThat(result.stdout()).isEmpty();
  }

  // ---------------------------------------------------------------- first start

  @Test
  void theFirstStartPrintsOneReadyLineTheAccountAndAHintThatWorks() throws IOException {
    String output = server.output();
    assertThat(Pattern.compile("ready at http://").matcher(output).results().count()).as(output).isEqualTo(1);
    assertThat(output).contains("created account " + FIXED_ACCOUNT).doesNotContain("building");

    String hint = server.awaitLine(line -> line.contains("sts get-caller-identity"), START).strip();
    assertThat(hint).startsWith("AWS_SHARED_CREDENTIALS_FILE=" + data.resolve("credentials"))
        .contains("aws --endpoint-url " + endpoint);
    // run the hint as printed, from a shell with a clean environment
    TestingClients.requireCommand("aws", "--version");
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", Files.createDirectories(scratch.resolve("hint-home")).toString());
    environment.put("AWS_PAGER", "");
    TestingProcesses.Result run = TestingProcesses.run(scratch, environment, Duration.ofSeconds(60),
        List.of("bash", "-c", hint + " --output json"));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(JSON.readTree(run.stdout()).path("Arn").asText()).isEqualTo("arn:aws:iam::" + FIXED_ACCOUNT + ":root");
  }

  @Test
  void theFirstStartWritesTheRootKeyAndTheMasterKeyReadableByTheOwnerOnly() throws IOException {
    rootKey(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("credentials"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void secretAccessKeysAreNeitherPrintedNorStoredInPlainText() throws IOException {
    String rootSecret = rootKey(data)[1];
    TestingAwsCli root = cli(endpoint, rootKey(data));
    root.json("iam", "create-user", "--user-name", "launcher-secret");
    String userSecret = root.json("iam", "create-access-key", "--user-name", "launcher-secret")
        .path("AccessKey").path("SecretAccessKey").asText();
    assertThat(userSecret).hasSize(40);

    assertThat(server.output()).doesNotContain(rootSecret).doesNotContain(userSecret);
    List<Path> databaseFiles;
    try (Stream<Path> files = Files.list(data)) {
      databaseFiles = files.filter(file -> file.getFileName().toString().startsWith("wharf.db")).toList();
    }
    assertThat(databaseFiles).contains(data.resolve("wharf.db"));
    for (Path file : databaseFiles) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(file.toString()).doesNotContain(rootSecret).doesNotContain(userSecret);
    }
  }

  // ---------------------------------------------------------------- admin create-account

  @Test
  void theManagementAccountCreatesAnAccountWhoseKeyWorksButCannotCreateAccountsItself() throws IOException {
    TestingLauncher management = launcher.with(Map.of("AWS_SHARED_CREDENTIALS_FILE", data.resolve("credentials").toString(),
        "AWS_CONFIG_FILE", data.resolve("config").toString()));
    TestingProcesses.Result created = management.run("admin", "create-account", "--endpoint-url", endpoint.toString(),
        "--name", "team-b");
    assertThat(created.exitCode()).as(created.describe()).isZero();
    JsonNode account = JSON.readTree(created.stdout());
    String accountId = account.path("accountId").asText();
    assertThat(accountId).matches("[0-9]{12}").isNotEqualTo(FIXED_ACCOUNT);
    assertThat(account.path("accessKeyId").asText()).startsWith("AKIA");
    assertThat(account.path("secretAccessKey").asText()).hasSize(40);

    String[] teamB = {account.path("accessKeyId").asText(), account.path("secretAccessKey").asText()};
    JsonNode identity = cli(endpoint, teamB).json("sts", "get-caller-identity");
    assertThat(identity.path("Account").asText()).isEqualTo(accountId);
    assertThat(identity.path("Arn").asText()).isEqualTo("arn:aws:iam::" + accountId + ":root");

    Path teamBCredentials = scratch.resolve("team-b-credentials");
    Files.writeString(teamBCredentials, "[default]\naws_access_key_id = " + teamB[0] + "\naws_secret_access_key = "
        + teamB[1] + "\n");
    TestingProcesses.Result refused = management.with("AWS_SHARED_CREDENTIALS_FILE", teamBCredentials.toString())
        .run("admin", "create-account", "--endpoint-url", endpoint.toString(), "--name", "team-c");
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stderr()).contains("AccessDenied");
    assertThat(refused.stdout()).isEmpty();
  }

  // ---------------------------------------------------------------- restarts and refusals

  @Test
  void aSecondStartReusesTheAccountPrintsNoSecretAndSigtermStopsItCleanly() throws IOException {
    Path directory = scratch.resolve("restarted");
    String firstAccount;
    try (TestingLauncher.Running first = launcher.start("server", "--port", "0", "--data", directory.toString())) {
      URI at = URI.create(readyUrl(first));
      first.awaitHealthy(at, START);
      firstAccount = cli(at, rootKey(directory)).json("sts", "get-caller-identity").path("Account").asText();
      assertThat(first.terminate(STOP)).as(first.output()).isIn(0, 143);
      assertThat(first.output()).contains("Shutting down");
    }
    String[] key = rootKey(directory);

    try (TestingLauncher.Running second = launcher.start("server", "--port", "0", "--data", directory.toString())) {
      URI at = URI.create(readyUrl(second));
      second.awaitHealthy(at, START);
      assertThat(cli(at, key).json("sts", "get-caller-identity").path("Account").asText()).isEqualTo(firstAccount);
      assertThat(second.output()).doesNotContain(key[1]).doesNotContain("First start")
          .doesNotContain("get-caller-identity").doesNotContain("AWS_SHARED_CREDENTIALS_FILE");
      assertThat(rootKey(directory)).containsExactly(key);
      assertThat(second.terminate(STOP)).as(second.output()).isIn(0, 143);
    }

    byte[] otherKey = new byte[32];
    new SecureRandom().nextBytes(otherKey);
    try (TestingLauncher.Running refused = launcher.with("WHARF_MASTER_KEY", Base64.getEncoder().encodeToString(otherKey))
        .start("server", "--port", "0", "--data", directory.toString())) {
      assertThat(refused.awaitExit(START)).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("master key").contains("WHARF_MASTER_KEY").doesNotContain("ready at");
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    Path directory = scratch.resolve("never-started");
    TestingProcesses.Result region = launcher.run("server", "--port", "0", "--data", directory.toString(), "--region", "mars");
    assertThat(region.exitCode()).as(region.describe()).isNotZero();
    assertThat(region.stderr()).contains("region").contains("mars");

    TestingProcesses.Result port = launcher.run("server", "--port", "-5", "--data", directory.toString());
    assertThat(port.exitCode()).as(port.describe()).isNotZero();
    assertThat(port.stderr()).contains("port").contains("-5");

    TestingProcesses.Result masterKey = launcher.with("WHARF_MASTER_KEY", "not-a-key")
        .run("server", "--port", "0", "--data", directory.toString());
    assertThat(masterKey.exitCode()).as(masterKey.describe()).isNotZero();
    assertThat(masterKey.stderr()).contains("WHARF_MASTER_KEY");

    for (TestingProcesses.Result refused : List.of(region, port, masterKey)) {
      assertThat(refused.stdout()).doesNotContain("ready at");
      assertThat(withoutJvmWarnings(refused.stderr())).as("a message, not a stack trace").startsWith("wharf: ")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aPortInUseIsRefusedNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      TestingProcesses.Result result = launcher.run("server", "--bind", "127.0.0.1", "--port",
          Integer.toString(taken.getLocalPort()), "--data", scratch.resolve("port-taken").toString());
      assertThat(result.exitCode()).as(result.describe()).isNotZero();
      assertThat(withoutJvmWarnings(result.stderr())).as(result.describe()).startsWith("wharf: ").contains("port")
          .contains(Integer.toString(taken.getLocalPort())).doesNotContain("\tat ");
    }
  }
}
