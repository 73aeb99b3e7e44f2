package dev.wharf.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code wharf login} and {@code wharf logout} share: whose configuration file, and where ~ is. */
final class LoginOptions {
  private LoginOptions() {}

  /** {@code --tool}: the package tool whose configuration file is written. */
  static final class Tool {
    @Option(names = "--tool", required = true, paramLabel = "TOOL",
        description = "npm, pnpm, yarn, pip, twine, poetry, uv, maven, gradle, cargo, gem, bundler, nuget, dotnet or swift.")
    LoginTool tool;
  }

  /** {@code --home}: the folder that stands for ~, where the user's files are. */
  static final class Home {
    @Option(names = "--home", paramLabel = "DIR", description = "The folder that stands for ~ (default: $HOME, else the JVM's user.home).")
    Path home;

    LoginSetup.Places places() {
      return LoginSetup.Places.of(home);
    }
  }
}
