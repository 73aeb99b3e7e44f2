package dev.wharf.api.aws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingFuzzFiles;
import dev.wharf.testing.TestingServer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the AWS query protocol (IAM, STS and Wharf's own actions): the input is a form body, decoded by
 * {@link FormEncoding#decodeInto} as the endpoint decodes it, and its {@code Action} runs on a real server's
 * operation handler for the account's root user, which reads every other parameter. The policy check is left out
 * (root may do everything), and so is AssumeRoleWithWebIdentity, which {@code WebIdentityTokenFuzzTest} covers.
 * Only {@link WharfException} (an AWS error of 4xx) may come out.
 */
class AwsQueryFuzzTest {

  /** One server for the whole run, started when the first input arrives. */
  private static final class Server {
    static final TestingServer SERVER =
        TestingServer.start(TestingFiles.directory(TestingFuzzFiles.scratch(), "server"));
    static final Principal ROOT = new Principal.Root(SERVER.managementAccountId());
    static final List<QueryOperation> OPERATIONS = SERVER.server().queryOperations().stream()
        .filter(operation -> !(operation.permission() instanceof QueryOperation.Permission.Unsigned))
        .toList();
  }

  @FuzzTest(maxDuration = "10s")
  void queryCallsAreAnsweredOrRefusedWithA4xx(byte[] input) {
    Map<String, String> parameters = new LinkedHashMap<>();
    try {
      FormEncoding.decodeInto(new String(input, StandardCharsets.UTF_8), parameters, false);
    } catch (WharfException refused) {
      return;
    }
    String action = parameters.get("Action");
    for (QueryOperation operation : Server.OPERATIONS) {
      if (operation.action().equals(action)) {
        try {
          operation.handler().handle(new QueryRequest(operation.service(), action, Map.copyOf(parameters), Server.ROOT,
              null, PermissionService.RequestOrigin.LOCAL, "fuzz"), new XmlBuilder());
        } catch (WharfException refused) {
          // the documented refusal
        }
        return;
      }
    }
  }
}
