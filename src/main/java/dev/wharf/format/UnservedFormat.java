package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A format CodeArtifact has and Wharf does not serve yet: its packages exist in the API's terms
 * (a repository endpoint, packages listed as none), and every request below its endpoint answers
 * 404 once the caller is authenticated.
 */
public final class UnservedFormat implements PackageFormat {
  private final String name;
  private final Namespaces namespaces;
  private final List<String> externalConnections;

  public UnservedFormat(String name, Namespaces namespaces, List<String> externalConnections) {
    this.name = Objects.requireNonNull(name, "name");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.externalConnections = List.copyOf(externalConnections);
  }

  @Override
  public Namespaces namespaces() {
    return namespaces;
  }

  @Override
  public List<String> externalConnections() {
    return externalConnections;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(new PackageRoute<String>("not served yet", Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH"),
        "anything", java.util.Optional::of, Need.read(), (call, rest) -> {
          throw new WharfException.NotFound(null,
              "Not found: the " + name + " endpoints of this repository are not available yet");
        }));
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
