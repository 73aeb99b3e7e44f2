package dev.wharf.format;

import java.util.List;

/**
 * Everything one package format knows, in one place: its name, the routes of its package
 * endpoint (each declaring what it needs), and how its clients read a failure. The formats are
 * registered once, in {@link FormatRegistry}; nothing else lists or switches on them.
 */
public interface PackageFormat {
  /** The format's name in CodeArtifact's API and in endpoint paths ({@code npm}, {@code pypi}, ...). */
  String name();

  /**
   * The routes below {@code /{domain}-{owner}/{format}/{repo}/}, tried in order. The repository
   * endpoint itself ({@code GET} of the empty path) is answered for every format and need not be
   * declared; a format may declare other methods on it (PyPI's upload).
   */
  List<PackageRoute<?>> routes();

  /** The body of a failure, as this format's clients read it. */
  ErrorBody errorBody();

  /** What a request without credentials is told: how this format's clients send the token. */
  String credentialHint();
}
