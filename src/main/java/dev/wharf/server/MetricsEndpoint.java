package dev.wharf.server;

import dev.wharf.api.http.Exchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/** {@code GET /metrics}: every meter of the registry in Prometheus's text format (version 0.0.4). */
final class MetricsEndpoint {
  static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  MetricsEndpoint(PrometheusMeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  void handle(Exchange exchange) {
    if (!"GET".equals(exchange.method()) && !"HEAD".equals(exchange.method())) {
      exchange.setHeader("Allow", "GET, HEAD");
      exchange.send(405, "text/plain; charset=utf-8", "Method not allowed\n");
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      registry.scrape(out, CONTENT_TYPE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    exchange.setHeader("Cache-Control", "no-store");
    exchange.send(200, CONTENT_TYPE, out.toByteArray());
  }
}
