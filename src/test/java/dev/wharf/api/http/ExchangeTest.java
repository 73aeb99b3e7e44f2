package dev.wharf.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The guard a route that must decide before it succeeds relies on. */
class ExchangeTest {
  @Test
  void aSuccessCannotBeAnsweredUntilTheRequiredDecisionIsMadeButAnErrorCan() throws Exception {
    AtomicBoolean decided = new AtomicBoolean();
    AtomicReference<Throwable> refused = new AtomicReference<>();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        Exchange exchange = new Exchange(request, response, callback);
        exchange.requireForSuccess(decided::get, "no decision");
        try {
          exchange.send(200, "text/plain", "ok");
        } catch (IllegalStateException e) {
          refused.set(e);
          exchange.send(500, "text/plain", "refused");
        }
        return true;
      }
    });
    server.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("http://localhost:" + connector.getLocalPort() + "/");
      HttpResponse<String> before = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(before.statusCode()).isEqualTo(500);
      assertThat(refused.get()).hasMessage("no decision");
      decided.set(true);
      HttpResponse<String> after = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(after.body()).isEqualTo("ok");
    } finally {
      server.stop();
    }
  }
}
