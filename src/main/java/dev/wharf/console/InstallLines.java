package dev.wharf.console;

import dev.wharf.console.ConsoleViews.PackageRef;

/**
 * The line that installs a package version with its format's tool, as a version's page shows it to be
 * copied into a shell or a POM: every name and version in it is quoted for where it goes (a publisher
 * chooses them, and some formats allow shell or XML characters in them).
 */
final class InstallLines {
  private InstallLines() {}

  static String of(PackageRef ref, String version) {
    return switch (ref.format()) {
      case "npm" -> "npm install " + shell(ref.displayName() + "@" + version);
      case "pypi" -> "pip install " + shell(ref.name() + "==" + version);
      case "maven" -> "<dependency>\n  <groupId>" + xml(ref.namespace()) + "</groupId>\n  <artifactId>"
          + xml(ref.name()) + "</artifactId>\n  <version>" + xml(version) + "</version>\n</dependency>";
      case "cargo" -> "cargo add " + shell(ref.name() + "@=" + version);
      case "ruby" -> "gem install " + shell(ref.name()) + " -v " + shell(version);
      default -> "aws codeartifact list-package-version-assets --domain " + shell(ref.domain()) + " --domain-owner "
          + shell(ref.owner()) + " --repository " + shell(ref.repository()) + " --format " + shell(ref.format())
          + (ref.namespace() == null ? "" : " --namespace " + shell(ref.namespace())) + " --package "
          + shell(ref.name()) + " --package-version " + shell(version);
    };
  }

  /** A shell word: as it is when it holds only characters no shell treats specially, else in single quotes. */
  static String shell(String word) {
    if (word.matches("[A-Za-z0-9@%+=:,./_-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String xml(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&apos;");
  }
}
