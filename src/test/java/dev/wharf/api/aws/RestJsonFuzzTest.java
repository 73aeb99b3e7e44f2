package dev.wharf.api.aws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import dev.wharf.testing.TestingFiles;
import dev.wharf.testing.TestingFuzzFiles;
import dev.wharf.testing.TestingServer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes CodeArtifact's rest-json protocol: the input's first line names an operation, its second is the raw
 * query string (decoded by {@link FormEncoding#decodeInto}) and the rest is the JSON body (read by
 * {@link RestJsonEndpoints#parseBody}); the operation runs on a real server's handler for the account's root user.
 * The policy check is left out, and so are the operations that stream their body (PublishPackageVersion). Only
 * {@link WharfException} (an AWS error of 4xx) may come out.
 */
class RestJsonFuzzTest {

  /** One server for the whole run, started when the first input arrives. */
  private static final class Server {
    static final TestingServer SERVER =
        TestingServer.start(TestingFiles.directory(TestingFuzzFiles.scratch(), "server"));
    static final Principal ROOT = new Principal.Root(SERVER.managementAccountId());
  }

  @FuzzTest(maxDuration = "10s")
  void restJsonCallsAreAnsweredOrRefusedWithA4xx(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", 3);
    String name = lines[0];
    String rawQuery = lines.length > 1 ? lines[1] : "";
    byte[] body = lines.length > 2 ? lines[2].getBytes(StandardCharsets.UTF_8) : new byte[0];
    RestOperation operation = Server.SERVER.server().restOperations().stream()
        .filter(o -> o.name().equals(name) && !(o.payload() instanceof RestOperation.Payload.Streamed))
        .findFirst().orElse(null);
    if (operation == null) {
      return;
    }
    try {
      Map<String, String> query = new LinkedHashMap<>();
      FormEncoding.decodeInto(rawQuery, query, true);
      JsonNode json = RestJsonEndpoints.parseBody(body);
      operation.handler().handle(new RestRequest(operation.name(), query, json, Server.ROOT, null,
          PermissionService.RequestOrigin.LOCAL, "fuzz", "http://localhost"));
    } catch (WharfException refused) {
      // the documented refusal
    }
  }
}
