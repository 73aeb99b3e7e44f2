package dev.wharf.format;

import dev.wharf.packages.PackageKey;

/** A repository as a format's registry addresses its packages. */
public record RepositoryLocation(String domainOwner, String domainName, String repository) {
  /** The key of a package of {@code format} in this repository. */
  public PackageKey key(String format, String namespace, String name) {
    return new PackageKey(domainOwner, domainName, repository, format, namespace, name);
  }
}
