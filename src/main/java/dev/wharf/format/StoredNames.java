package dev.wharf.format;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a format stores a package's namespace and name, whatever spelling its clients (or a package group pattern)
 * write: PyPI's name normalized as PEP 503 says, npm's scope without its {@code @}, NuGet ids, crates and Swift
 * scopes and names in lower case. Anything that names packages as they are stored (a package group pattern) asks
 * the format, never its name.
 *
 * @param namespace the stored namespace of a written one (a prefix of one too)
 * @param name the stored name of a written one (a prefix of one too)
 */
public record StoredNames(UnaryOperator<String> namespace, UnaryOperator<String> name) {
  /** Namespaces and names are stored as written. */
  public static final StoredNames AS_WRITTEN = new StoredNames(UnaryOperator.identity(), UnaryOperator.identity());

  public StoredNames {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The namespace (or a namespace prefix) as the format stores it. */
  public String storedNamespace(String written) {
    return namespace.apply(written);
  }

  /** The name (or a name prefix) as the format stores it. */
  public String storedName(String written) {
    return name.apply(written);
  }
}
