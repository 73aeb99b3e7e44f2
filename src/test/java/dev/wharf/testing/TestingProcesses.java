package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with an environment built from scratch (only what the caller
 * passes, plus nothing inherited), capturing stdout and stderr, and kills it when it overruns.
 */
public final class TestingProcesses {
  private TestingProcesses() {}

  /** What a finished command printed and how it ended. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** A one-screen description for assertion messages. */
    public String describe() {
      return "$ " + String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** A clean environment: PATH from this process (or the given one), and nothing else unless added. */
  public static Map<String, String> cleanEnvironment(String path) {
    Map<String, String> environment = new TreeMap<>();
    environment.put("PATH", path != null ? path : System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("LANG", "C.UTF-8");
    return environment;
  }

  /** Runs the command in the directory with exactly the given environment; fails the test on timeout. */
  public static Result run(Path directory, Map<String, String> environment, Duration timeout, List<String> command) {
    try {
      Path output = Files.createTempFile("wharf-test-", ".out");
      Path errors = Files.createTempFile("wharf-test-", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(output.toFile()).redirectError(errors.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command) + "\n--- stdout\n"
              + Files.readString(output) + "\n--- stderr\n" + Files.readString(errors));
        }
        return new Result(List.copyOf(command), process.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
            Files.readString(errors, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
