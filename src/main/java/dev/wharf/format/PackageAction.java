package dev.wharf.format;

/** The IAM actions a package request can need, as CodeArtifact names them. */
public enum PackageAction {
  READ,
  PUBLISH,
  PUT_METADATA;

  /** The action's name in policies, e.g. {@code codeartifact:ReadFromRepository}. */
  public String iamName() {
    return switch (this) {
      case READ -> "codeartifact:ReadFromRepository";
      case PUBLISH -> "codeartifact:PublishPackageVersion";
      case PUT_METADATA -> "codeartifact:PutPackageMetadata";
    };
  }
}
