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
    return KEBAB_CASE.get(constant.getDeclaringClass())[constant.ordinal()];
  }

  /** Each word of the name capitalized, joined: {@code PUBLISHED} is {@code Published}, {@code ACCESS_KEY} {@code AccessKey}. */
  public static String pascalCase(Enum<?> constant) {
    return PASCAL_CASE.get(constant.getDeclaringClass())[constant.ordinal()];
  }

  /*
   * Spelled once per enum, by ordinal: these are asked on hot paths (a metric tag per request, a status per version
   * read), where building a string each time would be garbage for nothing.
   */
  private static final ClassValue<String[]> KEBAB_CASE =
      spelled(name -> name.toLowerCase(Locale.ROOT).replace('_', '-'));
  private static final ClassValue<String[]> PASCAL_CASE = spelled(name -> {
    StringBuilder out = new StringBuilder();
    for (String word : name.split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  });

  private static ClassValue<String[]> spelled(Function<String, String> rule) {
    return new ClassValue<>() {
      @Override
      protected String[] computeValue(Class<?> type) {
        Object[] constants = type.getEnumConstants();
        String[] spellings = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
          spellings[i] = rule.apply(((Enum<?>) constants[i]).name());
        }
        return spellings;
      }
    };
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
