package dev.wharf.format.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingClients;
import dev.wharf.testing.TestingProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The machine's local Maven repository (~/.m2/repository: this project's own dependency tree and
 * the plugins its build ran) as test data, and the pieces of a Maven setup pointing at Wharf.
 */
final class MavenTestingRepository {
  static final Path LOCAL = Path.of(System.getProperty("user.home"), ".m2", "repository");
  /** Plugins the test projects pin: versions this project's own build (./mvnw) uses, or fetches before the end-to-end tests. */
  static final String PLUGINS = """
      <pluginManagement><plugins>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.6.1</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>3.1.2</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-deploy-plugin</artifactId><version>3.1.2</version></plugin>
        <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.9.0</version></plugin>
      </plugins></pluginManagement>
      """;

  private MavenTestingRepository() {}

  /** Skips (or fails under WHARF_REQUIRE_CLIENTS=1) when a pinned plugin is not in the local repository. */
  static void requirePlugins(boolean deploy) {
    List<String> needed = new ArrayList<>(List.of("maven-resources-plugin/3.3.1", "maven-compiler-plugin/3.14.1",
        "maven-surefire-plugin/3.6.1", "maven-jar-plugin/3.4.2", "maven-dependency-plugin/3.9.0"));
    if (deploy) {
      needed.addAll(List.of("maven-install-plugin/3.1.2", "maven-deploy-plugin/3.1.2"));
    }
    for (String plugin : needed) {
      Path directory = LOCAL.resolve("org/apache/maven/plugins").resolve(plugin);
      String jar = plugin.replace('/', '-') + ".jar";
      if (!Files.isRegularFile(directory.resolve(jar))) {
        TestingClients.missing(plugin + " in " + LOCAL + " (./mvnw verify fetches it before the end-to-end tests)");
      }
    }
    if (!Files.isRegularFile(LOCAL.resolve("org/codehaus/plexus/plexus-utils/1.1/plexus-utils-1.1.jar"))) {
      // Maven 3.8 adds plexus-utils 1.1 to plugins that do not depend on plexus-utils.
      TestingClients.missing("plexus-utils 1.1 in " + LOCAL + " (./mvnw verify fetches it before the end-to-end tests)");
    }
  }

  /** Release .jar and .pom files of the local repository, as paths relative to it. */
  static List<Path> releaseFiles() {
    return releaseFiles("");
  }

