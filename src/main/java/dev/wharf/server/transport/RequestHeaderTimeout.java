package dev.wharf.server.transport;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that take too long to send a request's line and headers, or to finish a TLS handshake
 * (slow-loris). Jetty's idle timeout alone does not: it restarts with every byte, so a client that sends one header
 * byte every few seconds holds its connection, and a thread's worth of buffers, for ever.
 *
 * <p>A sweep looks at every open HTTP/1.1 connection a few times per timeout: one whose parser has been in the
 * request line or headers of the same request for longer than the timeout is closed. The time between requests
 * on a kept-alive connection is not counted (the idle timeout bounds it). HTTP/2 connections are bounded by the idle
 * timeout and HTTP/2's own frame limits.
 */
public final class RequestHeaderTimeout extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHeaderTimeout.class);

  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService sweeper;

  /** Where a connection was when the sweep first saw it waiting on a request's headers (or a handshake). */
  private static final class Progress {
    volatile boolean handshakeDone;
    long request = -1;
    long since;
  }

  public RequestHeaderTimeout(Duration timeout) {
    this(timeout, System::nanoTime);
  }

  RequestHeaderTimeout(Duration timeout, LongSupplier nanoTime) {
    this.timeoutNanos = Objects.requireNonNull(timeout, "timeout").toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  protected void doStart() {
    sweeper = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("wharf-header-timeout").daemon().factory());
    long every = Math.max(100, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
    open.clear();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection) {
      open.put(connection, new Progress());
    } else if (connection instanceof SslConnection tls) {
      Progress progress = new Progress();
      tls.addHandshakeListener(new SslHandshakeListener() {
        @Override
        public void handshakeSucceeded(Event event) {
          progress.handshakeDone = true;
        }
      });
      open.put(connection, progress);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  /** One pass over the open connections; package-visible for tests. */
  void sweep() {
    long now = nanoTime.getAsLong();
    open.forEach((connection, progress) -> {
      long request = waitingOn(connection, progress);
      if (request < 0) {
        progress.request = -1;
        if (connection instanceof SslConnection) {
          open.remove(connection); // handshake done: the HTTP connection inside is watched on its own
        }
        return;
      }
      if (progress.request != request) {
        progress.request = request;
        progress.since = now;
      } else if (now - progress.since > timeoutNanos) {
        LOG.debug("closing {}: request headers not received within the timeout", connection.getEndPoint()
            .getRemoteSocketAddress());
        open.remove(connection);
        connection.getEndPoint().close();
      }
    });
  }

  /**
   * Which request the connection is waiting on the headers of (its count of requests received), or -1 when it is
   * idle between requests, reading a body or writing a response.
   */
  private static long waitingOn(Connection connection, Progress progress) {
    if (connection instanceof HttpConnection http) {
      HttpParser.State state = http.getParser().getState();
      boolean inHeaders = state.ordinal() > HttpParser.State.START.ordinal()
          && state.ordinal() < HttpParser.State.CONTENT.ordinal();
      return inHeaders ? http.getMessagesIn() : -1;
    }
    return progress.handshakeDone ? -1 : 0;
  }
}
