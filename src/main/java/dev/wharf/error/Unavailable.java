package dev.wharf.error;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tells failures that may pass (the database or the blob store cannot be reached) from Wharf's own
 * failures, so that every endpoint answers 503 "retry later" in its protocol's shape for the
 * former and keeps 500 for the latter. Each storage adapter says how its own failures look (a
 * {@link Check}); the composition root hands the checks of what it opened to the endpoints.
 */
public final class Unavailable {
  private static final int MAX_CAUSES = 20;

  /**
   * How one backing service shows that it cannot be reached.
   *
   * @param unreachable whether a failure (or one of its causes, each tested in turn) says so
   * @param message what clients are told then
   */
  public record Check(Predicate<Throwable> unreachable, String message) {
    public Check {
      Objects.requireNonNull(unreachable, "unreachable");
      Objects.requireNonNull(message, "message");
    }
  }

  private final List<Check> checks;

  /** @param checks tried in order; the first that recognizes a failure names it */
  public Unavailable(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The message for clients when {@code failure} says a backing service cannot be reached; empty otherwise. */
  public Optional<String> reason(Throwable failure) {
    for (Check check : checks) {
      int depth = 0;
      for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
        if (check.unreachable().test(t)) {
          return Optional.of(check.message());
        }
      }
    }
    return Optional.empty();
  }
}
