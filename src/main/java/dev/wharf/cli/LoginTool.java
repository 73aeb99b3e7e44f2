package dev.wharf.cli;

import java.util.Locale;

/** The package tools {@code wharf login} configures, the repository format each uses, and whether it takes a namespace. */
enum LoginTool {
  NPM("npm"),
  PNPM("npm"),
  YARN("npm"),
  PIP("pypi"),
  TWINE("pypi"),
  POETRY("pypi"),
  UV("pypi"),
  MAVEN("maven"),
  GRADLE("maven"),
  CARGO("cargo"),
  GEM("ruby"),
  BUNDLER("ruby"),
  NUGET("nuget"),
  DOTNET("nuget"),
  SWIFT("swift");

  private final String format;

  LoginTool(String format) {
    this.format = format;
  }

  /** The repository format, as GetRepositoryEndpoint names it. */
  String format() {
    return format;
  }

  /** Whether a login can be limited to a namespace: npm's scopes ({@code @ns:registry}) and Swift's scopes are. */
  boolean namespaceSupported() {
    return format.equals("npm") || format.equals("swift");
  }

  /**
   * Whether {@code --scope project} has a file to write: gem has none (it reads ~/.gemrc and its
   * credentials from the user's folders only).
   */
  boolean projectScopeSupported() {
    return this != GEM;
  }

  String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
