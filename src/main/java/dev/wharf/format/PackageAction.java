package dev.wharf.format;

/** The IAM actions a package request can need, as CodeArtifact names them. */
public enum PackageAction {
  READ("codeartifact:ReadFromRepository"),
  PUBLISH("codeartifact:PublishPackageVersion"),
  PUT_METADATA("codeartifact:PutPackageMetadata");

  private final String iamName;

  PackageAction(String iamName) {
    this.iamName = iamName;
  }

  /** The action's name in policies, e.g. {@code codeartifact:ReadFromRepository}. */
  public String iamName() {
    return iamName;
  }
}
