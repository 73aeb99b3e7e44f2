package dev.wharf.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.wharf.config.WharfConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's log output, set up from the server's settings. logback.xml writes text lines to the
 * console; {@code --log-format json} swaps that appender's encoder for logback's own JSON encoder, one
 * object per line with the level, logger, thread, message, the request id (MDC) and an access line's
 * fields (key-value pairs). Nothing here decides what is logged: secrets never reach a logger.
 */
public final class Logging {
  /** The console appender logback.xml declares; every logger writes through it. */
  static final String CONSOLE_APPENDER = "console";

  private Logging() {}

  /** Applies the log format to the running logback configuration. */
  public static void configure(WharfConfig.LogFormat format) {
    if (format == WharfConfig.LogFormat.TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(CONSOLE_APPENDER);
    if (!(appender instanceof OutputStreamAppender<ILoggingEvent> console)) {
      return;
    }
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithContext(false);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    json.start();
    console.stop();
    console.setEncoder(json);
    console.start();
  }

  /** Writes out what asynchronous appenders still hold (the access log) and stops logging; at exit. */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
