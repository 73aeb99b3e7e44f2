package dev.wharf.format.generic;

import dev.wharf.format.ErrorBody;
import dev.wharf.format.PackageFormat;
import dev.wharf.format.PackageRoute;
import java.util.List;

/**
 * Generic packages: any files, published with the CodeArtifact API's PublishPackageVersion and
 * read with GetPackageVersionAsset (as in CodeArtifact, no client protocol of their own). Their
 * package endpoint answers only the repository endpoint itself.
 */
public final class GenericFormat implements PackageFormat {
  public static final String NAME = "generic";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of();
  }

  @Override
  public ErrorBody errorBody() {
    return ErrorBody.JSON;
  }

  @Override
  public String credentialHint() {
    return "Authentication required: send an authorization token as Bearer or as Basic aws:<token>";
  }
}
