package dev.wharf.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Real clients and services a test needs (the aws CLI, PostgreSQL, later npm, pip, twine). When one
 * is missing the test is skipped with a message saying what is missing, unless
 * WHARF_REQUIRE_CLIENTS=1 (as in CI), where a missing client fails the test.
 */
public final class TestingClients {
  private TestingClients() {}

  public static boolean required() {
    return "1".equals(System.getenv("WHARF_REQUIRE_CLIENTS"));
  }

  /** Skips the test, or fails it when clients are required. */
  public static void missing(String what) {
    String message = "Skipped: " + what + " is not available on this machine";
    if (required()) {
      fail(message + " and WHARF_REQUIRE_CLIENTS=1");
    }
    System.err.println(message);
    assumeTrue(false, message);
  }

  /** Ensures a command runs (e.g. "aws --version"); skips or fails otherwise. */
  public static void requireCommand(String... versionCommand) {
    try {
      Process process = new ProcessBuilder(versionCommand).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // fall through to missing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    missing("'" + String.join(" ", versionCommand) + "'");
  }
}
