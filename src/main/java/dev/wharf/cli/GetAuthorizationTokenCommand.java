package dev.wharf.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.GetAuthorizationTokenResponse;

/** {@code wharf get-authorization-token}: CodeArtifact's GetAuthorizationToken, printed like the aws CLI prints it. */
@Command(name = "get-authorization-token", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Get an authorization token for a domain, for npm, pip, twine, Maven, Gradle.",
        "The token acts as the caller: each request made with it is authorized against",
        "the caller's policies as they are at that time.",
        "",
        "  export CODEARTIFACT_AUTH_TOKEN=$(wharf get-authorization-token \\",
        "      --domain my-domain --query authorizationToken --output text)",
        "",
        "Credentials: the standard AWS chain (env, ~/.aws, --profile)."})
final class GetAuthorizationTokenCommand implements Callable<Integer> {
  enum Query { authorizationToken, expiration }

  enum Output { json, text }

  @Mixin DomainOptions domainOptions;

  @Option(names = "--duration-seconds",
      description = {"Token lifetime in seconds: 900..43200 (default 43200);",
          "0 with assumed-role credentials: until the role session ends."})
  Long durationSeconds;

  @Option(names = "--query", description = "Print one member only: ${COMPLETION-CANDIDATES}.")
  Query query;

  @Option(names = "--output", defaultValue = "json", description = "json (default) or text.")
  Output output;

  @Mixin ApiClientOptions api;

  @Override
  public Integer call() throws Exception {
    GetAuthorizationTokenResponse response;
    try (CodeartifactClient client = api.codeArtifact()) {
      response = domainOptions.authorizationToken(client, durationSeconds);
    } catch (SdkException e) {
      return SdkErrors.report(e, System.err);
    }
    String token = response.authorizationToken();
    String expiration = response.expiration() == null ? null : response.expiration().toString();
    if (query != null) {
      String value = switch (query) {
        case authorizationToken -> token;
        case expiration -> expiration;
      };
      System.out.println(output == Output.text ? value : json().writeValueAsString(value));
      return 0;
    }
    if (output == Output.text) {
      System.out.println(token + "\t" + expiration);
      return 0;
    }
    ObjectNode node = new ObjectMapper().createObjectNode().put("authorizationToken", token).put("expiration", expiration);
    System.out.println(json().writeValueAsString(node));
    return 0;
  }

  /** JSON as the aws CLI prints it: four-space indent, "key": value. */
  static ObjectWriter json() {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    return new ObjectMapper().writer(printer);
  }
}
