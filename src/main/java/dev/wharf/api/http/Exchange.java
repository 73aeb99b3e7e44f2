package dev.wharf.api.http;

import dev.wharf.error.WharfException;
import dev.wharf.metrics.RequestMeter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One HTTP request and its response: the small surface endpoints use, over Jetty's core API. */
public final class Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private String requestId;
  private boolean completed;
  private java.util.function.BooleanSupplier successAllowed;
  private String refusedSuccess;
  private RequestMeter meter;

  public Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  /**
   * Names what this request is for the request metrics (its protocol, format and operation), as precisely as
   * the endpoint knows it by now: the root handler names the protocol, the endpoint the operation.
   */
  public void meter(RequestMeter meter) {
    this.meter = meter;
  }

  /** The meter the answer to this request is recorded in; null until one is named. */
  public RequestMeter meter() {
    return meter;
  }

  /**
   * This request's id, in a UUID's shape (as AWS's request ids are). Every answer carries it and the audit
   * trail and the logs name it. It identifies, it does not protect: it comes from the thread's own random
   * generator, not from the lock of the shared SecureRandom that {@code UUID.randomUUID()} takes.
   */
  public String requestId() {
    if (requestId == null) {
      java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
      long high = (random.nextLong() & ~0xf000L) | 0x4000L; // version 4
      long low = (random.nextLong() & ~(3L << 62)) | (2L << 62); // IETF variant
      requestId = new UUID(high, low).toString();
    }
    return requestId;
  }

  public String method() {
    return request.getMethod();
  }

  /** The path as sent, still percent-encoded. */
  public String rawPath() {
    return request.getHttpURI().getPath();
  }

  /** The query as sent, or null. */
  public String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** All headers, lower-case names, values in arrival order. */
  public Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
    }
    return headers;
  }

  /**
   * The caller's address: the connection's peer, or the client a trusted proxy named (TrustedProxies). IPv6 without
   * the brackets Jetty adds, as aws:SourceIp conditions and the audit trail expect.
   */
  public String remoteAddress() {
    String address = Request.getRemoteAddr(request);
    return address.length() > 2 && address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1) : address;
  }

  /** Whether the caller's transport is TLS: this connection's, or the one a trusted proxy named. */
  public boolean isSecure() {
    return request.isSecure();
  }

  /** The scheme and authority the client used, e.g. http://localhost:8080. */
  public String origin() {
    var uri = request.getHttpURI();
    int port = uri.getPort();
    boolean defaultPort = port <= 0 || ("http".equals(uri.getScheme()) && port == 80)
        || ("https".equals(uri.getScheme()) && port == 443);
    return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
  }

  /** Bodies up to this size are drained before a 413 so the client, still sending, reads the answer. */
  private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

  /** Reads the whole body, refusing more than maxBytes with {@link WharfException.TooLarge}. */
  public byte[] readBody(int maxBytes) throws IOException {
    long declared = request.getLength();
    try (InputStream in = bodyStream()) {
      if (declared > maxBytes) {
        drain(in, declared);
        throw new WharfException.TooLarge("Request body of " + declared + " bytes exceeds the limit of " + maxBytes + " bytes");
      }
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        drain(in, DRAIN_LIMIT);
        throw new WharfException.TooLarge("Request body exceeds the limit of " + maxBytes + " bytes");
      }
      return body;
    }
  }

  /**
   * Discards a moderately oversized body: answering while the client still sends makes some clients
   * lose the answer to a connection reset. Larger bodies are not read; the connection is closed.
   */
  private static void drain(InputStream in, long declared) throws IOException {
    if (declared > DRAIN_LIMIT) {
      return;
    }
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT;
    int read;
    while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= read;
    }
  }

  /**
   * Discards what is left of a moderately oversized body before an error is answered (a client still
   * sending may lose an early answer to a connection reset); a body declared larger is not read, and
   * the connection is closed after the answer.
   */
  public void drainBody() {
    try (InputStream in = bodyStream()) {
      drain(in, request.getLength());
    } catch (IOException | RuntimeException e) {
      // the answer is an error anyway
    }
  }

  /**
   * From now on a success (a status below 400) may be answered only while {@code allowed} holds;
   * otherwise answering fails with an IllegalStateException saying {@code why} (a 500): for routes
   * that must decide something before they may succeed.
   */
  public void requireForSuccess(java.util.function.BooleanSupplier allowed, String why) {
    this.successAllowed = allowed;
    this.refusedSuccess = why;
  }

  /**
   * Starts the response (status and type) unless one was already sent; refuses a success the
   * exchange may not answer yet ({@link #requireForSuccess}).
   */
  private boolean begin(int status, String contentType) {
    if (status < 400 && successAllowed != null && !successAllowed.getAsBoolean()) {
      throw new IllegalStateException(refusedSuccess);
    }
    if (completed) {
      return false;
    }
    completed = true;
    response.setStatus(status);
    closeIfBodyUnread();
    if (contentType != null) {
      response.getHeaders().put("Content-Type", contentType);
    }
    return true;
  }

  /**
   * An answer given before the request's body was read to its end (a refusal, an error) reads on as far as the
   * body has arrived; when some has not, Jetty closes the HTTP/1 connection after the answer, so the answer
   * says so: a client that is not told reuses the connection and its next request meets a closed socket.
   */
  private void closeIfBodyUnread() {
    if ((request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING))
        && request.getConnectionMetaData().getHttpVersion().getVersion() < HttpVersion.HTTP_2.getVersion()
        && !request.consumeAvailable()) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
    }
  }

  /** The declared Content-Length, or -1 when the body is chunked or absent. */
  public long contentLength() {
    return request.getLength();
  }

  /**
   * Streams a response body of known length, the first {@code length} bytes of {@code content}
   * (closed afterwards), never holding it whole in memory. A HEAD request gets the headers only. A failure mid-stream aborts the response.
   */
  public void stream(int status, String contentType, long length, InputStream content) throws IOException {
    if (!begin(status, contentType)) {
      content.close();
      return;
    }
    response.getHeaders().put("Content-Length", length);
    try (content) {
      if ("HEAD".equals(request.getMethod())) {
        response.write(true, null, callback);
        return;
      }
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        int n;
        while (left > 0 && (n = content.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
          out.write(buffer, 0, n);
          left -= n;
        }
        if (left > 0) {
          throw new IOException("the content ended " + left + " bytes short of its length");
        }
      }
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      // the client went away or the blob could not be read: the response is already committed
      callback.failed(e);
    }
  }

  /**
   * Sends {@code length} bytes of {@code channel} from {@code offset} (the channel closed afterwards): read in
   * Jetty's pooled direct buffers and written as the connection takes them, without a copy through the heap
   * or a thread waiting on the socket. A HEAD request gets the headers only. A failure mid-stream aborts the
   * response (it is already committed).
   */
  public void stream(int status, String contentType, long length, SeekableByteChannel channel, long offset)
      throws IOException {
    if (!begin(status, contentType)) {
      channel.close();
      return;
    }
    response.getHeaders().put("Content-Length", length);
    if ("HEAD".equals(request.getMethod())) {
      channel.close();
      response.write(true, null, callback);
      return;
    }
    ByteBufferPool.Sized buffers = new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), true,
        CHANNEL_BUFFER_BYTES);
    Content.Source source = Content.Source.from(buffers, channel, offset, length);
    Content.copy(source, response, Callback.from(callback, () -> closeQuietly(channel)));
  }

  /** What {@link #stream(int, String, long, SeekableByteChannel, long)} reads at a time. */
  private static final int CHANNEL_BUFFER_BYTES = 64 * 1024;

  private static void closeQuietly(SeekableByteChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // read to the end or abandoned: nothing is lost by a failed close of a read-only channel
    }
  }

  /** Writes a response body to the stream it is given. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Streams a response body of unknown length (chunked), written by {@code body} through a buffer,
   * for documents too large to build in memory. A HEAD request gets the headers only. A failure
   * mid-stream aborts the response (it is already committed).
   */
  public void stream(int status, String contentType, BodyWriter body) {
    if (!begin(status, contentType)) {
      return;
    }
    if ("HEAD".equals(request.getMethod())) {
      response.write(true, null, callback);
      return;
    }
    try (OutputStream out = new java.io.BufferedOutputStream(Content.Sink.asOutputStream(response), 32 * 1024)) {
      body.write(out);
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
      return;
    }
    callback.succeeded();
  }

  /**
   * The request body. A failure to read it (a malformed chunk, a body cut short of its Content-Length,
   * a client that went away, an idle timeout) is a {@link BodyReadException}: the client's fault, which
   * every protocol answers 400, never the server's.
   */
  public InputStream bodyStream() {
    return new ClientBody(Content.Source.asInputStream(request));
  }

  /** A failure to read the request body, as opposed to a failure to store or parse what was read. */
  public static final class BodyReadException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyReadException(Throwable cause) {
      super("The request body could not be read: " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
      String message = cause.getMessage();
      return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** The BodyReadException that {@code failure} is or was caused by, if any. */
    public static java.util.Optional<BodyReadException> in(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof BodyReadException found) {
          return java.util.Optional.of(found);
        }
        if (t.getCause() == t) {
          break;
        }
      }
      return java.util.Optional.empty();
    }
  }

  /**
   * Jetty reports a bad body as an IOException (EofException: cut short or closed) or as a runtime
   * BadMessageException (a malformed chunk); both become {@link BodyReadException}s.
   */
  private static final class ClientBody extends java.io.FilterInputStream {
    ClientBody(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException | RuntimeException e) {
        throw asBodyReadFailure(e);
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (IOException | RuntimeException e) {
        throw asBodyReadFailure(e);
      }
    }

    @Override
    public long skip(long bytes) throws IOException {
      try {
        return super.skip(bytes);
      } catch (IOException | RuntimeException e) {
        throw asBodyReadFailure(e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return super.available();
      } catch (IOException | RuntimeException e) {
        throw asBodyReadFailure(e);
      }
    }

    /** Jetty's own HTTP failures (BadMessageException and its kin) and I/O failures become BodyReadExceptions. */
    private static IOException asBodyReadFailure(Exception e) throws IOException {
      if (e instanceof BodyReadException read) {
        return read;
      }
      if (e instanceof IOException || e instanceof org.eclipse.jetty.http.HttpException) {
        return new BodyReadException(e);
      }
      throw (RuntimeException) e;
    }
  }

  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /**
   * Replaces the status line's standard reason phrase ("Unauthorized") with {@code reason}, for HTTP/1.x
   * (HTTP/2 has none): twine, gem, Maven and Gradle print the reason phrase and nothing of the body. Call it
   * before the answer is sent; Jetty writes the text as given, so it must be printable ASCII and hold nothing
   * secret.
   */
  public void reasonPhrase(String reason) {
    request.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
      @Override
      public void send(MetaData.Request sentFor, MetaData.Response status, boolean last, ByteBuffer content,
          Callback sent) {
        // the status line goes out with the first write only: the later ones carry no MetaData.Response
        super.send(sentFor, status == null ? null : new MetaData.Response(status.getStatus(), reason,
            status.getHttpVersion(), status.getHttpFields(), status.getContentLength(), status.getTrailersSupplier()),
            last, content, sent);
      }
    });
  }

  /** Adds a header line beside any of the same name already set (e.g. a second Vary). */
  public void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  public void send(int status, String contentType, String body) {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public void send(int status, String contentType, byte[] body) {
    send(status, contentType, ByteBuffer.wrap(body));
  }

  /**
   * Sends a body that is already in memory (bytes, or a mapped file written to the socket from where it is,
   * without a copy). A 304 gets neither content nor a length of one; a HEAD request gets the headers only.
   */
  public void send(int status, String contentType, ByteBuffer body) {
    if (!begin(status, contentType)) {
      return;
    }
    if (status == 304) {
      response.write(true, null, callback);
      return;
    }
    response.getHeaders().put("Content-Length", body.remaining());
    response.write(true, "HEAD".equals(request.getMethod()) ? null : body, callback);
  }

  public boolean isCompleted() {
    return completed;
  }
}
