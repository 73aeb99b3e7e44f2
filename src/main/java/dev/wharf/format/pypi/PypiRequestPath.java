package dev.wharf.format.pypi;

import dev.wharf.error.WharfException;
import dev.wharf.format.PathEncoding;

/**
 * What a request below a PyPI repository endpoint addresses: the simple API's index and project
 * pages (PEP 503/691), the redirects to their canonical URLs, and files with their PEP 658
 * {@code .metadata}. Each segment is percent-decoded on its own: pip escapes the '+' of a local
 * version ({@code pkg-1.0%2Bcpu.whl}), and an encoded '/' stays inside its segment (no such file).
 */
sealed interface PypiRequestPath {
  /** A path that is not the simple API's. */
  record Other() implements PypiRequestPath {}

  /** {@code simple} or {@code simple/{Project}}: to be redirected to {@code suffix} below the endpoint. */
  record Redirect(String suffix) implements PypiRequestPath {}

  /** {@code simple/}. */
  record Index() implements PypiRequestPath {}

  /** {@code simple/{project}/}, the name normalized. */
  record Project(String project) implements PypiRequestPath {}

  /** {@code simple/{project}/{file}}. */
  record File(String project, String fileName) implements PypiRequestPath {}

  static PypiRequestPath parse(String rest) {
    if (rest.equals("simple")) {
      return new Redirect("simple/");
    }
    if (!rest.startsWith("simple/")) {
      return new Other();
    }
    String below = rest.substring("simple/".length());
    if (below.isEmpty()) {
      return new Index();
    }
    int slash = below.indexOf('/');
    String project = PathEncoding.percentDecode(slash < 0 ? below : below.substring(0, slash));
    String remainder = slash < 0 ? null : PathEncoding.percentDecode(below.substring(slash + 1));
    if (!PypiNames.validProject(project)) {
      throw new WharfException.NotFound(null, "Not found: " + project);
    }
    String normalized = PypiNames.normalize(project);
    if (remainder == null || (remainder.isEmpty() && !normalized.equals(project))) {
      return new Redirect("simple/" + normalized + "/");
    }
    if (remainder.isEmpty()) {
      return new Project(normalized);
    }
    if (remainder.contains("/")) {
      throw new WharfException.NotFound(null, "Not found");
    }
    return new File(normalized, remainder);
  }
}
