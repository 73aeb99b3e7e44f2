package dev.wharf.catalog;

import dev.wharf.error.WharfException;
import dev.wharf.format.StoredNames;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * A package group's pattern, as CodeArtifact writes it: a package path ({@code /format/namespace/name}) cut
 * short and ended with a suffix. {@code *} after a slash matches every value of the next component, {@code ~}
 * after a namespace or name matches values starting with it, {@code $} after a name matches that name only.
 * The six shapes, broadest first: {@code /*}, {@code /npm/*}, {@code /maven/com.example~}, {@code /npm/scope/*},
 * {@code /npm/scope/ui-~}, {@code /maven/org.example/core$}. Formats without namespaces use an empty one
 * ({@code /pypi//*}, {@code /pypi//requests$}).
 *
 * <p>A pattern names packages as they are stored: its namespace and name (or their prefixes) are read the way the
 * format stores a namespace and a name ({@link StoredNames}, stated by each format): an npm scope may be written
 * with its {@code @}, which is dropped; a PyPI name is normalized as PEP 503 says, so {@code /pypi//Foo_Bar$}
 * matches {@code foo-bar}; cargo, NuGet and Swift names are lower-cased. The canonical text ({@link #toString()})
 * is the identity of the group.
 *
 * @param format null for the root group
 * @param namespace null when the pattern stops at the format; empty for "no namespace"
 * @param name null when the pattern stops at the namespace
 */
public record PackageGroupPattern(Kind kind, String format, String namespace, String name) {
  /** The longest pattern CodeArtifact accepts. */
  public static final int MAX_LENGTH = 520;

  public static final PackageGroupPattern ROOT = new PackageGroupPattern(Kind.ROOT, null, null, null);

  /** The shapes a pattern takes, from the broadest (least specific) to the narrowest. */
  public enum Kind {
    ROOT,
    FORMAT,
    NAMESPACE_PREFIX,
    NAMESPACE,
    NAME_PREFIX,
    NAME
  }

  public PackageGroupPattern {
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Parses {@code text}, or throws CodeArtifact's ValidationException saying what is wrong.
   *
   * @param formats the package formats a pattern may name, each with how it stores namespaces and names
   */
  public static PackageGroupPattern parse(String text, Map<String, StoredNames> formats) {
    if (text == null) {
      throw invalid("null", "Member must not be null");
    }
    if (text.length() < 2 || text.length() > MAX_LENGTH) {
      throw invalid(text, "Member must have length between 2 and " + MAX_LENGTH);
    }
    for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
      int c = text.codePointAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || Character.getType(c) == Character.UNASSIGNED || Character.getType(c) == Character.PRIVATE_USE
          || Character.getType(c) == Character.SURROGATE) {
        throw invalid(text, "Member must satisfy regular expression pattern: [^\\p{C}\\p{IsWhitespace}]+");
      }
    }
    if (!text.startsWith("/")) {
      throw syntax(text, "a package group pattern starts with /");
    }
    if (text.equals("/*")) {
      return ROOT;
    }
    String[] parts = text.substring(1).split("/", -1);
    String format = parts[0];
    if (parts.length == 1) {
      throw syntax(text, "the format must be followed by /*");
    }
    StoredNames stored = formats.get(format);
    if (stored == null) {
      throw syntax(text, "unknown package format '" + format + "' (one of " + String.join(", ", formats.keySet())
          + ")");
    }
    if (parts.length == 2) {
      String second = parts[1];
      if (second.equals("*")) {
        return new PackageGroupPattern(Kind.FORMAT, format, null, null);
      }
      if (second.endsWith("~") && second.length() > 1) {
        return new PackageGroupPattern(Kind.NAMESPACE_PREFIX, format,
            plain(text, stored.storedNamespace(second.substring(0, second.length() - 1))), null);
      }
      throw syntax(text, "after the format comes /*, a namespace prefix ending in ~, or a namespace and a name");
    }
    if (parts.length > 3) {
      throw syntax(text, "a pattern has at most a format, a namespace and a name");
    }
    String namespace = parts[1].isEmpty() ? "" : plain(text, stored.storedNamespace(parts[1]));
    String last = parts[2];
    if (last.equals("*")) {
      return new PackageGroupPattern(Kind.NAMESPACE, format, namespace, null);
    }
    if (last.length() > 1 && last.endsWith("~")) {
      return new PackageGroupPattern(Kind.NAME_PREFIX, format, namespace,
          plain(text, stored.storedName(last.substring(0, last.length() - 1))));
    }
    if (last.length() > 1 && last.endsWith("$")) {
      return new PackageGroupPattern(Kind.NAME, format, namespace,
          plain(text, stored.storedName(last.substring(0, last.length() - 1))));
    }
    throw syntax(text, "a name ends in $ (the exact name) or ~ (a prefix), or is * for every name");
  }

  private static String plain(String text, String value) {
    if (value.isEmpty()) {
      throw syntax(text, "a namespace or name prefix must not be empty");
    }
    for (char c : value.toCharArray()) {
      if (c == '*' || c == '~' || c == '$' || c == '#') {
        throw syntax(text, "'" + c + "' may appear only as the pattern's suffix");
      }
    }
    return value;
  }

  private static WharfException.Invalid invalid(String value, String constraint) {
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value
        + "' at 'packageGroup' failed to satisfy constraint: " + constraint);
  }

  private static WharfException.Invalid syntax(String text, String why) {
    return new WharfException.Invalid("ValidationException", "Invalid package group pattern '" + text + "': " + why);
  }

  /** Whether the package ({@code namespace} empty or null when it has none) belongs to this pattern's set. */
  public boolean matches(String packageFormat, String packageNamespace, String packageName) {
    String ns = packageNamespace == null ? "" : packageNamespace;
    return switch (kind) {
      case ROOT -> true;
      case FORMAT -> format.equals(packageFormat);
      case NAMESPACE_PREFIX -> format.equals(packageFormat) && ns.startsWith(namespace);
      case NAMESPACE -> format.equals(packageFormat) && ns.equals(namespace);
      case NAME_PREFIX -> format.equals(packageFormat) && ns.equals(namespace) && packageName.startsWith(name);
      case NAME -> format.equals(packageFormat) && ns.equals(namespace) && packageName.equals(name);
    };
  }

  /** Whether every package this pattern can match is also matched by {@code other}, and the two differ. */
  public boolean isCoveredBy(PackageGroupPattern other) {
    if (other.equals(this)) {
      return false;
    }
    return switch (other.kind) {
      case ROOT -> true;
      case FORMAT -> kind != Kind.ROOT && other.format.equals(format);
      case NAMESPACE_PREFIX -> kind.compareTo(Kind.NAMESPACE_PREFIX) >= 0 && other.format.equals(format)
          && namespace.startsWith(other.namespace);
      case NAMESPACE -> kind.compareTo(Kind.NAME_PREFIX) >= 0 && other.format.equals(format)
          && namespace.equals(other.namespace);
      case NAME_PREFIX -> kind.compareTo(Kind.NAME_PREFIX) >= 0 && other.format.equals(format)
          && namespace.equals(other.namespace) && name.startsWith(other.name);
      case NAME -> false;
    };
  }

  /**
   * Orders patterns from the most specific to the least: an exact name before a name prefix (longer
   * prefixes first), before a namespace, a namespace prefix (longer first), a format, and the root.
   */
  public static final Comparator<PackageGroupPattern> MOST_SPECIFIC_FIRST = Comparator
      .comparing(PackageGroupPattern::kind).thenComparingInt(PackageGroupPattern::prefixLength).reversed()
      .thenComparing(PackageGroupPattern::toString);

  private int prefixLength() {
    return switch (kind) {
      case NAMESPACE_PREFIX -> namespace.length();
      case NAME_PREFIX -> name.length();
      case ROOT, FORMAT, NAMESPACE, NAME -> 0;
    };
  }

  /** The pattern's canonical text: its identity in the API, the store and the ARN. */
  @Override
  public String toString() {
    return switch (kind) {
      case ROOT -> "/*";
      case FORMAT -> "/" + format + "/*";
      case NAMESPACE_PREFIX -> "/" + format + "/" + namespace + "~";
      case NAMESPACE -> "/" + format + "/" + namespace + "/*";
      case NAME_PREFIX -> "/" + format + "/" + namespace + "/" + name + "~";
      case NAME -> "/" + format + "/" + namespace + "/" + name + "$";
    };
  }
}
