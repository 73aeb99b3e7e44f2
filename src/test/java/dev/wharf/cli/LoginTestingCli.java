package dev.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/**
 * Runs wharf commands in this JVM as a user would in a shell: credentials through the SDK's standard
 * chain (the aws.* system properties, restored afterwards), output captured.
 */
final class LoginTestingCli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken", "aws.region");

  record Result(int exitCode, String out, String err) {}

  private LoginTestingCli() {}

  static Result run(AwsCredentials credentials, String... args) {
    return run(WharfCommand.commandLine(), credentials, args);
  }

  /** {@link #run(AwsCredentials, String...)} with this command line. */
  static synchronized Result run(picocli.CommandLine commandLine, AwsCredentials credentials, String... args) {
    Map<String, String> saved = new HashMap<>();
    PROPERTIES.forEach(name -> saved.put(name, System.getProperty(name)));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
    ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
    try {
      System.clearProperty("aws.sessionToken");
      System.setProperty("aws.accessKeyId", credentials.accessKeyId());
      System.setProperty("aws.secretAccessKey", credentials.secretAccessKey());
      System.setProperty("aws.region", "us-east-1");
      System.setOut(thisThreadOnly(capturedOut, out));
      System.setErr(thisThreadOnly(capturedErr, err));
      int exitCode = commandLine.execute(args);
      return new Result(exitCode, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      saved.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    }
  }

  /** Captures what this thread prints; the in-process server's threads (its log) still print where they did. */
  private static PrintStream thisThreadOnly(ByteArrayOutputStream captured, PrintStream others) {
    Thread command = Thread.currentThread();
    OutputStream routed = new OutputStream() {
      @Override
      public void write(int b) {
        if (Thread.currentThread() == command) {
          captured.write(b);
        } else {
          others.write(b);
        }
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        if (Thread.currentThread() == command) {
          captured.write(bytes, offset, length);
        } else {
          others.write(bytes, offset, length);
        }
      }
    };
    return new PrintStream(routed, true, StandardCharsets.UTF_8);
  }

  /** args with --endpoint-url of the server appended. */
  static String[] against(TestingServer wharf, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoint-url");
    all.add(wharf.endpoint().toString());
    return all.toArray(String[]::new);
  }

  static CodeartifactClient codeArtifact(TestingServer wharf, AwsCredentials credentials) {
    return CodeartifactClient.builder().endpointOverride(wharf.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(TestingServer.provider(credentials)).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
  }

  /** Creates the domain and a repository in it; returns the repository's endpoint for the format. */
  static String newRepository(TestingServer wharf, AwsCredentials credentials, String domain, String repository,
      String format) {
    try (CodeartifactClient client = codeArtifact(wharf, credentials)) {
      client.createDomain(b -> b.domain(domain));
      client.createRepository(b -> b.domain(domain).repository(repository));
      return client.getRepositoryEndpoint(b -> b.domain(domain).repository(repository).format(format)).repositoryEndpoint();
    }
  }

  /**
   * GET of a repository endpoint with the token as Bearer: the status and the answer, as JSON when it
   * is JSON (a refusal comes in the format's own shape: plain text for PyPI and Maven, as text here).
   */
  record RepositoryAnswer(int status, JsonNode body) {}

  static RepositoryAnswer getRepository(String endpoint, String token) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      return new RepositoryAnswer(response.statusCode(), json ? JSON.readTree(response.body())
          : com.fasterxml.jackson.databind.node.TextNode.valueOf(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
