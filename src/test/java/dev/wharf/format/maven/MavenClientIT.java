package dev.wharf.format.maven;

import static dev.wharf.testing.TestingFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.format.FormatErrors;
import dev.wharf.format.maven.MavenTestingRepository.Maven;
import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The real {@code mvn} (Debian's Maven 3.8.7) against Wharf as the only mirror of everything, with
 * a settings.xml whose password is {@code ${env.CODEARTIFACT_AUTH_TOKEN}}, set from the real
 * {@code aws codeartifact get-authorization-token --query authorizationToken --output text}. The
 * local Maven repository of this machine (this project's dependency tree and the plugins its
 * build runs) is first uploaded into Wharf, so builds resolve plugins and dependencies from
 * Wharf alone, each into an empty local repository. Maven 3.9 (./mvnw's) and 3.8 then deploy and
 * resolve with the ~/.m2/settings.xml that {@code wharf login --tool maven} completed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MavenClientIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final String DENY_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
      + "\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static MavenTestingWharf wharf;
  static IamClient rootIam;
  static CodeartifactClient rootCodeartifact;
  static String account;
  static String token;
  static String endpoint;
  static Path settings;

  @BeforeAll
  static void start() {
    TestingClients.requireCommand("mvn", "--version");
    MavenTestingRepository.requirePlugins(true);
    wharf = MavenTestingWharf.start(scratch);
    rootIam = wharf.rootIam();
    rootCodeartifact = wharf.rootCodeartifact();
    account = wharf.account();
    token = wharf.token();
    endpoint = wharf.endpoint();
    settings = scratch.resolve("settings.xml");
    write(settings, MavenTestingRepository.settings(endpoint));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  @Test
  @Order(1)
  void theProjectsOwnDependencyTreeUploadedToWharfBuildsAProjectFromWharfAlone() {
    List<Path> files = MavenTestingRepository.releaseFiles();
    assertThat(files).hasSizeGreaterThan(200);
    long started = System.nanoTime();
    MavenTestingRepository.upload(endpoint, token, files, 8);
    System.err.printf("uploaded %d files of %s in %d ms%n", files.size(), MavenTestingRepository.LOCAL,
        (System.nanoTime() - started) / 1_000_000);

    // Maven's own plugins, by prefix, in the group-level metadata (what `mvn prefix:goal` reads).
    java.net.http.HttpResponse<String> plugins;
    try {
      plugins = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(endpoint + "org/apache/maven/plugins/maven-metadata.xml")).header("Authorization",
          "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertThat(plugins.statusCode()).isEqualTo(200);
    assertThat(plugins.body()).contains("<prefix>dependency</prefix><artifactId>maven-dependency-plugin</artifactId>",
        "<prefix>compiler</prefix><artifactId>maven-compiler-plugin</artifactId>");

    Path project = directory("real-tree");
    write(project.resolve("pom.xml"), realTreePom());
    write(project.resolve("src/main/java/example/Main.java"), """
        package example;
        public class Main {
          public static void main(String[] args) throws Exception {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(args));
          }
        }
        """);
    Path local = directory("m2");
    TestingProcesses.Result build = mvn(project, local, "package", "-DskipTests");
    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(build.stdout()).contains("Downloaded from codeartifact: " + endpoint);
    assertThat(local.resolve("com/fasterxml/jackson/core/jackson-databind")).isDirectory();
    assertThat(local.resolve("org/eclipse/jetty/jetty-server")).isDirectory();
    assertThat(project.resolve("target/real-tree-1.0.jar")).isRegularFile();
  }

  @Test
  @Order(2)
  void mvnDeployOfAMultiModuleProjectThenASecondProjectResolvesIt() throws IOException {
    Path project = multiModule("1.0.0", "release one");
    Path local = directory("m2");
    TestingProcesses.Result deploy = mvn(project, local, "deploy");
    assertThat(deploy.exitCode()).as(deploy.describe()).isZero();
    assertThat(deploy.stdout()).contains("Uploaded to codeartifact: " + endpoint + "com/example/wharf/lib/1.0.0/lib-1.0.0.jar");

    var versions = rootCodeartifact.listPackageVersions(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.wharf").packageValue("lib")).versions();
    assertThat(versions).singleElement().satisfies(v -> {
      assertThat(v.version()).isEqualTo("1.0.0");
      assertThat(v.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
    });
    var parent = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.wharf").packageValue("parent").packageVersion("1.0.0"))
        .packageVersion();
    assertThat(parent.status()).isEqualTo(PackageVersionStatus.PUBLISHED);
    var assets = rootCodeartifact.listPackageVersionAssets(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.wharf").packageValue("app").packageVersion("1.0.0")).assets();
    assertThat(assets).extracting(a -> a.name()).contains("app-1.0.0.jar", "app-1.0.0.pom");

    Path consumer = consumer("1.0.0");
    Path fresh = directory("m2");
    TestingProcesses.Result build = mvn(consumer, fresh, "package", "-DskipTests");
    assertThat(build.exitCode()).as(build.describe()).isZero();
    Path resolved = fresh.resolve("com/example/wharf/lib/1.0.0/lib-1.0.0.jar");
    assertThat(resolved).isRegularFile();
    assertThat(jarText(resolved, "version.txt")).isEqualTo("release one");
    assertThat(fresh.resolve("com/example/wharf/app/1.0.0/app-1.0.0.jar")).isRegularFile();

    // A plugin goal by its prefix.
    TestingProcesses.Result tree = mvn(consumer, directory("m2"), "dependency:tree");
    assertThat(tree.exitCode()).as(tree.describe()).isZero();
    assertThat(tree.stdout()).contains("com.example.wharf:lib:jar:1.0.0:compile");

    // Deploying the same release again with other bytes is refused: releases are immutable.
    Path changed = multiModule("1.0.0", "release one, changed");
    TestingProcesses.Result again = mvn(changed, directory("m2"), "deploy");
    assertThat(again.exitCode()).as(again.describe()).isNotZero();
    assertThat(again.stdout()).contains("409");
  }

  @Test
  @Order(3)
  void aSnapshotDeployedTwiceResolvesToTheNewestBuild() throws IOException {
    TestingProcesses.Result first = mvn(multiModule("2.0-SNAPSHOT", "snapshot build one"), directory("m2"), "deploy");
    assertThat(first.exitCode()).as(first.describe()).isZero();
    TestingProcesses.Result second = mvn(multiModule("2.0-SNAPSHOT", "snapshot build two"), directory("m2"), "deploy");
    assertThat(second.exitCode()).as(second.describe()).isZero();
    assertThat(second.stdout()).containsPattern("lib-2\\.0-\\d{8}\\.\\d{6}-2\\.jar");

    Path fresh = directory("m2");
    TestingProcesses.Result build = mvn(consumer("2.0-SNAPSHOT"), fresh, "package", "-DskipTests");
    assertThat(build.exitCode()).as(build.describe()).isZero();
    Path jar = fresh.resolve("com/example/wharf/lib/2.0-SNAPSHOT/lib-2.0-SNAPSHOT.jar");
    assertThat(jarText(jar, "version.txt")).isEqualTo("snapshot build two");
    var assets = rootCodeartifact.listPackageVersionAssets(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.wharf").packageValue("lib").packageVersion("2.0-SNAPSHOT"))
        .assets();
    assertThat(assets).extracting(a -> a.name()).filteredOn(n -> n.endsWith(".jar")).hasSize(2);
  }

  @Test
  @Order(4)
  void aDenyPolicyMakesTheNextResolveFailWith403() {
    rootIam.putUserPolicy(b -> b.userName("dev").policyName("deny-read").policyDocument(DENY_READ));
    try {
      TestingProcesses.Result build = mvn(consumer("1.0.0"), directory("m2"), "package", "-DskipTests");
      assertThat(build.exitCode()).as(build.describe()).isNotZero();
      assertThat(build.stdout()).contains("403");
    } finally {
      rootIam.deleteUserPolicy(b -> b.userName("dev").policyName("deny-read"));
    }
  }

  @Test
  @Order(5)
  void aBomImportVersionRangesClassifiersAndAnAlternateDeploymentRepository() throws IOException {
    String deployFile = "org.apache.maven.plugins:maven-deploy-plugin:3.1.2:deploy-file";
    Path local = directory("m2");
    Path files = directory("files");
    for (String version : List.of("1.0.0", "1.1.0", "1.2.0")) {
      Path jar = files.resolve("util-" + version + ".jar");
      try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
        zip.putNextEntry(new java.util.zip.ZipEntry("version.txt"));
        zip.write(version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      List<String> goals = new java.util.ArrayList<>(List.of(deployFile, "-Durl=" + endpoint, "-DrepositoryId=codeartifact",
          "-Dfile=" + jar, "-DgroupId=com.example.ranges", "-DartifactId=util", "-Dversion=" + version, "-Dpackaging=jar"));
      if (version.equals("1.2.0")) {
        goals.addAll(List.of("-Dfiles=" + jar, "-Dclassifiers=sources", "-Dtypes=jar"));
      }
      TestingProcesses.Result deployed = mvn(files, local, goals.toArray(String[]::new));
      assertThat(deployed.exitCode()).as(deployed.describe()).isZero();
    }
    Path bom = files.resolve("bom.pom");
    write(bom, """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.ranges</groupId><artifactId>bom</artifactId><version>1.0</version><packaging>pom</packaging>
          <dependencyManagement><dependencies>
            <dependency><groupId>com.example.ranges</groupId><artifactId>util</artifactId><version>1.1.0</version></dependency>
          </dependencies></dependencyManagement>
        </project>
        """);
    TestingProcesses.Result bomDeployed = mvn(files, local, deployFile, "-Durl=" + endpoint, "-DrepositoryId=codeartifact",
        "-Dfile=" + bom, "-DpomFile=" + bom, "-Dpackaging=pom");
    assertThat(bomDeployed.exitCode()).as(bomDeployed.describe()).isZero();

    // What version each way of asking resolves to, each time with none of com.example.ranges in the local repository.
    Path resolving = directory("m2");
    assertThat(resolvedUtil(resolving, "")).isEqualTo("1.1.0"); // managed by the imported BOM
    assertThat(resolvedUtil(resolving, "<version>[1.0,)</version>")).isEqualTo("1.2.0");
    assertThat(resolvedUtil(resolving, "<version>[1.0,1.2.0)</version>")).isEqualTo("1.1.0");

    Path fresh = forget(resolving, "com/example/ranges");
    TestingProcesses.Result sources = mvn(files, fresh, "org.apache.maven.plugins:maven-dependency-plugin:3.9.0:get",
        "-Dartifact=com.example.ranges:util:1.2.0:jar:sources");
    assertThat(sources.exitCode()).as(sources.describe()).isZero();
    assertThat(fresh.resolve("com/example/ranges/util/1.2.0/util-1.2.0-sources.jar")).isRegularFile();

    // A project without distributionManagement, deployed with -DaltDeploymentRepository=id::url.
    Path project = rangeConsumer("");
    TestingProcesses.Result alternate = mvn(project, local, "deploy", "-DaltDeploymentRepository=codeartifact::" + endpoint);
    assertThat(alternate.exitCode()).as(alternate.describe()).isZero();
    var deployed = rootCodeartifact.listPackageVersions(b -> b.domain("acme").repository("libs")
        .format(PackageFormat.MAVEN).namespace("com.example.ranges").packageValue("consumer")).versions();
    assertThat(deployed).extracting(v -> v.version() + " " + v.status()).containsExactly("1.0 Published");
  }

  static Stream<Maven> mavens() {
    Maven wrapper = MavenTestingRepository.wrapperMaven();
    if (wrapper == null) {
      TestingClients.missing("Maven 3.9 (./mvnw's, unpacked under ~/.m2/wrapper/dists)");
    }
    return Stream.of(MavenTestingRepository.debianMaven(), wrapper);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mavens")
  @Order(6)
  void theSettingsWharfLoginWritesDeployAndResolveAndARevokedTokenIsA401(Maven maven) throws IOException {
    // A user's own ~/.m2/settings.xml with Wharf as the mirror of everything and no credentials: wharf login adds them.
    Path home = directory("home");
    Path userSettings = write(home.resolve(".m2/settings.xml"), MavenTestingRepository.mirrorSettings(endpoint));
    wharf.login("maven", home);
    assertThat(Files.readString(userSettings)).contains("<mirrorOf>*</mirrorOf>", "<id>codeartifact</id>",
        "<username>aws</username>", "<password>${env.CODEARTIFACT_AUTH_TOKEN}</password>").doesNotContain(token);

    // Maven reads that file and ~/.m2/repository (empty) of its user.home; the token is the aws CLI's, from the environment.
    String version = "1.0.0-maven" + maven.version();
    TestingProcesses.Result deploy = MavenTestingRepository.run(maven, home, token, TIMEOUT,
        multiModule(version, "built by " + maven), List.of("-V", "deploy"));
    assertThat(deploy.exitCode()).as(deploy.describe()).isZero();
    assertThat(deploy.stdout()).contains("Apache Maven " + maven.version() + ".")
        .contains("Downloaded from codeartifact: " + endpoint + "org/apache/maven/plugins/maven-deploy-plugin/")
        .contains("Uploaded to codeartifact: " + endpoint + "com/example/wharf/lib/" + version + "/lib-" + version + ".jar");
    var lib = rootCodeartifact.describePackageVersion(b -> b.domain("acme").repository("libs").format(PackageFormat.MAVEN)
        .namespace("com.example.wharf").packageValue("lib").packageVersion(version)).packageVersion();
    assertThat(lib.status()).isEqualTo(PackageVersionStatus.PUBLISHED);

    Path fresh = directory("m2");
    TestingProcesses.Result build = MavenTestingRepository.run(maven, home, token, TIMEOUT, consumer(version),
        List.of("-Dmaven.repo.local=" + fresh, "package", "-DskipTests"));
    assertThat(build.exitCode()).as(build.describe()).isZero();
    assertThat(jarText(fresh.resolve("com/example/wharf/lib/" + version + "/lib-" + version + ".jar"), "version.txt"))
        .isEqualTo("built by " + maven);

    // A revoked token: the build stops at once with Maven's 401; Maven shows the status line, whose reason phrase
    // says what to run (the body is not shown).
    String revoked = wharf.revokedToken();
    TestingProcesses.Result refused = MavenTestingRepository.run(maven, home, revoked, TIMEOUT, consumer(version),
        List.of("-Dmaven.repo.local=" + directory("m2"), "package", "-DskipTests"));
    assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
    assertThat(refused.stdout()).as(refused.describe()).contains("401", FormatErrors.INVALID_TOKEN_REASON);
  }

  /** The version of com.example.ranges:util a consumer that imports the BOM and asks for it so resolves to. */
  private static String resolvedUtil(Path localRepository, String version) throws IOException {
    Path project = rangeConsumer(version);
    Path listing = project.resolve("dependencies.txt");
    TestingProcesses.Result list = mvn(project, forget(localRepository, "com/example/ranges"), "dependency:list", "-DoutputFile=" + listing,
        "-DincludeGroupIds=com.example.ranges");
    assertThat(list.exitCode()).as(list.describe()).isZero();
    Matcher m = Pattern.compile("com\\.example\\.ranges:util:jar:([^:]+):compile").matcher(Files.readString(listing));
    assertThat(m.find()).as(Files.readString(listing)).isTrue();
    return m.group(1);
  }

  /** The local repository without the given folder. */
  private static Path forget(Path localRepository, String folder) throws IOException {
    Path gone = localRepository.resolve(folder);
    if (Files.exists(gone)) {
      try (var walk = Files.walk(gone)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return localRepository;
  }

  private static Path rangeConsumer(String version) {
    Path project = directory("ranges");
    write(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.ranges</groupId><artifactId>consumer</artifactId><version>1.0</version><packaging>pom</packaging>
          <dependencyManagement><dependencies>
            <dependency><groupId>com.example.ranges</groupId><artifactId>bom</artifactId><version>1.0</version>
              <type>pom</type><scope>import</scope></dependency>
          </dependencies></dependencyManagement>
          <dependencies>
            <dependency><groupId>com.example.ranges</groupId><artifactId>util</artifactId>%s</dependency>
          </dependencies>
          <build>%s</build>
        </project>
        """.formatted(version, MavenTestingRepository.PLUGINS));
    return project;
  }

  // ---------------------------------------------------------------- helpers

  static TestingProcesses.Result mvn(Path project, Path localRepository, String... goals) {
    return MavenTestingRepository.mvn(settings, token, TIMEOUT, directory("home"), project, localRepository, goals);
  }


  /** parent (pom) with modules lib (a jar holding version.txt) and app (depends on lib). */
  static Path multiModule(String version, String text) {
    Path project = directory("multi");
    String distribution = """
        <distributionManagement>
          <repository><id>codeartifact</id><url>%1$s</url></repository>
          <snapshotRepository><id>codeartifact</id><url>%1$s</url></snapshotRepository>
        </distributionManagement>
        """.formatted(endpoint);
    write(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.wharf</groupId>
          <artifactId>parent</artifactId>
          <version>%s</version>
          <packaging>pom</packaging>
          <description>A parent for Wharf's tests</description>
          <licenses><license><name>Apache-2.0</name><url>https://www.apache.org/licenses/LICENSE-2.0</url></license></licenses>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <modules><module>lib</module><module>app</module></modules>
          %s
          <build>%s</build>
        </project>
        """.formatted(version, distribution, MavenTestingRepository.PLUGINS));
    for (String module : List.of("lib", "app")) {
      String dependency = module.equals("app")
          ? "<dependencies><dependency><groupId>com.example.wharf</groupId><artifactId>lib</artifactId>"
              + "<version>${project.version}</version></dependency></dependencies>"
          : "";
      write(project.resolve(module).resolve("pom.xml"), """
          <project xmlns="http://maven.apache.org/POM/4.0.0">
            <modelVersion>4.0.0</modelVersion>
            <parent><groupId>com.example.wharf</groupId><artifactId>parent</artifactId><version>%s</version></parent>
            <artifactId>%s</artifactId>
            %s
          </project>
          """.formatted(version, module, dependency));
      String className = Character.toUpperCase(module.charAt(0)) + module.substring(1);
      write(project.resolve(module).resolve("src/main/java/com/example/wharf/" + module + "/"
          + className + ".java"), "package com.example.wharf." + module + ";\npublic class " + className + " {}\n");
    }
    write(project.resolve("lib/src/main/resources/version.txt"), text);
    return project;
  }

  /** A project depending on app (and so on lib) at the version. */
  static Path consumer(String version) {
    Path project = directory("consumer");
    write(project.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.other</groupId>
          <artifactId>consumer</artifactId>
          <version>1.0</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
            <dependency><groupId>com.example.wharf</groupId><artifactId>app</artifactId><version>%s</version></dependency>
          </dependencies>
          <build>%s</build>
        </project>
        """.formatted(version, MavenTestingRepository.PLUGINS));
    write(project.resolve("src/main/java/example/Uses.java"),
        "package example;\npublic class Uses { com.example.wharf.lib.Lib lib; com.example.wharf.app.App app; }\n");
    return project;
  }

  /** This project's own dependencies (properties, BOM imports, dependencies of pom.xml) in a small project. */
  static String realTreePom() {
    String own;
    try {
      own = Files.readString(Path.of("pom.xml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String properties = section(own, "properties");
    String management = section(own, "dependencyManagement");
    String dependencies = section(own, "dependencies");
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example.other</groupId>
          <artifactId>real-tree</artifactId>
          <version>1.0</version>
          %s
          %s
          %s
          <build>%s</build>
        </project>
        """.formatted(properties, management, dependencies, MavenTestingRepository.PLUGINS);
  }

  private static String section(String pom, String element) {
    Matcher m = Pattern.compile("(?s)\\n  <" + element + ">.*?\\n  </" + element + ">").matcher(pom);
    assertThat(m.find()).as("pom.xml has <" + element + ">").isTrue();
    return m.group();
  }

  static String jarText(Path jar, String entry) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return new String(zip.getInputStream(zip.getEntry(entry)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static Path directory(String prefix) {
    return TestingFiles.directory(scratch, prefix);
  }
}
