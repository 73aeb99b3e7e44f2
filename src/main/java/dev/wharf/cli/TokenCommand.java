package dev.wharf.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wharf token …}: the caller's account's live authorization tokens, listed and revoked one by one. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "List and revoke authorization tokens.",
    subcommands = {TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** One token as ListAuthorizationTokens describes it. */
  record TokenRow(String tokenId, String principal, String domainOwner, String domain, String keyId, String issuedAt,
      String expiresAt, String lastUsedAt) {
    static TokenRow of(Element member) {
      return new TokenRow(text(member, "TokenId"), text(member, "Principal"), text(member, "DomainOwner"),
          text(member, "Domain"), text(member, "KeyId"), text(member, "IssuedAt"), text(member, "ExpiresAt"),
          text(member, "LastUsedAt"));
    }
  }

  static String text(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && name.equals(element.getLocalName() != null ? element.getLocalName() : element.getTagName())) {
        return element.getTextContent();
      }
    }
    return null;
  }

  /** The member elements of the first list element named listName. */
  static List<Element> members(ApiClient.QueryResult result, String listName) {
    List<Element> members = new ArrayList<>();
    NodeList lists = result.document().getElementsByTagName(listName);
    if (lists.getLength() == 0) {
      return members;
    }
    for (Node node = lists.item(0).getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && "member".equals(element.getTagName())) {
        members.add(element);
      }
    }
    return members;
  }

  /** Prints rows under a header, columns padded to their widest cell. */
  static void printTable(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      System.out.println(line.toString().stripTrailing());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the live (unexpired, unrevoked) tokens of the caller's account.",
          "Credentials come from the standard AWS chain (env vars, AWS_SHARED_CREDENTIALS_FILE, ~/.aws, --profile)."})
  static final class ListTokens implements Callable<Integer> {
    enum Output { table, json }

    @Option(names = "--output", defaultValue = "table", description = "table (default) or json.")
    Output output;

    @Mixin ApiClientOptions api;

    @Override
    public Integer call() throws Exception {
      ApiClient.QueryResult result = api.client().wharf("ListAuthorizationTokens");
      if (!result.ok()) {
        return result.reportError(System.err);
      }
      List<TokenRow> tokens = members(result, "Tokens").stream().map(TokenRow::of).toList();
      if (output == Output.json) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode list = mapper.createArrayNode();
        for (TokenRow token : tokens) {
          ObjectNode node = list.addObject();
          node.put("tokenId", token.tokenId()).put("principal", token.principal()).put("domainOwner", token.domainOwner())
              .put("domain", token.domain()).put("keyId", token.keyId()).put("issuedAt", token.issuedAt())
              .put("expiresAt", token.expiresAt()).put("lastUsedAt", token.lastUsedAt());
        }
        ObjectNode root = mapper.createObjectNode();
        root.set("tokens", list);
        System.out.println(GetAuthorizationTokenCommand.json().writeValueAsString(root));
        return 0;
      }
      if (tokens.isEmpty()) {
        System.out.println("No live tokens.");
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (TokenRow token : tokens) {
        rows.add(List.of(token.tokenId(), token.principal(), token.domainOwner() + "/" + token.domain(),
            token.issuedAt(), token.expiresAt(), token.lastUsedAt() == null ? "-" : token.lastUsedAt()));
      }
      printTable(List.of("TOKEN ID", "PRINCIPAL", "DOMAIN", "ISSUED", "EXPIRES", "LAST USED"), rows);
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revoke one token: every request made with it is refused from now on (root's tokens too).",
          "Credentials come from the standard AWS chain (env vars, AWS_SHARED_CREDENTIALS_FILE, ~/.aws, --profile)."})
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOKEN_ID", description = "The token's id, as 'wharf token list' shows it.")
    String tokenId;

    @Mixin ApiClientOptions api;

    @Override
    public Integer call() throws Exception {
      ApiClient.QueryResult result = api.client().wharf("RevokeAuthorizationToken", Map.of("TokenId", tokenId));
      if (!result.ok()) {
        return result.reportError(System.err);
      }
      System.out.println("Revoked token " + tokenId + " (" + result.value("Principal") + ", domain "
          + result.value("DomainOwner") + "/" + result.value("Domain") + ").");
      return 0;
    }
  }
}
