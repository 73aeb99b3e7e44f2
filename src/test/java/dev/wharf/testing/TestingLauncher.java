package dev.wharf.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The {@code ./wharf} launcher script of this checkout, run as a user runs it: as a subprocess
 * with an environment built from scratch. Short commands run to completion; {@link #start}
 * keeps a server running and collects what it prints (stdout and stderr together).
 */
public final class TestingLauncher {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final Path root;
  private final Map<String, String> environment;

  private TestingLauncher(Path root, Map<String, String> environment) {
    this.root = root;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The launcher with PATH, a fresh HOME and JAVA_HOME set to this test JVM's JDK. Fails when the
   * jar is missing or older than the sources: the launcher would then rebuild, which a test must not do.
   */
  public static TestingLauncher create(Path home) {
    Path root = checkoutRoot();
    Path jar = root.resolve("target/wharf.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No " + jar + ": run ./mvnw package first (Failsafe runs after it)");
    }
    Optional<Path> newer = newerThan(jar, root.resolve("src/main"), root.resolve("pom.xml"));
    if (newer.isPresent()) {
      throw new IllegalStateException(newer.get() + " is newer than " + jar
          + ": the launcher would rebuild; run ./mvnw package first");
    }
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    environment.put("HOME", home.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    return new TestingLauncher(root, environment);
  }

  private static Path checkoutRoot() {
    String jar = System.getenv("WHARF_JAR");
    Path root = jar != null ? Path.of(jar).toAbsolutePath().getParent().getParent() : Path.of("").toAbsolutePath();
    if (!Files.isExecutable(root.resolve("wharf"))) {
      throw new IllegalStateException("No executable launcher at " + root.resolve("wharf"));
    }
    return root;
  }

  private static Optional<Path> newerThan(Path jar, Path... sources) {
    try {
      long built = Files.getLastModifiedTime(jar).toMillis();
      for (Path source : sources) {
        try (Stream<Path> files = Files.walk(source)) {
          Optional<Path> newer = files.filter(Files::isRegularFile).filter(file -> {
            try {
              return Files.getLastModifiedTime(file).toMillis() > built;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).findFirst();
          if (newer.isPresent()) {
            return newer;
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** The same launcher with variables added or replaced; a null value removes the variable. */
  public TestingLauncher with(Map<String, String> changes) {
    Map<String, String> merged = new HashMap<>(environment);
    changes.forEach((name, value) -> {
      if (value == null) {
        merged.remove(name);
      } else {
        merged.put(name, value);
      }
    });
    return new TestingLauncher(root, merged);
  }

  public TestingLauncher with(String name, String value) {
    Map<String, String> change = new HashMap<>();
    change.put(name, value);
    return with(change);
  }

  private List<String> command(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("wharf").toString());
    command.addAll(List.of(arguments));
    return command;
  }

  /** Runs {@code ./wharf ARGS…} to completion. */
  public TestingProcesses.Result run(String... arguments) {
    return TestingProcesses.run(root, environment, COMMAND_TIMEOUT, command(arguments));
  }

  /** Starts {@code ./wharf ARGS…} and returns at once; the caller stops it. */
  public Running start(String... arguments) {
    ProcessBuilder builder = new ProcessBuilder(command(arguments)).directory(root.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      long started = System.nanoTime();
      return new Running(builder.start(), started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A launcher process that runs until stopped, with every line it printed so far. */
  public static final class Running implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final long startedNanos;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean kept;

    private Running(Process process, long startedNanos) {
      this.process = process;
      this.startedNanos = startedNanos;
      this.reader = Thread.ofVirtual().name("launcher-output-" + process.pid()).start(() -> {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            synchronized (lines) {
              lines.add(line);
            }
          }
        } catch (IOException closed) {
          // the process ended
        }
      });
    }

    public Process process() {
      return process;
    }

    /** Everything printed so far. */
    public String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    /** Waits for a printed line that matches, failing with the output when the process ends or the deadline passes. */
    public String awaitLine(Predicate<String> matches, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        synchronized (lines) {
          for (String line : lines) {
            if (matches.test(line)) {
              return line;
            }
          }
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError((process.isAlive() ? "no matching line within " + timeout : "process ended with "
              + process.exitValue()) + "; output:\n" + output());
        }
        pause();
      }
    }

    /**
     * Polls GET {url}/health until it answers 200, and returns the time from process start to
     * that answer.
     */
    public Duration awaitHealthy(URI base, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      HttpRequest request = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
      while (true) {
        try {
          if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
          }
        } catch (IOException notYet) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("no 200 from " + base + "/health; output:\n" + output());
        }
        pause();
      }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new AssertionError("still running after " + timeout + "; output:\n" + output());
        }
        awaitOutputDrained();
        return process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Sends SIGTERM and waits for the process to end; returns its exit code. */
    public int terminate(Duration timeout) {
      // through the handle: Process.destroy() would also close the output before the last lines are read
      process.toHandle().destroy();
      return awaitExit(timeout);
    }

    /**
     * Kills the server with SIGKILL, as the kernel's out-of-memory killer or a power cut stops it: no shutdown
     * hook runs, nothing is flushed. The launcher execs the JVM, so this process is the JVM itself
     * ({@link #isJvm}); any process it started is killed too. Returns the exit code (137).
     */
    public int kill(Duration timeout) {
      List<ProcessHandle> descendants = process.toHandle().descendants().toList();
      process.toHandle().destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      int exit = awaitExit(timeout);
      for (ProcessHandle descendant : descendants) {
        descendant.onExit().join();
      }
      return exit;
    }

    /** Whether the process is the JVM (the launcher exec'd it) rather than a shell that started one. */
    public boolean isJvm() {
      return process.toHandle().info().command().map(command -> command.endsWith("/bin/java")).orElse(false);
    }

    private void awaitOutputDrained() throws InterruptedException {
      reader.join(Duration.ofSeconds(5));
      keepOutput();
    }

    /** Hands what the process printed to the suite's log check, once. */
    private void keepOutput() {
      if (!kept) {
        kept = true;
        TestingLogCapture.keepOutput(process.pid(), output());
      }
    }

    private static void pause() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      try {
        if (process.isAlive()) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      keepOutput();
    }
  }
}
