package dev.wharf.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wharf}: the server and the tools around it. */
@Command(
    name = "wharf",
    mixinStandardHelpOptions = true,
    versionProvider = WharfCommand.Version.class,
    description = "A self-hosted package repository that speaks the AWS CodeArtifact API and its token model.",
    subcommands = {ServerCommand.class, AdminCommand.class, GetAuthorizationTokenCommand.class, LoginCommand.class,
        LogoutCommand.class, TokenCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class WharfCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (tests run commands through it). */
  public static CommandLine commandLine() {
    return new CommandLine(new WharfCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = WharfCommand.class.getPackage().getImplementationVersion();
      return new String[] {"wharf " + (version == null ? "(development build)" : version)};
    }
  }
}
