package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A format CodeArtifact has and Wharf does not serve yet: its packages exist in the API's terms
 * (a repository endpoint, packages listed as none), and every request below its endpoint answers
 * 404 once the caller is authenticated.
 */
public final class UnservedFormat implements PackageFormat {
  private final Spec spec;

  public UnservedFormat(String name, Namespaces namespaces, List<String> externalConnections) {
    this.spec = new Spec(name, namespaces, ErrorBody.JSON, Spec.ANY_SCHEME_HINT, externalConnections);
  }

  @Override
  public Spec spec() {
    return spec;
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(new PackageRoute<String>("not served yet", Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"),
        "anything", Optional::of, Need.read(), (call, rest) -> {
          throw new WharfException.NotFound(null,
              "Not found: the " + name() + " endpoints of this repository are not available yet");
        }));
  }
}
