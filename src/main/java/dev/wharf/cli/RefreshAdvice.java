package dev.wharf.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code wharf login --refresh} prints: how to keep a login's token fresh without anything running in the
 * background that wharf installed. A tool that reads the token from the environment is wrapped in
 * {@code wharf exec}; a tool that reads it from a file gets the login again on a schedule the user sets up
 * (cron, a systemd timer, or Windows' Task Scheduler), at an interval well inside the token's lifetime.
 */
final class RefreshAdvice {
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private RefreshAdvice() {}

  /**
   * The lines to print.
   *
   * @param login the login command to schedule, exactly as it ran (without --refresh)
   * @param exec the {@code wharf exec} command with this login's domain and server, up to and including {@code --}
   * @param workingDirectory where the login must run (a project-scope login), or null
   * @param tokenSeconds the token's lifetime
   */
  static List<String> lines(LoginTool tool, List<String> login, List<String> exec, Path workingDirectory,
      long tokenSeconds) {
    List<String> lines = new ArrayList<>();
    lines.add("Keeping the token fresh (wharf installs nothing in the background):");
    lines.add("");
    if (tool == LoginTool.CARGO) {
      lines.add("Nothing to do: cargo runs wharf for a new token whenever it needs one.");
      return lines;
    }
    String example = exampleCommand(tool);
    if (readsTheEnvironment(tool)) {
      lines.add(tool + " reads the token from the environment: run it through wharf exec, which gets a new token");
      lines.add("for each run, e.g.");
      lines.add("");
      lines.add("  " + shell(exec) + " " + example);
      return lines;
    }
    long minutes = intervalMinutes(tokenSeconds);
    String cd = workingDirectory == null ? "" : "cd " + shell(List.of(workingDirectory.toString())) + " && ";
    lines.add(tool + " reads the token from the file this login wrote, and the token lasts "
        + LoginCommand.relativeTime(java.time.Duration.ofSeconds(tokenSeconds)) + ". Run this login again every "
        + LoginCommand.relativeTime(java.time.Duration.ofMinutes(minutes)) + ", with one of:");
    lines.add("");
    lines.add("cron (crontab -e):");
    lines.add("");
    lines.add("  " + cronSchedule(minutes) + " " + cd + shell(login) + " >/dev/null");
    lines.add("");
    lines.add("a systemd user timer (~/.config/systemd/user/wharf-login-" + tool + ".service and .timer, then");
    lines.add("systemctl --user enable --now wharf-login-" + tool + ".timer):");
    lines.add("");
    lines.add("  [Service]");
    lines.add("  Type=oneshot");
    if (workingDirectory != null) {
      lines.add("  WorkingDirectory=" + workingDirectory);
    }
    lines.add("  ExecStart=" + shell(login));
    lines.add("");
    lines.add("  [Timer]");
    lines.add("  OnActiveSec=0");
    lines.add("  OnUnitActiveSec=" + minutes + "min");
    lines.add("  [Install]");
    lines.add("  WantedBy=timers.target");
    lines.add("");
    lines.add("Windows Task Scheduler:");
    lines.add("");
    lines.add("  schtasks /Create /TN wharf-login-" + tool + " /SC MINUTE /MO " + Math.min(minutes, 1439)
        + " /TR \"" + (workingDirectory == null ? "" : "cmd /c cd /d " + workingDirectory + " && ")
        + String.join(" ", login).replace("\"", "\\\"") + "\"");
    lines.add("");
    lines.add("The schedule runs without your shell's variables: it takes AWS credentials from ~/.aws (add --profile).");
    lines.add("Or run " + tool + " through wharf exec when its configuration reads CODEARTIFACT_AUTH_TOKEN, e.g.");
    lines.add("");
    lines.add("  " + shell(exec) + " " + example);
    return lines;
  }

  /** The tools whose login writes no token, only where to find it: CODEARTIFACT_AUTH_TOKEN or the UV_INDEX_ variables. */
  static boolean readsTheEnvironment(LoginTool tool) {
    return tool == LoginTool.MAVEN || tool == LoginTool.GRADLE || tool == LoginTool.UV;
  }

  private static String exampleCommand(LoginTool tool) {
    return switch (tool) {
      case NPM -> "npm ci";
      case PNPM -> "pnpm install";
      case YARN -> "yarn install";
      case PIP -> "pip install -r requirements.txt";
      case TWINE -> "twine upload --repository codeartifact dist/*";
      case POETRY -> "poetry install";
      case UV -> "uv sync";
      case MAVEN -> "mvn deploy";
      case GRADLE -> "gradle publish";
      case CARGO -> "cargo build";
      case GEM -> "gem install NAME";
      case BUNDLER -> "bundle install";
      case NUGET -> "nuget restore";
      case DOTNET -> "dotnet restore";
      case SWIFT -> "swift package resolve";
    };
  }

  /**
   * Minutes between two logins: three quarters of the token's lifetime, rounded down to a period that cron's
   * step syntax repeats evenly (a divisor of 60 minutes, or of 24 hours).
   */
  static long intervalMinutes(long tokenSeconds) {
    long wanted = Math.max(1, tokenSeconds * 3 / 4 / 60);
    if (wanted >= 60) {
      long hours = wanted / 60;
      for (long divisor : new long[] {24, 12, 8, 6, 4, 3, 2, 1}) {
        if (divisor <= hours) {
          return divisor * 60;
        }
      }
    }
    for (long divisor : new long[] {30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1}) {
      if (divisor <= wanted) {
        return divisor;
      }
    }
    return 1;
  }

  static String cronSchedule(long minutes) {
    if (minutes >= 60) {
      long hours = minutes / 60;
      return hours >= 24 ? "0 0 * * *" : "0 */" + hours + " * * *";
    }
    return "*/" + minutes + " * * * *";
  }

  /** The words for a POSIX shell: each quoted unless it is plain. */
  static String shell(List<String> words) {
    List<String> quoted = new ArrayList<>();
    for (String word : words) {
      quoted.add(PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'");
    }
    return String.join(" ", quoted);
  }
}
