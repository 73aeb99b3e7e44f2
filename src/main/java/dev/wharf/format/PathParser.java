package dev.wharf.format;

import java.util.Objects;
import java.util.function.Function;

/**
 * A format's parser of the path below its repository endpoint, shared by its routes: each route
 * asks whether the path is its kind ({@link PackageRoute#when}), and the path is parsed once per
 * request however many routes ask (the last input, compared by identity, and its result are kept).
 *
 * @param <P> what paths parse to
 */
public final class PathParser<P> {
  private record Last<P>(String input, P output) {}

  private final Function<String, P> parser;
  private volatile Last<P> last;

  private PathParser(Function<String, P> parser) {
    this.parser = Objects.requireNonNull(parser, "parser");
  }

  public static <P> PathParser<P> of(Function<String, P> parser) {
    return new PathParser<>(parser);
  }

  /** The parsed path; a {@link dev.wharf.error.WharfException} when it is malformed. */
  public P parse(String rest) {
    Last<P> seen = last;
    if (seen != null && seen.input() == rest) { // the same request's path, asked again by the next route
      return seen.output();
    }
    P output = parser.apply(rest);
    last = new Last<>(rest, output);
    return output;
  }
}
