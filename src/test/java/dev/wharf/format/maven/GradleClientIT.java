package dev.wharf.format.maven;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.format.FormatErrors;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingHttp;
import dev.wharf.testing.TestingProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;

/**
 * The real {@code gradle} (Debian's Gradle 4.4.1) with Wharf as its only repository: a library and
 * a SNAPSHOT uploaded by Gradle, then resolved with a real dependency tree (this project's slf4j-api, its parent
 * POMs, uploaded first) by a build whose repository URL comes from the gradle.properties that
 * {@code wharf login --tool gradle} wrote, and the token from CODEARTIFACT_AUTH_TOKEN (set from the
 * real {@code aws codeartifact get-authorization-token}). Each build has its own GRADLE_USER_HOME.
 *
 * <p>Debian's maven-publish cannot upload anywhere (its resolver has no transport: "No transporter
 * factories registered", before any request), so the library goes up with the legacy {@code maven}
 * plugin's {@code uploadArchives}, handed the transport jar Debian ships beside Gradle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GradleClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  /** Maven resolver's wagon transport (package libmaven-resolver-java, a dependency of Debian's gradle). */
  private static final Path TRANSPORT = Path.of("/usr/share/java/maven-resolver-transport-wagon.jar");

  @TempDir static Path scratch;
  static MavenTestingWharf wharf;
  static String endpoint;
  static String slf4j;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("gradle", "--version");
    if (!Files.isRegularFile(TRANSPORT)) {
      TestingClients.missing(TRANSPORT + " (apt-get install gradle brings it)");
    }
    wharf = MavenTestingWharf.start(scratch);
    endpoint = wharf.endpoint();
    slf4j = ownSlf4jVersion();
    // slf4j-api, slf4j-parent and slf4j-bom, all versions this machine holds (about 80 files)
    MavenTestingRepository.upload(endpoint, wharf.token(), MavenTestingRepository.releaseFiles("org/slf4j"), 4);
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  @Order(1)
  void uploadArchivesPublishesTheJarAndPomWithTheirChecksumsAndTheMetadataAndNumbersSnapshots() {
    TestingProcesses.Result upload = gradle(library("greeting", "1.0.0", "hello from a library Gradle uploaded"),
        directory("gradle-home"), wharf.token(), "uploadArchives");
    assertThat(upload.exitCode()).as(upload.describe()).isZero();

    var version = wharf.rootCodeartifact().describePackageVersion(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.gradle").packageValue("greeting").packageVersion("1.0.0"))
        .packageVersion();
    assertThat(version.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
    // The .sha1 and .md5 files it PUT after each file were checked against the stored bytes, not kept.
    var assets = wharf.rootCodeartifact().listPackageVersionAssets(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.gradle").packageValue("greeting").packageVersion("1.0.0"))
        .assets();
    assertThat(assets).extracting(a -> a.name()).containsExactlyInAnyOrder("greeting-1.0.0.jar", "greeting-1.0.0.pom");
    var metadata = TestingHttp.send("GET", endpoint + "com/example/gradle/greeting/maven-metadata.xml", null,
        "Bearer " + wharf.token());
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(TestingHttp.text(metadata)).contains("<version>1.0.0</version>");

    // A SNAPSHOT uploaded twice: Gradle numbers the second build from the version's maven-metadata.xml Wharf generates.
    for (String build : List.of("one", "two")) {
      TestingProcesses.Result snapshot = gradle(library("notes", "2.0-SNAPSHOT", "snapshot build " + build),
          directory("gradle-home"), wharf.token(), "uploadArchives");
      assertThat(snapshot.exitCode()).as(snapshot.describe()).isZero();
    }
    var builds = wharf.rootCodeartifact().listPackageVersionAssets(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.gradle").packageValue("notes").packageVersion("2.0-SNAPSHOT"))
        .assets();
    assertThat(builds).extracting(a -> a.name()).filteredOn(n -> n.endsWith(".jar")).hasSize(2)
        .anyMatch(n -> n.matches("notes-2\\.0-\\d{8}\\.\\d{6}-2\\.jar"));
  }

  /**
   * The project of library com.example.gradle:NAME:VERSION, whose example.NAME.Text.text() returns text, uploaded by
   * uploadArchives to the URL as written in the build with the token from the environment (as AWS documents for
   * CodeArtifact).
   */
  private static Path library(String name, String version, String text) {
    Path project = directory(name);
    write(project.resolve("settings.gradle"), "rootProject.name = '" + name + "'\n");
    write(project.resolve("build.gradle"), """
        apply plugin: 'java'
        apply plugin: 'maven'
        group = 'com.example.gradle'
        version = '%s'
        sourceCompatibility = 1.8
        targetCompatibility = 1.8
        configurations { deployerJars }
        dependencies { deployerJars files('%s') }
        uploadArchives {
          repositories {
            mavenDeployer {
              configuration = configurations.deployerJars
              repository(url: '%s') { authentication(userName: 'aws', password: System.env.CODEARTIFACT_AUTH_TOKEN) }
            }
          }
        }
        """.formatted(version, TRANSPORT, endpoint));
    write(project.resolve("src/main/java/example/" + name + "/Text.java"), """
        package example.%s;
        public class Text {
          public static String text() { return "%s"; }
        }
        """.formatted(name, text));
    return project;
  }

  @Test
  @Order(2)
  void aBuildResolvesFromTheRepositoryWharfLoginWroteIntoGradleProperties() throws IOException {
    Path gradleHome = login();
    Path project = consumer();

    TestingProcesses.Result build = gradle(project, gradleHome, wharf.token(), "build", "run");
    assertThat(build.exitCode()).as(build.describe()).isZero();
    String api = endpoint + "org/slf4j/slf4j-api/" + slf4j + "/slf4j-api-" + slf4j;
    assertThat(build.stdout()).contains("Download " + api + ".pom", "Download " + api + ".jar", "snapshot build two",
        "Download " + endpoint + "org/slf4j/slf4j-parent/" + slf4j + "/slf4j-parent-" + slf4j + ".pom",
        "Download " + endpoint + "org/slf4j/slf4j-bom/" + slf4j + "/slf4j-bom-" + slf4j + ".pom",
        "hello from a library Gradle uploaded", "slf4j from " + gradleHome.resolve("caches/modules-2/files-2.1/org.slf4j/slf4j-api/"));
    assertThat(project.resolve("build/libs/consumer.jar")).isRegularFile();
  }

  @Test
  @Order(3)
  void aRevokedTokenFailsTheBuildWithGradles401() {
    String revoked = wharf.revokedToken();

    TestingProcesses.Result build = gradle(consumer(), login(), revoked, "build");
    assertThat(build.exitCode()).as(build.describe()).isNotZero();
    assertThat(build.stderr()).as(build.describe()).contains("Could not GET '" + endpoint)
        .contains("Received status code 401 from server: " + FormatErrors.INVALID_TOKEN_REASON);
  }

  /** A GRADLE_USER_HOME whose gradle.properties {@code wharf login --tool gradle} wrote (with --home: HOME/.gradle). */
  private static Path login() {
    Path home = directory("home");
    wharf.login("gradle", home);
    Path gradleHome = home.resolve(".gradle");
    assertThat(TestingFiles.read(gradleHome.resolve("gradle.properties"))).isEqualTo("codeartifactUrl=" + endpoint + "\n");
    return gradleHome;
  }

  /** An application using greeting 1.0.0, notes 2.0-SNAPSHOT and this project's slf4j-api, from the repository at codeartifactUrl. */
  private static Path consumer() {
    Path project = directory("consumer");
    write(project.resolve("settings.gradle"), "rootProject.name = 'consumer'\n");
    write(project.resolve("build.gradle"), """
        apply plugin: 'java'
        apply plugin: 'application'
        sourceCompatibility = 1.8
        targetCompatibility = 1.8
        mainClassName = 'example.Main'
        repositories {
          maven {
            url codeartifactUrl
            credentials { username 'aws'; password System.env.CODEARTIFACT_AUTH_TOKEN }
          }
        }
        dependencies {
          compile 'com.example.gradle:greeting:1.0.0'
          compile 'com.example.gradle:notes:2.0-SNAPSHOT'
          compile 'org.slf4j:slf4j-api:%s'
        }
        """.formatted(slf4j));
    write(project.resolve("src/main/java/example/Main.java"), """
        package example;
        public class Main {
          public static void main(String[] args) {
            System.out.println(example.greeting.Text.text());
            System.out.println(example.notes.Text.text());
            System.out.println("slf4j from " + org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().getPath());
          }
        }
        """);
    return project;
  }

  /**
   * Debian's gradle in {@code project}, without a daemon (one would outlive the test), with its own
   * GRADLE_USER_HOME and an empty home, on the system JDK it is packaged for, and the token as
   * CODEARTIFACT_AUTH_TOKEN.
   */
  static TestingProcesses.Result gradle(Path project, Path gradleUserHome, String authToken, String... tasks) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    Path home = directory("home");
    environment.put("HOME", home.toString());
    // Gradle takes a file from the local Maven repository of Java's user.home (the passwd entry's, not $HOME) when
    // its checksum matches the repository's: with the machine's ~/.m2, Wharf would be asked only for checksums.
    environment.put("GRADLE_OPTS", "-Duser.home=" + home);
    environment.put("GRADLE_USER_HOME", gradleUserHome.toString());
    environment.put("CODEARTIFACT_AUTH_TOKEN", authToken);
    Path systemJava = Path.of("/usr/bin/java");
    if (Files.isExecutable(systemJava)) {
      try {
        environment.put("JAVA_HOME", systemJava.toRealPath().getParent().getParent().toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> command = new ArrayList<>(List.of("gradle", "--no-daemon", "--console=plain", "--stacktrace"));
    command.addAll(List.of(tasks));
    return TestingProcesses.run(project, environment, TIMEOUT, command);
  }

  /** The slf4j version of this project's pom.xml (so in this machine's local repository). */
  private static String ownSlf4jVersion() {
    Matcher m = Pattern.compile("<slf4j\\.version>([^<]+)</slf4j\\.version>").matcher(TestingFiles.read(Path.of("pom.xml")));
    assertThat(m.find()).as("pom.xml has <slf4j.version>").isTrue();
    return m.group(1);
  }

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }
}
