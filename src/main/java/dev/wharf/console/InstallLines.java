package dev.wharf.console;

import dev.wharf.console.ConsoleViews.PackageRef;
import dev.wharf.format.PackageFormat;
import dev.wharf.format.ShellWords;
import java.util.Optional;

/**
 * The line a version's page offers to copy: the format's own client's ({@link PackageFormat#installLine}), or,
 * for a format without one, the aws CLI's listing of the version's assets. Every word is quoted for the shell.
 */
final class InstallLines {
  private InstallLines() {}

  static String of(Optional<PackageFormat> format, PackageRef ref, String version) {
    return format.flatMap(f -> f.installLine(ref.namespace(), ref.name(), version)).orElseGet(() ->
        "aws codeartifact list-package-version-assets --domain " + ShellWords.quote(ref.domain()) + " --domain-owner "
            + ShellWords.quote(ref.owner()) + " --repository " + ShellWords.quote(ref.repository()) + " --format "
            + ShellWords.quote(ref.format()) + (ref.namespace() == null ? "" : " --namespace "
            + ShellWords.quote(ref.namespace())) + " --package " + ShellWords.quote(ref.name()) + " --package-version "
            + ShellWords.quote(version));
  }
}
