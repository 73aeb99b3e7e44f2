package dev.wharf.console;

import dev.wharf.api.aws.RestJsonEndpoints;
import dev.wharf.api.http.Exchange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A console request as a route's handler sees it: the path's groups (percent-decoded), the query, the
 * posted form, the session (present on every {@link ConsoleEndpoints.Access.SignedIn} route) and the
 * caller the session's principal calls operations as.
 */
public record ConsoleRequest(Exchange exchange, ConsoleEndpoints.Origin origin,
    Optional<ConsoleSessions.Session> session, List<String> groups,
    Map<String, String> query, Map<String, String> form, Optional<dev.wharf.api.aws.Caller> caller) {

  public ConsoleRequest {
    groups = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(groups));
    query = Map.copyOf(query);
    form = Map.copyOf(form);
  }

  /** The i-th group of the route's path pattern (from 0). */
  public String group(int i) {
    return groups.get(i);
  }

  /** The signed-in caller; only routes that need a session ask. */
  public dev.wharf.api.aws.Caller signedIn() {
    return caller.orElseThrow(() -> new IllegalStateException("a route without a session asked for its caller"));
  }

  /** A query parameter, or null when absent or blank. */
  public String queryParameter(String name) {
    String value = query.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** A form field, or null when absent or blank. */
  public String field(String name) {
    String value = form.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
