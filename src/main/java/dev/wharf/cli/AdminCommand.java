package dev.wharf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf admin …}: administration through the server's API, signed like any AWS call. */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = {"Administer a running Wharf server (create-account, token keys), or its storage offline"
        + " (migrate-storage, backup, restore)."},
    subcommands = {AdminCommand.CreateAccount.class, TokenKeyCommands.RotateTokenKey.class,
        TokenKeyCommands.ListTokenKeys.class, StorageCommands.MigrateStorage.class, StorageCommands.Backup.class,
        StorageCommands.Restore.class})
final class AdminCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "create-account", mixinStandardHelpOptions = true,
      description = {"Create another account (management account only) and print its root access key as JSON.",
          "Credentials come from the standard AWS chain (env vars, AWS_SHARED_CREDENTIALS_FILE, ~/.aws, --profile)."})
  static final class CreateAccount implements Callable<Integer> {
    @Mixin ApiClientOptions api;

    @Option(names = "--name", description = "A display name for the account.")
    String name;

    @Option(names = "--account-id", description = "The 12-digit id to use (default: random).")
    String accountId;

    @Override
    public Integer call() throws Exception {
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("AccountName", name);
      parameters.put("AccountId", accountId);
      ApiClient.QueryResult result = api.client().wharf("CreateAccount", parameters);
      if (!result.ok()) {
        return result.reportError(System.err);
      }
      Map<String, String> out = new LinkedHashMap<>();
      out.put("accountId", result.value("AccountId"));
      out.put("accessKeyId", result.value("AccessKeyId"));
      out.put("secretAccessKey", result.value("SecretAccessKey"));
      System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
      return 0;
    }
  }
}
