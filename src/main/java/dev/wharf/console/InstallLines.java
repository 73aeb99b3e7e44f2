package dev.wharf.console;

import dev.wharf.console.ConsoleViews.PackageRef;

/** The line that installs a package version with its format's tool, as a version's page shows it. */
final class InstallLines {
  private InstallLines() {}

  static String of(PackageRef ref, String version) {
    return switch (ref.format()) {
      case "npm" -> "npm install " + ref.displayName() + "@" + version;
      case "pypi" -> "pip install " + ref.name() + "==" + version;
      case "maven" -> "<dependency>\n  <groupId>" + ref.namespace() + "</groupId>\n  <artifactId>" + ref.name()
          + "</artifactId>\n  <version>" + version + "</version>\n</dependency>";
      case "cargo" -> "cargo add " + ref.name() + "@=" + version;
      case "ruby" -> "gem install " + ref.name() + " -v " + version;
      default -> "aws codeartifact list-package-version-assets --domain " + ref.domain() + " --domain-owner "
          + ref.owner() + " --repository " + ref.repository() + " --format " + ref.format()
          + (ref.namespace() == null ? "" : " --namespace " + ref.namespace()) + " --package " + ref.name()
          + " --package-version " + version;
    };
  }
}
