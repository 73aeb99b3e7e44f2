package dev.wharf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The real {@code aws} CLI pointed at a Wharf server, run in a clean environment: a fresh HOME,
 * its own credentials and config files, region us-east-1, no pager, JSON output, no retries and
 * no AWS_* variable inherited from the machine. Each call is
 * {@code aws --endpoint-url URL --output json ARGS…} and returns its exit code and output.
 */
public final class TestingAwsCli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static volatile boolean installed;

  private final URI endpoint;
  private final Path home;
  private final Map<String, String> environment;

  private TestingAwsCli(URI endpoint, Path home, Map<String, String> environment) {
    this.endpoint = endpoint;
    this.home = home;
    this.environment = Map.copyOf(environment);
  }

  /** The CLI with no credentials at all; skips (or fails under WHARF_REQUIRE_CLIENTS=1) when aws is missing. */
  public static TestingAwsCli at(URI endpoint, Path scratch) {
    if (!installed) {
      TestingClients.requireCommand("aws", "--version");
      installed = true;
    }
    Path home = scratch.resolve("aws-home-" + UUID.randomUUID());
    Map<String, String> environment = TestingProcesses.cleanEnvironment(null);
    try {
      Files.createDirectories(home);
      Path config = home.resolve("aws-config");
      Files.writeString(config, "[default]\nregion = us-east-1\noutput = json\n");
      Path credentials = home.resolve("aws-credentials");
      Files.writeString(credentials, "");
      environment.put("HOME", home.toString());
      environment.put("AWS_CONFIG_FILE", config.toString());
      environment.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    environment.put("AWS_DEFAULT_REGION", "us-east-1");
    environment.put("AWS_PAGER", "");
    environment.put("AWS_MAX_ATTEMPTS", "1");
    environment.put("AWS_EC2_METADATA_DISABLED", "true");
    return new TestingAwsCli(endpoint, home, environment);
  }

  /** The CLI with a long-term key, written to its own shared credentials file (profile default). */
  public TestingAwsCli withKey(String accessKeyId, String secretAccessKey) {
    Path credentials = home.resolve("credentials-" + UUID.randomUUID());
    try {
      Files.writeString(credentials, "[default]\naws_access_key_id = " + accessKeyId + "\naws_secret_access_key = "
          + secretAccessKey + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return withEnvironment(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString()));
  }

  /** The CLI with temporary credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. */
  public TestingAwsCli withSession(String accessKeyId, String secretAccessKey, String sessionToken) {
    return withEnvironment(Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey,
        "AWS_SESSION_TOKEN", sessionToken));
  }

  /** The CLI with more environment variables (they replace any of the same name). */
  public TestingAwsCli withEnvironment(Map<String, String> more) {
    Map<String, String> merged = new HashMap<>(environment);
    merged.putAll(more);
    return new TestingAwsCli(endpoint, home, merged);
  }

  /** The environment each call runs with (for running other clients, such as boto3, the same way). */
  public Map<String, String> environment() {
    return environment;
  }

  public Path home() {
    return home;
  }

  /** The exit codes the CLI ends with when the service answered an error. */
  public static final List<Integer> SERVICE_ERROR_EXIT = List.of(254, 255);

  /** Asserts that the call failed with the service's error {@code code} (as the CLI prints it: "(Code)"). */
  public static void assertServiceError(Result result, String code) {
    org.assertj.core.api.Assertions.assertThat(result.exitCode()).as(result.describe()).isIn(SERVICE_ERROR_EXIT);
    org.assertj.core.api.Assertions.assertThat(result.stderr()).as(result.describe()).contains("(" + code + ")");
  }

  /** Runs {@code aws --endpoint-url URL --output json ARGS…}. */
  public Result run(String... arguments) {
    List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString(), "--output", "json"));
    command.addAll(List.of(arguments));
    return new Result(TestingProcesses.run(home, environment, TIMEOUT, command));
  }

  /** Runs the call and returns its JSON output, failing the test with the whole exchange when it did not succeed. */
  public JsonNode json(String... arguments) {
    Result result = run(arguments);
    if (result.exitCode() != 0) {
      throw new AssertionError("aws failed:\n" + result.describe());
    }
    return result.json();
  }

  /** One CLI call's outcome. */
  public record Result(TestingProcesses.Result process) {
    public Result {
      Objects.requireNonNull(process, "process");
    }

    public int exitCode() {
      return process.exitCode();
    }

    public String stdout() {
      return process.stdout();
    }

    public String stderr() {
      return process.stderr();
    }

    public String describe() {
      return process.describe();
    }

    /** stdout parsed as JSON (an empty output is an empty object, as the CLI prints nothing for void calls). */
    public JsonNode json() {
      try {
        return stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(stdout());
      } catch (IOException e) {
        throw new AssertionError("aws printed no JSON:\n" + describe(), e);
      }
    }
  }
}
