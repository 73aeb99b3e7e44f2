package dev.wharf.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.w3c.dom.Element;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf admin rotate-token-key} and {@code list-token-keys}: the keys that seal authorization tokens. */
final class TokenKeyCommands {
  private TokenKeyCommands() {}

  @Command(name = "rotate-token-key", mixinStandardHelpOptions = true,
      description = {"Create a new token key: tokens issued from now on are sealed with it; older tokens keep working.",
          "With --retire KEYID, then retire that key: every token it sealed stops working at once.",
          "Needs wharf:RotateTokenKey (and wharf:RetireTokenKey) on the management account's token keys."})
  static final class RotateTokenKey implements Callable<Integer> {
    @Option(names = "--retire", paramLabel = "KEYID", description = "A key to retire after the rotation (e.g. the previous one).")
    String retire;

    @Mixin ApiClientOptions api;

    @Override
    public Integer call() throws Exception {
      ApiClient client = api.client();
      if (retire != null) {
        // Check first, so that a mistyped key id does not leave a rotation behind.
        ApiClient.QueryResult keys = client.wharf("ListTokenKeys");
        if (!keys.ok()) {
          return keys.reportError(System.err);
        }
        boolean active = TokenCommand.members(keys, "Keys").stream()
            .anyMatch(key -> retire.equals(TokenCommand.text(key, "KeyId")) && "Active".equals(TokenCommand.text(key, "Status")));
        if (!active) {
          System.err.println("wharf: NoSuchEntity: No active token key " + retire);
          return 1;
        }
      }
      ApiClient.QueryResult rotated = client.wharf("RotateTokenKey");
      if (!rotated.ok()) {
        return rotated.reportError(System.err);
      }
      System.out.println("New token key " + rotated.value("KeyId") + ": tokens issued from now on are sealed with it.");
      if (retire == null) {
        return 0;
      }
      ApiClient.QueryResult retired = client.wharf("RetireTokenKey", Map.of("KeyId", retire));
      if (!retired.ok()) {
        return retired.reportError(System.err);
      }
      System.out.println("Retired token key " + retired.value("RetiredKeyId")
          + ": every token sealed with it is now invalid. Current key: " + retired.value("CurrentKeyId") + ".");
      return 0;
    }
  }

  @Command(name = "list-token-keys", mixinStandardHelpOptions = true,
      description = {"List the token keys: the current one, the active ones (their tokens work) and the retired ones."})
  static final class ListTokenKeys implements Callable<Integer> {
    @Mixin ApiClientOptions api;

    @Override
    public Integer call() throws Exception {
      ApiClient.QueryResult result = api.client().wharf("ListTokenKeys");
      if (!result.ok()) {
        return result.reportError(System.err);
      }
      String current = result.value("CurrentKeyId");
      List<List<String>> rows = new ArrayList<>();
      for (Element key : TokenCommand.members(result, "Keys")) {
        String keyId = TokenCommand.text(key, "KeyId");
        String retireDate = TokenCommand.text(key, "RetireDate");
        rows.add(List.of(keyId, TokenCommand.text(key, "Status") + (keyId.equals(current) ? " (current)" : ""),
            TokenCommand.text(key, "CreateDate"), retireDate == null ? "-" : retireDate));
      }
      TokenCommand.printTable(List.of("KEY ID", "STATUS", "CREATED", "RETIRED"), rows);
      return 0;
    }
  }
}
