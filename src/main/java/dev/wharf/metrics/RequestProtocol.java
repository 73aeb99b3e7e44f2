package dev.wharf.metrics;

/** The endpoint family a request went to: the {@code protocol} tag of the request meters. */
public enum RequestProtocol {
  AWS_QUERY("aws-query"),
  AWS_REST("aws-rest"),
  PACKAGE("package"),
  CONSOLE("console"),
  HEALTH("health"),
  METRICS("metrics"),
  /** A path no endpoint serves (404). */
  NONE("none");

  private final String tag;

  RequestProtocol(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
