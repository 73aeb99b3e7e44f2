package dev.wharf.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The request meters of one protocol and format, one per operation it names, built when the server starts: a
 * request finds its meter with one map lookup. An operation not named at start (a misspelt AWS action) is
 * counted as {@code unknown}, so a client cannot grow the number of series.
 */
public final class RequestMeters {
  public static final String UNKNOWN = "unknown";

  private final Map<String, RequestMeter> byOperation = new HashMap<>();
  private final RequestMeter unknown;

  RequestMeters(Metrics metrics, RequestProtocol protocol, String format, Collection<String> operations) {
    for (String operation : operations) {
      byOperation.put(operation, metrics.request(protocol, format, operation));
    }
    this.unknown = metrics.request(protocol, format, UNKNOWN);
  }

  /** The meter of an operation named at start, else that of {@code unknown}. */
  public RequestMeter operation(String name) {
    RequestMeter meter = name == null ? null : byOperation.get(name);
    return meter == null ? unknown : meter;
  }

  public RequestMeter unknown() {
    return unknown;
  }

  /** A route's metric name: its name in lower case, each run of other characters one underscore. */
  public static String operationName(String routeName) {
    return Objects.requireNonNull(routeName, "routeName").toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }
}
