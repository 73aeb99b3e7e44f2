package dev.wharf.packages;

import dev.wharf.error.WharfException;

/**
 * Checks of the names the CodeArtifact API takes for packages, versions and assets, as its model
 * constrains them ({@code PackageNamespace}, {@code PackageName}, {@code PackageVersion}:
 * 1..255 characters without {@code #}, {@code /} or whitespace; {@code AssetName}: 1..255 characters
 * without control or other non-printing characters). Each format adds its own rules
 * (the formats' requireCreatable).
 */
public final class PackageNames {
  public static final int MAX_LENGTH = 255;

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

  /** A ValidationException saying that {@code value} at {@code member} breaks {@code constraint}, as AWS words it. */
  public static WharfException.Invalid invalid(String value, String member, String constraint) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    shown = shown.replaceAll("\\p{Cntrl}", "?");
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + shown + "' at '"
        + member + "' failed to satisfy constraint: " + constraint);
  }
}
