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
        ExecCommand.class, LogoutCommand.class, TokenCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
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
    return commandLine(CommandLine.defaultFactory());
  }

  /** The command line with its commands made by factory (tests give wharf exec's command other streams). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine commandLine = new CommandLine(new WharfCommand(), factory).setCaseInsensitiveEnumValuesAllowed(true);
    // wharf exec: the first positional argument and all that follow are the command's (its options included)
    commandLine.getSubcommands().get("exec").setStopAtPositional(true);
    return commandLine;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = WharfCommand.class.getPackage().getImplementationVersion();
      return new String[] {"wharf " + (version == null ? "(development build)" : version)};
    }
  }
}