  /** {@link #releaseFiles()} under one folder of the local repository (e.g. {@code org/slf4j}). */
  static List<Path> releaseFiles(String folder) {
    Path under = LOCAL.resolve(folder);
    if (!Files.isDirectory(under)) {
      TestingClients.missing(under + " (./mvnw package fills " + LOCAL + ")");
    }
    try (Stream<Path> files = Files.walk(under)) {
      return files.filter(Files::isRegularFile)
          .map(LOCAL::relativize)
          .filter(p -> p.getNameCount() >= 4)
          .filter(p -> p.toString().endsWith(".jar") || p.toString().endsWith(".pom"))
          .filter(p -> !p.toString().contains("SNAPSHOT") && !p.startsWith("dev/wharf"))
          // only files in the layout (artifactId-version…), as a deploy would have put them
          .filter(p -> p.getFileName().toString().startsWith(p.getName(p.getNameCount() - 3) + "-"
              + p.getName(p.getNameCount() - 2)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * PUTs the files into the repository at {@code endpoint} with {@code parallelism} uploads at a
   * time, then each artifact's maven-metadata.xml listing its versions, as a deploy ends.
   */
  static void upload(String endpoint, String token, List<Path> files, int parallelism) {
    put(endpoint, token, files.stream().map(f -> new Upload(layoutPath(f), () -> ofFile(LOCAL.resolve(f)))).toList(),
        parallelism);
    java.util.Map<Path, java.util.TreeSet<String>> versions = new java.util.TreeMap<>();
    for (Path file : files) {
      versions.computeIfAbsent(file.getParent().getParent(), k -> new java.util.TreeSet<>())
          .add(file.getParent().getFileName().toString());
    }
    List<Upload> metadata = new ArrayList<>();
    versions.forEach((artifact, list) -> {
      String groupId = layoutPath(artifact.getParent()).replace('/', '.');
      StringBuilder xml = new StringBuilder("<metadata><groupId>" + groupId + "</groupId><artifactId>"
          + artifact.getFileName() + "</artifactId><versioning><versions>");
      list.forEach(v -> xml.append("<version>").append(v).append("</version>"));
      xml.append("</versions></versioning></metadata>");
      metadata.add(new Upload(layoutPath(artifact) + "/maven-metadata.xml",
          () -> HttpRequest.BodyPublishers.ofString(xml.toString())));
    });
    put(endpoint, token, metadata, parallelism);
  }

  private static HttpRequest.BodyPublisher ofFile(Path file) {
    try {
      return HttpRequest.BodyPublishers.ofFile(file);
    } catch (java.io.FileNotFoundException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Upload(String path, java.util.function.Supplier<HttpRequest.BodyPublisher> body) {}

  private static void put(String endpoint, String token, List<Upload> files, int parallelism) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String authorization = "Basic " + Base64.getEncoder().encodeToString(("aws:" + token)
        .getBytes(StandardCharsets.UTF_8));
    try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
      List<Future<String>> results = new ArrayList<>();
      for (Upload file : files) {
        results.add(pool.submit(() -> {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint + file.path()))
              .header("Authorization", authorization)
              .PUT(file.body().get()).build(), HttpResponse.BodyHandlers.ofString());
          return response.statusCode() / 100 == 2 ? null
              : file.path() + ": " + response.statusCode() + " " + response.body();
        }));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> result : results) {
        String failure = result.get();
        if (failure != null) {
          failures.add(failure);
        }
      }
      assertThat(failures).isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  static String layoutPath(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  /**
   * A settings.xml with the server {@code wharf login --tool maven} writes (password from
   * CODEARTIFACT_AUTH_TOKEN) and Wharf as the only mirror of everything.
   */
  static String settings(String endpoint) {
    return mirrorSettings(endpoint).replace("<settings>\n", """
        <settings>
          <servers>
            <server>
              <id>codeartifact</id>
              <username>aws</username>
              <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>
            </server>
          </servers>
        """);
  }

  /** A settings.xml with Wharf as the only mirror of everything, and no server (no credentials). */
  static String mirrorSettings(String endpoint) {
    return """
        <settings>
          <mirrors>
            <mirror>
              <id>codeartifact</id>
              <url>%s</url>
              <mirrorOf>*</mirrorOf>
            </mirror>
          </mirrors>
          <profiles>
            <profile>
              <id>codeartifact</id>
              <!-- central, reached through the mirror: with SNAPSHOTs enabled, which the default central is not -->
              <repositories>
                <repository>
                  <id>central</id><url>https://repo.maven.apache.org/maven2</url>
                  <releases><enabled>true</enabled></releases><snapshots><enabled>true</enabled></snapshots>
                </repository>
              </repositories>
              <pluginRepositories>
                <pluginRepository>
                  <id>central</id><url>https://repo.maven.apache.org/maven2</url>
                  <releases><enabled>true</enabled></releases><snapshots><enabled>true</enabled></snapshots>
                </pluginRepository>
              </pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>codeartifact</activeProfile></activeProfiles>
        </settings>
        """.formatted(endpoint);
  }

  /** A Maven installation: its version (as the test names it) and its launcher. */
  record Maven(String version, String executable) {
    @Override
    public String toString() {
      return "Maven " + version;
    }
  }

  /** Debian's Maven 3.8 ({@code mvn} on PATH). */
  static Maven debianMaven() {
    return new Maven("3.8", "mvn");
  }

  /** The Maven 3.9 of this project's ./mvnw, as the wrapper unpacked it into ~/.m2/wrapper/dists. */
  static Maven wrapperMaven() {
    Path dists = LOCAL.getParent().resolve("wrapper").resolve("dists");
    try (Stream<Path> launchers = Files.isDirectory(dists) ? Files.walk(dists, 4) : Stream.empty()) {
      // dists/apache-maven-3.9.x/<hash>/bin/mvn
      return launchers.filter(p -> dists.relativize(p).getNameCount() == 4 && p.getFileName().toString().equals("mvn")
              && p.getParent().getFileName().toString().equals("bin")
              && dists.relativize(p).getName(0).toString().startsWith("apache-maven-3.9."))
          .filter(Files::isExecutable).sorted().findFirst()
          .map(p -> new Maven("3.9", p.toString()))
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The real mvn in batch mode in {@code project}: these settings and local repository, {@code home}
   * as HOME, this JVM's JDK, and the token as CODEARTIFACT_AUTH_TOKEN (the settings' password).
   */
  static TestingProcesses.Result mvn(Path settings, String authToken, Duration timeout, Path home, Path project,
      Path localRepository, String... goals) {
    List<String> arguments = new ArrayList<>(List.of("-s", settings.toString(), "-Dmaven.repo.local=" + localRepository));
    arguments.addAll(List.of(goals));
    return run(debianMaven(), home, authToken, timeout, project, arguments);
  }

  /**
   * The Maven in batch mode in {@code project} as the user whose home is {@code home}: HOME and Java's
   * user.home (where Maven looks for .m2/settings.xml and .m2/repository; it does not read $HOME) are
   * {@code home}, the JDK is this JVM's, and CODEARTIFACT_AUTH_TOKEN is {@code authToken}.
   */
  static TestingProcesses.Result run(Maven maven, Path home, String authToken, Duration timeout, Path project,
      List<String> arguments) {
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", home.toString());
    environment.put("MAVEN_OPTS", "-Duser.home=" + home);
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("CODEARTIFACT_AUTH_TOKEN", authToken);
    List<String> command = new ArrayList<>(List.of(maven.executable(), "-B"));
    command.addAll(arguments);
    return TestingProcesses.run(project, environment, timeout, command);
  }
}
