package dev.wharf.format.generic;

import static dev.wharf.packages.PackageNames.invalid;

import dev.wharf.format.ErrorBody;
import dev.wharf.format.PackageFormat;
import dev.wharf.format.PackageRoute;
import dev.wharf.packages.PackageNames;
import java.util.List;

/**
 * Generic packages: any files, published with the CodeArtifact API's PublishPackageVersion and
 * read with GetPackageVersionAsset (as in CodeArtifact, no client protocol of their own), so their
 * package endpoint answers only the repository endpoint itself. A namespace is required, {@code .}
 * and {@code ..} are never names (no path segment can climb), and asset names use only Unicode
 * letters and digits, {@code ~!@^&()-_+[]{};,.} and single inner spaces.
 */
public final class GenericFormat implements PackageFormat {
  public static final String NAME = "generic";
  /** A generic version's own document: there is nothing to say about it. */
  public static final String VERSION_DOCUMENT = "{}";
  private static final String ASSET_SPECIALS = "~!@^&()-_+[]{};,.";

  public static final Spec SPEC = new Spec(NAME, Namespaces.REQUIRED, ErrorBody.JSON, Spec.ANY_SCHEME_HINT,
      List.of());

  @Override
  public Spec spec() {
    return SPEC;
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of();
  }

  @Override
  public void requireCreatable(String namespace, String name) {
    PackageFormat.super.requireCreatable(namespace, name);
    requireName(namespace, "namespace");
    requireName(name, "package");
  }

  @Override
  public void requirePublishableWithApi(String namespace, String name, String version, String assetName) {
    PackageFormat.super.requireCreatable(namespace, name);
    requireName(namespace, "namespace");
    requireName(name, "package");
    requireName(version, "packageVersion");
    requireAssetName(assetName, "assetName");
  }

  /** A generic package's namespace, name or version: a model name that is not {@code .} or {@code ..}. */
  public static String requireName(String value, String member) {
    PackageNames.requireModelName(value, member);
    if (value.equals(".") || value.equals("..")) {
      throw invalid(value, member, "Member must not be . or ..");
    }
    return value;
  }

  /** A generic package's asset name, by CodeArtifact's rules for generic assets. */
  public static String requireAssetName(String value, String member) {
    PackageNames.requireModelAssetName(value, member);
    if (value.equals(".") || value.equals("..")) {
      throw invalid(value, member, "Asset names cannot be . or ..");
    }
    if (value.startsWith(" ") || value.endsWith(" ") || value.contains("  ")) {
      throw invalid(value, member, "Asset names cannot begin or end with a space or contain consecutive spaces");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (!isAssetCharacter(c)) {
        throw invalid(value, member, "Asset names can use Unicode letters and numbers, spaces and " + ASSET_SPECIALS);
      }
      i += Character.charCount(c);
    }
    return value;
  }

  private static boolean isAssetCharacter(int c) {
    if (c == ' ' || ASSET_SPECIALS.indexOf(c) >= 0) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.LOWERCASE_LETTER, Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.TITLECASE_LETTER,
           Character.UPPERCASE_LETTER, Character.LETTER_NUMBER, Character.DECIMAL_DIGIT_NUMBER -> true;
      default -> false;
    };
  }
}
