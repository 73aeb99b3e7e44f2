package dev.wharf.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before a request reaches Wharf's handlers (request headers too large: 431, a
 * malformed request line or URI: 400) with the server's small JSON error, {"message": …}, instead of Jetty's HTML
 * page; never a stack trace.
 */
public final class ConnectionErrors extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ConnectionErrors() {
    setShowStacks(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    String reason = HttpStatus.getMessage(code);
    String text = message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message;
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(Map.of("message", text))), callback);
  }
}
