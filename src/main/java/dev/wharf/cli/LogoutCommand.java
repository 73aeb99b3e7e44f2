package dev.wharf.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf logout}: removes what {@code wharf login} (or {@code aws codeartifact login}) wrote for Wharf. */
@Command(name = "logout", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Remove a tool's Wharf login from its configuration file.",
        "The rest of the file stays; a file left empty is deleted:",
        "",
        "  npm, pnpm, yarn  registry, @ns:registry, //host/path/ keys of Wharf endpoints",
        "  pip              global.index-url when it is a Wharf /pypi/ endpoint",
        "  twine            the [codeartifact] section and its index-servers entry",
        "  maven            the 'codeartifact' server",
        "  gradle           codeartifactUrl",
        "  cargo            registries.codeartifact when its index is a Wharf /cargo/",
        "                   endpoint, and registry.default, source.crates-io.replace-with",
        "                   when they name it",
        "  gem              keys of Wharf /ruby/ endpoints in ~/.gem/credentials, and",
        "                   those endpoints in :sources: of ~/.gemrc (the list goes",
        "                   when it is left empty)",
        "  bundler          BUNDLE_<HOST> settings with an aws: credential in",
        "                   ~/.bundle/config (not for *.amazonaws.com hosts)",
        "  nuget, dotnet    package sources at Wharf /nuget/ endpoints in",
        "                   ~/.nuget/NuGet/NuGet.Config, with their credentials",
        "",
        "Wharf endpoints are known by their path: /{domain}-{owner}/{format}/{repo}/.",
        "No call is made to the server."})
final class LogoutCommand implements Callable<Integer> {
  @Mixin LoginOptions.Tool toolOption;

  @Option(names = "--scope", defaultValue = "user", paramLabel = "user|project",
      description = "The user's file (default) or the project's, in the current folder.")
  LoginSetup.Scope scope;

  @Option(names = "--repository-endpoint-host", paramLabel = "HOST",
      description = "Only remove logins to endpoints on this host (host or host:port).")
  String host;

  @Option(names = "--dry-run", description = "Print the new content of the file and change nothing.")
  boolean dryRun;

  @Mixin LoginOptions.Home home;

  @Override
  public Integer call() {
    try {
      LoginSetup.Plan plan = LoginSetup.logout(toolOption.tool, scope, home.places(), host);
      if (dryRun) {
        LoginSetup.printDryRun(plan, System.out);
        return 0;
      }
      LoginSetup.apply(plan);
      plan.notes().forEach(System.out::println);
      return 0;
    } catch (ConfigFiles.InvalidConfigFile e) {
      System.err.println("wharf: cannot update " + toolOption.tool + "'s " + e.file() + ": " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      System.err.println("wharf: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      System.err.println("wharf: " + e);
      return 1;
    }
  }
}
