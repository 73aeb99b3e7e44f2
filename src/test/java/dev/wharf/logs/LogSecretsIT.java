package dev.wharf.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingConsole;
import dev.wharf.testing.TestingLogCapture;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * No secret, token or signature is ever logged. Failsafe runs this last, in an execution of its own
 * (pom.xml): it reads every log the suite's servers wrote (TestingLogCapture keeps a copy of each test
 * JVM's log and of what server processes printed) and looks for the secrets the tests were handed and
 * for anything shaped like a credential. It first makes a server handle each kind of secret itself, so
 * that it checks something even when run alone.
 */
class LogSecretsIT {
  /** Shapes of credentials: a Wharf token, a SigV4 signature, a bearer or basic value, a secret key or password field. */
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("\\bk[a-z2-7]{7}\\.[A-Za-z0-9_-]{40,}", Pattern.CASE_INSENSITIVE),
      Pattern.compile("signature=[0-9a-f]{64}", Pattern.CASE_INSENSITIVE),
      Pattern.compile("x-amz-security-token=[^&\\s]{8,}", Pattern.CASE_INSENSITIVE),
      Pattern.compile("\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{16,}", Pattern.CASE_INSENSITIVE),
      Pattern.compile("(secret_?access_?key|session_?token)[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+=]{16,}",
          Pattern.CASE_INSENSITIVE),
      Pattern.compile("\"?password\"?\\s*[:=]\\s*\"?[^\\s\",}]{4,}", Pattern.CASE_INSENSITIVE));

  @TempDir Path scratch;

  @Test
  void no_log_of_the_suite_holds_a_secret_a_token_or_a_signature() throws Exception {
    exerciseEverySecret();

    Set<String> secrets = new LinkedHashSet<>();
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> files = Files.list(TestingLogCapture.DIRECTORY)) {
      for (Path file : files.sorted().toList()) {
        if (file.getFileName().toString().startsWith("secrets-")) {
          Files.readAllLines(file).stream().filter(line -> line.length() >= 8).forEach(secrets::add);
        } else if (file.getFileName().toString().endsWith(".log")) {
          logs.add(file);
        }
      }
    }
    Path own = TestingLogCapture.DIRECTORY.resolve("jvm-" + ProcessHandle.current().pid() + ".log");
    assertThat(logs).as("this JVM's copy of its log").contains(own);
    assertThat(Files.readString(own)).as("the access lines of this test's requests").contains("GET /npm/acme/app/");
    assertThat(secrets).as("the secrets this test noted").hasSizeGreaterThanOrEqualTo(5);

    List<String> found = new ArrayList<>();
    for (Path log : logs) {
      List<String> lines = Files.readAllLines(log);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        for (String secret : secrets) {
          if (line.contains(secret)) {
            found.add(log.getFileName() + ":" + (i + 1) + ": a secret a test was handed: " + line);
          }
        }
        for (Pattern shape : SHAPES) {
          if (shape.matcher(line).find()) {
            found.add(log.getFileName() + ":" + (i + 1) + ": looks like a credential (" + shape + "): " + line);
          }
        }
      }
    }
    assertThat(found).as("log lines with a secret in " + logs.size() + " logs").isEmpty();
  }

  /** A server handles a root key, a session, a token (valid and tampered), a presigned URL and a console password. */
  private void exerciseEverySecret() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (TestingServer server = TestingServer.start(scratch.resolve("data"));
        CodeartifactClient api = server.codeartifact(server.rootCredentials());
        IamClient iam = server.iam(server.rootCredentials());
        StsClient sts = server.sts(server.rootCredentials())) {
      api.createDomain(b -> b.domain("acme"));
      api.createRepository(b -> b.domain("acme").repository("app"));

      iam.createUser(b -> b.userName("ops"));
      var key = iam.createAccessKey(b -> b.userName("ops")).accessKey();
      TestingLogCapture.noteSecret(key.secretAccessKey());
      var session = server.sts(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(key.accessKeyId(),
          key.secretAccessKey())).getSessionToken().credentials();
      TestingLogCapture.noteSecret(session.secretAccessKey());
      TestingLogCapture.noteSecret(session.sessionToken());
      try (StsClient asSession = server.sts(AwsSessionCredentials.create(session.accessKeyId(),
          session.secretAccessKey(), session.sessionToken()))) {
        asSession.getCallerIdentity();
      }
      String token = api.getAuthorizationToken(b -> b.domain("acme")).authorizationToken();
      TestingLogCapture.noteSecret(token);
      String tampered = token.substring(0, token.length() - 6) + "AAAAAA";
      TestingLogCapture.noteSecret(tampered);
      URI packument = server.endpoint().resolve("/npm/acme/app/left-pad");
      for (String presented : List.of(token, tampered)) {
        http.send(HttpRequest.newBuilder(packument).header("Authorization", "Bearer " + presented).build(),
            HttpResponse.BodyHandlers.discarding());
        http.send(HttpRequest.newBuilder(server.endpoint().resolve("/pypi/acme/app/simple/left-pad/"))
            .header("Authorization", basic("aws", presented)).build(), HttpResponse.BodyHandlers.discarding());
      }

      URI presigned = server.signer().get("Action=GetCallerIdentity&Version=2011-06-15")
          .presignedAt(server.rootCredentials(), "sts", server.clock().instant(), Duration.ofMinutes(5));
      TestingLogCapture.noteSecret(presigned.getRawQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1"));
      server.signer().get("Action=GetCallerIdentity&Version=2011-06-15").sendPresigned(presigned);

      String password = "Correct-Horse-Battery-9";
      iam.createLoginProfile(b -> b.userName("ops").password(password).passwordResetRequired(false));
      TestingLogCapture.noteSecret(password);
      TestingLogCapture.noteSecret("Wrong-Horse-Battery-0");
      String account = sts.getCallerIdentity().account();
      new TestingConsole(server.endpoint(), account).signInWithPassword("ops", "Wrong-Horse-Battery-0");
      new TestingConsole(server.endpoint(), account).signInWithPassword("ops", password);
    }
    awaitAccessLines(Path.of(TestingLogCapture.DIRECTORY.toString(), "jvm-" + ProcessHandle.current().pid() + ".log"));
  }

  private static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
  }

  /** The access log is written from a queue: waits until this test's requests are in the copy. */
  private static void awaitAccessLines(Path log) throws IOException, InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (Files.exists(log) && Files.readString(log).contains("/console/sign-in")) {
        return;
      }
      Thread.sleep(50);
    }
  }
}
