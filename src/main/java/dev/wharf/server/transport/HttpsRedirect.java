package dev.wharf.server.transport;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every request on the plain-HTTP redirect port with 308 to the same path and query over HTTPS: on the
 * public URL's host and port when one is set, else on the host the client asked for and the HTTPS port. 308, not
 * 301: a client repeats the method and body (a PUT stays a PUT). Each answer closes the connection. Requests on
 * other connectors pass to the wrapped handler.
 */
public final class HttpsRedirect extends Handler.Wrapper {
  /** The name of the redirecting connector. */
  public static final String CONNECTOR_NAME = "http-redirect";

  private final Optional<URI> publicUrl;
  private final java.util.function.IntSupplier httpsPort;

  /**
   * @param publicUrl the https public URL, when set
   * @param httpsPort the port the HTTPS connector listens on (asked per request: it may be chosen at start)
   */
  public HttpsRedirect(Handler handler, Optional<URI> publicUrl, java.util.function.IntSupplier httpsPort) {
    super(handler);
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl").filter(url -> "https".equals(url.getScheme()));
    this.httpsPort = httpsPort;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!CONNECTOR_NAME.equals(request.getConnectionMetaData().getConnector().getName())) {
      return super.handle(request, response, callback);
    }
    HttpURI uri = request.getHttpURI();
    String authority;
    if (publicUrl.isPresent()) {
      authority = publicUrl.get().getRawAuthority();
    } else if (uri.getHost() != null && !uri.getHost().isEmpty()) {
      int port = httpsPort.getAsInt();
      String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
      authority = host + (port == 443 ? "" : ":" + port);
    } else {
      response.setStatus(400);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
      response.write(true, java.nio.ByteBuffer.wrap("Use HTTPS (this port only redirects; send a Host header)\n"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
      return true;
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    String location = "https://" + authority + path + (uri.getQuery() == null ? "" : "?" + uri.getQuery());
    response.setStatus(308);
    response.getHeaders().put(HttpHeader.LOCATION, location);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    // the body (a PUT's) is never read here: say the connection ends, or a client that reuses it for its next
    // request may find it closed under that request (Java's HttpClient: "header parser received no bytes")
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, null, callback);
    return true;
  }
}
