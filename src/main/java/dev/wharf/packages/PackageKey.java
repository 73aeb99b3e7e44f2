package dev.wharf.packages;

import java.util.Objects;

/**
 * Identifies a package in a repository: format, namespace ('' when none; for npm the scope without
 * its {@code @}) and name, as CodeArtifact names them.
 */
public record PackageKey(String domainOwner, String domainName, String repository, String format, String namespace,
    String name) {
  public PackageKey {
    Objects.requireNonNull(domainOwner, "domainOwner");
    Objects.requireNonNull(domainName, "domainName");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(format, "format");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
  }

  /** The namespace, or null when there is none (as the CodeArtifact API leaves it out). */
  public String namespaceOrNull() {
    return namespace.isEmpty() ? null : namespace;
  }
}
