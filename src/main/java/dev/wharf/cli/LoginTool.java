package dev.wharf.cli;

import java.util.Locale;

/** The package tools {@code wharf login} configures, the repository format each uses, and whether it takes a namespace. */
enum LoginTool {
  NPM("npm", true),
  PNPM("npm", true),
  YARN("npm", true),
  PIP("pypi", false),
  TWINE("pypi", false),
  MAVEN("maven", false),
  GRADLE("maven", false);

  private final String format;
  private final boolean namespaceSupported;

  LoginTool(String format, boolean namespaceSupported) {
    this.format = format;
    this.namespaceSupported = namespaceSupported;
  }

  /** The repository format, as GetRepositoryEndpoint names it. */
  String format() {
    return format;
  }

  boolean namespaceSupported() {
    return namespaceSupported;
  }

  String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return displayName();
  }
}
