package dev.wharf.format;

import java.util.Objects;

/**
 * The package a request acts on, as its format names it in CodeArtifact terms: the namespace (empty
 * when the format has none) and the name. Authorization uses it to build the package ARN.
 */
public record PackageRef(String namespace, String name) {
  public PackageRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }
}
