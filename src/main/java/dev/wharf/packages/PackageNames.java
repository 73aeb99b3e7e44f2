package dev.wharf.packages;

import dev.wharf.error.WharfException;

/**
 * Checks of the names the CodeArtifact API takes for packages, versions and assets, as its model
 * constrains them ({@code PackageNamespace}, {@code PackageName}, {@code PackageVersion}:
 * 1..255 characters without {@code #}, {@code /} or whitespace; {@code AssetName}: 1..255 characters
 * without control or other non-printing characters), plus the rules of generic packages: a namespace
 * is required, {@code .} and {@code ..} are never names (no path segment can climb), and asset names
 * use only Unicode letters and digits, {@code ~!@^&()-_+[]{};,.} and single inner spaces.
 */
public final class PackageNames {
  public static final int MAX_LENGTH = 255;
  private static final String GENERIC_ASSET_SPECIALS = "~!@^&()-_+[]{};,.";

  private PackageNames() {}

  /** The value when it fits PackageNamespace / PackageName / PackageVersion, else a ValidationException naming the member. */
  public static String requireModelName(String value, String member) {
    checkLength(value, member);
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c == '#' || c == '/' || Character.isWhitespace(c) || Character.isSpaceChar(c) || isControlOrUnassigned(c)) {
        throw invalid(value, member, "Member must satisfy regular expression pattern: [^#/\\s]+");
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /** The value when it fits the model's AssetName (any printable characters), else a ValidationException. */
  public static String requireModelAssetName(String value, String member) {
    checkLength(value, member);
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (isControlOrUnassigned(c)) {
        throw invalid(value, member, "Member must satisfy regular expression pattern: \\P{C}+");
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /** A generic package's namespace, name or version: a model name that is not {@code .} or {@code ..}. */
  public static String requireGenericName(String value, String member) {
    requireModelName(value, member);
    if (value.equals(".") || value.equals("..")) {
      throw invalid(value, member, "Member must not be . or ..");
    }
    return value;
  }

  /** A generic package's asset name, by CodeArtifact's rules for generic assets. */
  public static String requireGenericAssetName(String value, String member) {
    requireModelAssetName(value, member);
    if (value.equals(".") || value.equals("..")) {
      throw invalid(value, member, "Asset names cannot be . or ..");
    }
    if (value.startsWith(" ") || value.endsWith(" ") || value.contains("  ")) {
      throw invalid(value, member, "Asset names cannot begin or end with a space or contain consecutive spaces");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (!isGenericAssetCharacter(c)) {
        throw invalid(value, member, "Asset names can use Unicode letters and numbers, spaces and " + GENERIC_ASSET_SPECIALS);
      }
      i += Character.charCount(c);
    }
    return value;
  }

  /**
   * The checks a package's identity must pass before the API creates it (PutPackageOriginConfiguration
   * on a package that does not exist yet): the namespace rules of each format (Maven, Swift and
   * generic packages have one; PyPI, NuGet, Ruby and Cargo packages never do; an npm namespace is the
   * scope without its {@code @}), generic names are not {@code .} or {@code ..}, and a PyPI name is
   * the normalized one (PEP 503), which is the only name the API knows a PyPI package by. Without
   * them a package would be created that no client can ever publish to or read, and the origin
   * configuration set on it would protect nothing.
   *
   * @param namespace null or empty when none was given
   * @throws WharfException.Invalid as a ValidationException naming the rule
   */
  public static void requireCreatable(String format, String namespace, String name) {
    boolean hasNamespace = namespace != null && !namespace.isEmpty();
    switch (format) {
      case "maven", "swift", "generic" -> {
        if (!hasNamespace) {
          throw new WharfException.Invalid("ValidationException", "A namespace is required for " + format
              + " packages");
        }
        if (format.equals("generic")) {
          requireGenericName(namespace, "namespace");
          requireGenericName(name, "package");
        }
      }
      case "pypi", "nuget", "ruby", "cargo" -> {
        if (hasNamespace) {
          throw new WharfException.Invalid("ValidationException", format + " packages do not have a namespace");
        }
        if (format.equals("pypi")) {
          String normalized = PYPI_SEPARATORS.matcher(name).replaceAll("-").toLowerCase(java.util.Locale.ROOT);
          if (!normalized.equals(name)) {
            throw new WharfException.Invalid("ValidationException", "PyPI packages are named by their normalized"
                + " name in the API: use " + normalized + " (PEP 503), not " + name);
          }
        }
      }
      case "npm" -> {
        if (hasNamespace && namespace.startsWith("@")) {
          throw new WharfException.Invalid("ValidationException", "The namespace of an npm package is its scope"
              + " without the @: use " + namespace.substring(1) + ", not " + namespace);
        }
      }
      default -> { }
    }
  }

  private static final java.util.regex.Pattern PYPI_SEPARATORS = java.util.regex.Pattern.compile("[-_.]+");

  private static boolean isGenericAssetCharacter(int c) {
    if (c == ' ' || GENERIC_ASSET_SPECIALS.indexOf(c) >= 0) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.LOWERCASE_LETTER, Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.TITLECASE_LETTER,
           Character.UPPERCASE_LETTER, Character.LETTER_NUMBER, Character.DECIMAL_DIGIT_NUMBER -> true;
      default -> false;
    };
  }

  private static boolean isControlOrUnassigned(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> true;
      default -> false;
    };
  }

  private static void checkLength(String value, String member) {
    if (value == null) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value null at '" + member
          + "' failed to satisfy constraint: Member must not be null");
    }
    if (value.isEmpty()) {
      throw invalid(value, member, "Member must have length greater than or equal to 1");
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid(value, member, "Member must have length less than or equal to " + MAX_LENGTH);
    }
  }

  private static WharfException.Invalid invalid(String value, String member, String constraint) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    shown = shown.replaceAll("\\p{Cntrl}", "?");
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + shown + "' at '"
        + member + "' failed to satisfy constraint: " + constraint);
  }
}
