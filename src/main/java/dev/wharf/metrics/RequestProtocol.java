package dev.wharf.metrics;

import dev.wharf.naming.WireNames;

/** The endpoint family a request went to: the {@code protocol} tag of the request meters. */
public enum RequestProtocol {
  AWS_QUERY,
  AWS_REST,
  PACKAGE,
  CONSOLE,
  HEALTH,
  METRICS,
  /** A path no endpoint serves (404). */
  NONE;

  /** The tag's value, e.g. {@code aws-query}. */
  public String tag() {
    return WireNames.kebabCase(this);
  }
}
