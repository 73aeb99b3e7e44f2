package dev.wharf.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy of everything the servers of a test JVM log (and of what servers started as processes
 * print) under target/wharf-logs, with the secrets the tests were handed, so that {@code LogSecretsIT}
 * can check, at the end of the suite, that no secret, token or signature was ever logged.
 */
public final class TestingLogCapture implements LauncherSessionListener {
  /** Where the copies go: target/wharf-logs of the checkout (Maven runs tests from the project directory). */
  public static final Path DIRECTORY = Path.of("target", "wharf-logs").toAbsolutePath();
  private static final String ACCESS_LOGGER = "dev.wharf.access";

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    try {
      Files.createDirectories(DIRECTORY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger - %msg %kvp%n%ex");
    encoder.start();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setName("test-copy");
    file.setFile(DIRECTORY.resolve("jvm-" + ProcessHandle.current().pid() + ".log").toString());
    file.setEncoder(encoder);
    file.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    context.getLogger(ACCESS_LOGGER).addAppender(file);
  }

  /** Keeps what a server process printed. */
  public static void keepOutput(long pid, String output) {
    write(DIRECTORY.resolve("process-" + pid + ".log"), output + "\n");
  }

  /** Notes a secret a test was handed: LogSecretsIT checks that no log holds it. */
  public static void noteSecret(String secret) {
    write(DIRECTORY.resolve("secrets-" + ProcessHandle.current().pid() + ".txt"), secret + "\n");
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
