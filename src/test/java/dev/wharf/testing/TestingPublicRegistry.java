package dev.wharf.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * A Wharf that plays a public registry (crates.io, rubygems.org, Maven Central) in external-connection
 * tests: domain {@code world} with one repository, reached with a token as the URL's user-info, as an
 * operator maps a connection to a registry that needs credentials.
 */
public final class TestingPublicRegistry implements AutoCloseable {
  private final TestingServer server;
  private final String endpoint;
  private final String token;

  private TestingPublicRegistry(TestingServer server, String endpoint, String token) {
    this.server = server;
    this.endpoint = endpoint;
    this.token = token;
  }

  /** Starts one, with repository {@code repository} whose endpoint for {@code format} is its base. */
  public static TestingPublicRegistry start(Path dataDirectory, String format, String repository) {
    TestingServer server = TestingServer.start(dataDirectory);
    CodeartifactClient api = server.codeartifact(server.rootCredentials());
    api.createDomain(b -> b.domain("world"));
    api.createRepository(b -> b.domain("world").repository(repository));
    String token = api.getAuthorizationToken(b -> b.domain("world")).authorizationToken();
    return new TestingPublicRegistry(server, server.endpoint() + "/world-" + server.managementAccountId() + "/"
        + format + "/" + repository + "/", token);
  }

  /** The repository's endpoint, ending in '/'. */
  public String endpoint() {
    return endpoint;
  }

  public String token() {
    return token;
  }

  /** The endpoint with the token as user-info: what the operator maps the connection to. */
  public String endpointWithToken() {
    return endpoint.replace("://", "://aws:" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "@");
  }

  /**
   * A Wharf whose operator maps {@code connection} to {@code upstream} (metadata never cached), with
   * domain {@code acme} and repository {@code repository} associated with the connection.
   */
  public static TestingServer mirror(Path dataDirectory, String connection, String upstream, String repository) {
    TestingServer server = TestingServer.start(dataDirectory, Clock.systemUTC(), Map.of(
        "WHARF_EXTERNAL_CONNECTIONS", connection + "=" + upstream, "WHARF_EXTERNAL_METADATA_TTL", "0"));
    CodeartifactClient api = server.codeartifact(server.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository(repository));
    api.associateExternalConnection(b -> b.domain("acme").repository(repository).externalConnection(connection));
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
