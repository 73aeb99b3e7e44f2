package dev.wharf.cli;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.audit.AuditText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wharf audit}: who did what, when, from where, and whether it was allowed. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Show audit events of your account: every API call and token use, allowed or denied, newest first.",
        "Allowed package reads are counted per token, package and minute (Count), unless the server runs with"
            + " --audit-reads each.",
        "Unauthenticated requests (no valid credential) are counted per source address, action, error and minute.",
        "Every non-printable character of a field (newline, tab, other controls, U+2028, bidi overrides) is shown"
            + " as an escape such as \\n or \\u202E, and a backslash as \\\\, in the text and the JSON output.",
        "Needs wharf:LookupAuditEvents (an account's root user has it)."})
final class AuditCommand implements Callable<Integer> {
  private static final List<String> FIELDS = List.of("Time", "Count", "Outcome", "Principal", "Action", "Resource", "SourceIp",
      "DecidedBy", "ErrorCode", "TokenId", "RequestId");

  @Mixin ApiClientOptions api;

  @Option(names = "--since", description = "ISO-8601 time or a duration such as PT1H (default: the last 24 hours).")
  String since;

  @Option(names = "--principal", description = "Only events of this principal ARN.")
  String principal;

  @Option(names = "--action", description = "Only this action, e.g. codeartifact:ReadFromRepository.")
  String action;

  @Option(names = "--max-results", description = "At most this many events (1..1000, default 100).")
  Integer maxResults;

  @Option(names = "--output", description = "text (default) or json.")
  String output = "text";

  @Override
  public Integer call() throws Exception {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("Since", since);
    parameters.put("PrincipalArn", principal);
    parameters.put("EventAction", action);
    parameters.put("MaxResults", maxResults == null ? null : maxResults.toString());
    ApiClient.QueryResult result = api.client().wharf("LookupAuditEvents", parameters);
    if (!result.ok()) {
      return result.reportError(System.err);
    }
    NodeList members = result.document().getElementsByTagName("member");
    ArrayNode events = new ObjectMapper().createArrayNode();
    for (int i = 0; i < members.getLength(); i++) {
      ObjectNode event = events.addObject();
      for (Node child = members.item(i).getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element element) {
          event.put(element.getTagName(), element.getTextContent());
        }
      }
    }
    if ("json".equals(output)) {
      ObjectMapper json = new ObjectMapper(new JsonFactoryBuilder().characterEscapes(AuditText.jsonEscapes()).build());
      System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(events));
      return 0;
    }
    // Fields are caller input: escaped, none can add a line or a column (AuditText).
    System.out.println(String.join("\t", FIELDS));
    events.forEach(event -> System.out.println(String.join("\t",
        FIELDS.stream().map(field -> event.has(field) ? AuditText.escape(event.path(field).asText()) : "-").toList())));
    return 0;
  }
}
