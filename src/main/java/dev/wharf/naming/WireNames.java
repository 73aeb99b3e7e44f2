package dev.wharf.naming;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How an enum constant is spelled where it leaves the program (an API, a database column, a setting, a metric
 * tag) when that spelling follows from the constant's name by one rule, and the way back from a spelling to the
 * constant. Derived names cannot drift from their constants, and a new constant needs no string of its own.
 */
public final class WireNames {
  private WireNames() {}

  /** The name in lower case, words joined by hyphens: {@code AWS_QUERY} is {@code aws-query}. */
  public static String kebabCase(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Each word of the name capitalized, joined: {@code PUBLISHED} is {@code Published}, {@code ACCESS_KEY} {@code AccessKey}. */
  public static String pascalCase(Enum<?> constant) {
    StringBuilder out = new StringBuilder();
    for (String word : constant.name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /**
   * The constant of {@code type} that {@code spelling} names {@code value}, or empty: each caller answers an
   * unknown value in its own terms.
   */
  public static <E extends Enum<E>> Optional<E> find(Class<E> type, Function<E, String> spelling, String value) {
    for (E constant : type.getEnumConstants()) {
      if (spelling.apply(constant).equals(value)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }
}
