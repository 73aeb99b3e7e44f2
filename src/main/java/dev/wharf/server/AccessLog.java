package dev.wharf.server;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, written when the answer is complete: the request id every answer
 * carries, method, path, status, bytes sent, milliseconds, the caller's address and protocol.
 *
 * <p>The path is logged without its query: a presigned URL's query holds a signature and may hold a
 * session token. No header is logged, so no Authorization value, cookie or token reaches the log.
 * logback.xml hands these lines to an asynchronous appender, so a request never waits for the console.
 */
final class AccessLog implements RequestLog {
  /** The request attribute RootHandler sets to the request's id. */
  static final String REQUEST_ID = "dev.wharf.requestId";
  private static final Logger LOG = LoggerFactory.getLogger("dev.wharf.access");

  @Override
  public void log(Request request, Response response) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    Object id = request.getAttribute(REQUEST_ID);
    String requestId = id == null ? "-" : id.toString();
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    int status = response.getStatus();
    long bytes = Response.getContentBytesWritten(response);
    long millis = NanoTime.millisSince(request.getBeginNanoTime());
    String address = Request.getRemoteAddr(request);
    String protocol = request.getConnectionMetaData().getProtocol();
    LOG.atInfo().addKeyValue("requestId", requestId).addKeyValue("method", method).addKeyValue("path", path)
        .addKeyValue("status", status).addKeyValue("bytes", bytes).addKeyValue("millis", millis)
        .addKeyValue("remoteAddress", address).addKeyValue("protocol", protocol)
        .log("{} {} {} {} {} B {} ms {} {}", address, method, path, status, bytes, millis, protocol, requestId);
  }
}
