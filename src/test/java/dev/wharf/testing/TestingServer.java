package dev.wharf.testing;

import dev.wharf.config.WharfConfig;
import dev.wharf.server.FirstStart;
import dev.wharf.server.WharfServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.auth.scheme.CodeartifactAuthSchemeProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.auth.scheme.IamAuthSchemeProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.scheme.StsAuthSchemeProvider;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A real Wharf server on a random port with its own data directory, and AWS SDK for Java v2
 * clients pointed at it. The management account's root credentials come from the credentials
 * file the first start wrote, as a user would read them.
 */
public final class TestingServer implements AutoCloseable {
  private static final Pattern KEY = Pattern.compile("aws_access_key_id = (\\S+)\\s+aws_secret_access_key = (\\S+)");

  private final WharfServer server;
  private final Path dataDirectory;
  private final AwsBasicCredentials rootCredentials;
  private final Clock clock;
  /** Trust for the SDK clients when the server speaks HTTPS with a test CA's certificate; null: the JDK's. */
  private final javax.net.ssl.TrustManager[] trust;

  private TestingServer(WharfServer server, Path dataDirectory, AwsBasicCredentials rootCredentials, Clock clock) {
    this(server, dataDirectory, rootCredentials, clock, null);
  }

  private TestingServer(WharfServer server, Path dataDirectory, AwsBasicCredentials rootCredentials, Clock clock,
      javax.net.ssl.TrustManager[] trust) {
    this.trust = trust;
    this.server = server;
    this.dataDirectory = dataDirectory;
    this.rootCredentials = rootCredentials;
    this.clock = clock;
  }

  public static TestingServer start(Path dataDirectory) {
    return start(dataDirectory, Clock.systemUTC(), Map.of());
  }

  public static TestingServer start(Path dataDirectory, Clock clock, Map<String, String> environment) {
    return start(dataDirectory, clock, environment, null);
  }

  /** A server whose S3 blob store (configured in {@code environment}) signs with {@code s3Credentials}. */
  public static TestingServer start(Path dataDirectory, Clock clock, Map<String, String> environment,
      AwsCredentialsProvider s3Credentials) {
    return start(dataDirectory, clock, environment, s3Credentials, null);
  }

  /**
   * A server that speaks HTTPS with the certificate {@code environment} names (WHARF_TLS_*), whose SDK clients
   * trust {@code certificates}' CA; {@link #endpoint()} is https://127.0.0.1:PORT.
   */
  public static TestingServer startTls(Path dataDirectory, Map<String, String> environment,
      TestingCertificates certificates) {
    return start(dataDirectory, Clock.systemUTC(), environment, null, certificates.trustManagers());
  }

  private static TestingServer start(Path dataDirectory, Clock clock, Map<String, String> environment,
      AwsCredentialsProvider s3Credentials, javax.net.ssl.TrustManager[] trust) {
    WharfConfig config = WharfConfig.builder().environment(environment)
        .flag("port", 0).flag("data", dataDirectory).flag("bind", "127.0.0.1")
        .flag("access-log", true).build(); // the suite's log check reads the access lines too
    try {
      WharfServer server = s3Credentials == null ? WharfServer.start(config, clock) : WharfServer.start(config, clock, s3Credentials);
      FirstStart first = server.firstStart().orElseThrow(() -> new IllegalStateException("data directory was not fresh"));
      return new TestingServer(server, dataDirectory, credentialsFile(first.credentialsFile()), clock, trust);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("server did not start", e);
    }
  }

  /**
   * Starts one node of a cluster: the environment names the shared database and master key, and the
   * nodes share {@code dataDirectory} (its blobs, and the credentials file the first start writes).
   */
  public static TestingServer startNode(Path dataDirectory, Map<String, String> environment) {
    WharfConfig config = WharfConfig.builder().environment(environment)
        .flag("port", 0).flag("data", dataDirectory).flag("bind", "127.0.0.1")
        .flag("access-log", true).build(); // the suite's log check reads the access lines too
    try {
      return new TestingServer(WharfServer.start(config, Clock.systemUTC()), dataDirectory, null, Clock.systemUTC());
    } catch (Exception e) {
      throw new IllegalStateException("node did not start: " + e.getMessage(), e);
    }
  }

  public WharfServer server() {
    return server;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public URI endpoint() {
    return URI.create((server.secure() ? "https" : "http") + "://127.0.0.1:" + server.port());
  }

  /** The SDK's HTTP client, trusting the test CA when the server speaks HTTPS with one. */
  private software.amazon.awssdk.http.SdkHttpClient httpClient() {
    return trust == null ? UrlConnectionHttpClient.create()
        : UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trust).build();
  }

  public AwsBasicCredentials rootCredentials() {
    return rootCredentials != null ? rootCredentials : credentialsFile(dataDirectory.resolve("credentials"));
  }

  /** The root key in the credentials file a first start writes (for a server a test started as a process). */
  public static AwsBasicCredentials credentialsFile(Path file) {
    try {
      Matcher key = KEY.matcher(Files.readString(file));
      if (!key.find()) {
        throw new IllegalStateException("credentials file has no key");
      }
      TestingLogCapture.noteSecret(key.group(2));
      return AwsBasicCredentials.create(key.group(1), key.group(2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String managementAccountId() {
    return server.firstStart().orElseThrow().accountId();
  }

  /** The clock the server runs on; SDK clients and {@link #signer()} sign at its time. */
  public Clock clock() {
    return clock;
  }

  /** Raw signed (or unsigned) HTTP requests to the server, for what an SDK would not send. */
  public TestingSigner signer() {
    return new TestingSigner(endpoint(), clock);
  }

  public IamClient iam(AwsCredentials credentials) {
    return IamClient.builder().endpointOverride(endpoint()).region(Region.AWS_GLOBAL)
        .authSchemeProvider(params -> atServerTime(IamAuthSchemeProvider.defaultProvider().resolveAuthScheme(params)))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(httpClient())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  public StsClient sts(AwsCredentials credentials) {
    return StsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .authSchemeProvider(params -> atServerTime(StsAuthSchemeProvider.defaultProvider().resolveAuthScheme(params)))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(httpClient())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  public CodeartifactClient codeartifact(AwsCredentials credentials) {
    return codeartifact(endpoint(), credentials, clock, httpClient());
  }

  /** A CodeArtifact client for a server a test started as a process, signing at the real time. */
  public static CodeartifactClient codeartifact(URI endpoint, AwsCredentials credentials) {
    return codeartifact(endpoint, credentials, Clock.systemUTC(), UrlConnectionHttpClient.create());
  }

  private static CodeartifactClient codeartifact(URI endpoint, AwsCredentials credentials, Clock clock,
      software.amazon.awssdk.http.SdkHttpClient http) {
    return CodeartifactClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .authSchemeProvider(params -> atTime(clock, CodeartifactAuthSchemeProvider.defaultProvider().resolveAuthScheme(params)))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  /** Signs at the server's clock, so a test that moves the clock does not skew its own requests. */
  private List<AuthSchemeOption> atServerTime(List<AuthSchemeOption> options) {
    return atTime(clock, options);
  }

  private static List<AuthSchemeOption> atTime(Clock clock, List<AuthSchemeOption> options) {
    return options.stream().map(o -> o.toBuilder().putSignerProperty(HttpSigner.SIGNING_CLOCK, clock).build()).toList();
  }

  public static AwsSessionCredentials session(Credentials credentials) {
    return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken());
  }

  public static AwsCredentialsProvider provider(AwsCredentials credentials) {
    return StaticCredentialsProvider.create(credentials);
  }

  @Override
  public void close() {
    server.close();
  }
}
