package dev.wharf.format;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a package route needs before its handler runs, declared with the route and checked by
 * {@link RepositoryEndpoints} alone: the route's handler never authorizes by hand, except for the
 * one kind whose action the request's body decides.
 *
 * @param <T> the route's parsed request
 */
public sealed interface Need<T> {
  /** ReadFromRepository on the repository. */
  record Read<T>() implements Need<T> {}

  /** {@code action} on the package the request names (its path says which). */
  record OnPackage<T>(PackageAction action, Function<T, PackageRef> subject) implements Need<T> {
    public OnPackage {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(subject, "subject");
    }
  }

  /**
   * One of {@code actions}, chosen by the request's body (npm's PUT publishes or deprecates; a PyPI
   * POST uploads or yanks). Before the body is read, the caller must hold a valid token and, when
   * the path names the package, be allowed at least one of the actions on it; the handler then calls
   * {@link PackageCall#authorize} with the action the body asks for, before acting on it, and the
   * route cannot answer a success without having done so.
   *
   * @param why what decides, for readers of the route table
   * @param subject the package the path names, or empty when only the body names it
   */
  record DecidedByBody<T>(String why, List<PackageAction> actions, Function<T, Optional<PackageRef>> subject)
      implements Need<T> {
    public DecidedByBody {
      Objects.requireNonNull(why, "why");
      actions = List.copyOf(actions);
      if (actions.isEmpty()) {
        throw new IllegalArgumentException("a body-decided route names the actions it may need");
      }
      Objects.requireNonNull(subject, "subject");
    }
  }

  static <T> Need<T> read() {
    return new Read<>();
  }

  static <T> Need<T> publish(Function<T, PackageRef> subject) {
    return new OnPackage<>(PackageAction.PUBLISH, subject);
  }

  static <T> Need<T> putMetadata(Function<T, PackageRef> subject) {
    return new OnPackage<>(PackageAction.PUT_METADATA, subject);
  }

  static <T> Need<T> decidedByBody(String why, Function<T, Optional<PackageRef>> subject, PackageAction... actions) {
    return new DecidedByBody<>(why, List.of(actions), subject);
  }
}
