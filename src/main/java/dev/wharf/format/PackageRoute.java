package dev.wharf.format;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One route of a format's package endpoint: the methods it answers, the paths it takes (below the
 * repository endpoint, still percent-encoded), what it needs and what it does. A route cannot be
 * made without a {@link Need}, so a format whose route declares nothing stops the server at start.
 *
 * @param name a short name for logs, tests and the route table in the docs
 * @param example a path the route takes (checked at start; tests walk every route with it)
 * @param path parses the path below the repository endpoint; empty when the route does not take
 *     it; a {@link dev.wharf.error.WharfException} for a malformed path is answered only after the
 *     caller is authenticated
 * @param <T> what the path parses to
 */
public record PackageRoute<T>(String name, Set<String> methods, String example, Function<String, Optional<T>> path,
    Need<T> need, Handler<T> handler) {
  /** What the route does once {@link RepositoryEndpoints} has checked its need. */
  @FunctionalInterface
  public interface Handler<T> {
    void handle(PackageCall call, T request);
  }

  public PackageRoute {
    Objects.requireNonNull(name, "name");
    if (dev.wharf.metrics.RequestMeters.operationName(name).isEmpty()) {
      throw new IllegalArgumentException("route '" + name + "' needs a name with a letter or digit (its metrics name it)");
    }
    methods = Set.copyOf(methods);
    if (methods.isEmpty() || methods.stream().anyMatch(m -> !m.equals(m.toUpperCase(Locale.ROOT)))) {
      throw new IllegalArgumentException("route " + name + ": methods must be upper-case HTTP methods");
    }
    Objects.requireNonNull(path, "route " + name + " declares no path");
    Objects.requireNonNull(need, "route " + name + " declares no need: every package route says what it needs");
    Objects.requireNonNull(handler, "route " + name + " has no handler");
    if (path.apply(Objects.requireNonNull(example, "route " + name + " gives no example")).isEmpty()) {
      throw new IllegalArgumentException("route " + name + " does not take its own example " + example);
    }
  }

  /**
   * The route's name in the request metrics' {@code operation} tag: its name in lower case with underscores
   * ("file, checksum or metadata" is {@code file_checksum_or_metadata}).
   */
  public String metricName() {
    return dev.wharf.metrics.RequestMeters.operationName(name);
  }

  /** A GET route, which answers HEAD the same way (headers only). */
  public static <T> PackageRoute<T> get(String name, String example, Function<String, Optional<T>> path,
      Need<T> need, Handler<T> handler) {
    return new PackageRoute<>(name, Set.of("GET", "HEAD"), example, path, need, handler);
  }

  public static <T> PackageRoute<T> of(String method, String name, String example,
      Function<String, Optional<T>> path, Need<T> need, Handler<T> handler) {
    return new PackageRoute<>(name, Set.of(method), example, path, need, handler);
  }

  /** A route's path: the paths {@code parser} parses to a {@code type}. */
  public static <P, T extends P> Function<String, Optional<T>> when(PathParser<P> parser, Class<T> type) {
    return rest -> {
      P parsed = parser.parse(rest);
      return type.isInstance(parsed) ? Optional.of(type.cast(parsed)) : Optional.empty();
    };
  }

  /** The repository endpoint itself (an empty path). */
  public static Optional<String> root(String rest) {
    return rest.isEmpty() ? Optional.of(rest) : Optional.empty();
  }
}
