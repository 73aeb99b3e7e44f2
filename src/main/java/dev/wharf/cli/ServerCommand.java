package dev.wharf.cli;

import dev.wharf.config.WharfConfig;
import dev.wharf.server.Logging;
import dev.wharf.server.WharfServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wharf server}: runs the server in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Start the Wharf server (data under ./wharf-data unless --data says otherwise).",
        "Each setting can also come from its environment variable or the config file.",
        "It serves the AWS APIs, the package repositories, and a web console at /console/."})
final class ServerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

  @Option(names = "--port", description = "HTTP port (env WHARF_PORT, default 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--data", description = "Data directory (env WHARF_DATA, default ./wharf-data).")
  Path data;

  @Option(names = "--region", description = "AWS region the server claims to be (env WHARF_REGION, default us-east-1).")
  String region;

  @Option(names = "--database-url", description = "jdbc:postgresql://… for a shared database (env WHARF_DATABASE_URL; default SQLite in the data directory).")
  String databaseUrl;

  @Option(names = "--public-url", description = "Base URL clients reach the server at, when a proxy fronts it or for the https:// name on the certificate; every API answer (repository endpoints, console) uses it (env WHARF_PUBLIC_URL).")
  String publicUrl;

  @Option(names = "--bind", description = "Address to listen on (env WHARF_BIND, default 0.0.0.0).")
  String bind;

  @Option(names = "--max-asset-size", description = "Largest package file accepted, in bytes (env WHARF_MAX_ASSET_SIZE, default 268435456 = 256 MiB).")
  Long maxAssetSize;

  @Option(names = "--blob-store", description = "s3://bucket/prefix to keep package files in an S3-compatible bucket, for clusters (env WHARF_BLOB_STORE; default files under DATA/blobs). Credentials from the standard AWS chain (AWS_ACCESS_KEY_ID…, AWS_PROFILE, instance role).")
  String blobStore;

  @Option(names = "--s3-endpoint", description = "URL of an S3-compatible server such as MinIO (env WHARF_S3_ENDPOINT; default AWS S3).")
  String s3Endpoint;

  @Option(names = "--s3-path-style", description = "Address the bucket as ENDPOINT/bucket rather than bucket.ENDPOINT (env WHARF_S3_PATH_STYLE=true).")
  Boolean s3PathStyle;

  @Option(names = "--s3-region", description = "Region of the bucket (env WHARF_S3_REGION; default the server's --region).")
  String s3Region;

  @Option(names = "--blob-gc-grace-seconds", description = "Age after which a package file no version references is deleted (env WHARF_BLOB_GC_GRACE_SECONDS, default 3600, at least 60). Must exceed the longest upload.")
  Long blobGcGraceSeconds;

  @Option(names = "--external-connection", paramLabel = "NAME=URL", description = {"Upstream URL of an external"
      + " connection repositories may associate, e.g. public:npmjs=https://registry.npmjs.org or"
      + " public:pypi=https://pypi.org, public:maven-central=https://repo1.maven.org/maven2,"
      + " public:crates-io=https://index.crates.io/ or public:ruby-gems-org=https://rubygems.org/; repeatable"
      + " (env WHARF_EXTERNAL_CONNECTIONS=NAME=URL,NAME=URL).",
      "None by default: nothing is fetched from outside unless the operator names it here."})
  java.util.List<String> externalConnections;

  @Option(names = "--external-metadata-ttl", description = "Seconds an external connection's package metadata is reused before it is fetched again (env WHARF_EXTERNAL_METADATA_TTL, default 300).")
  Long externalMetadataTtl;

  @Option(names = "--external-timeout", description = "Seconds to connect to and receive metadata from an external connection (artifacts: 20 times that) (env WHARF_EXTERNAL_TIMEOUT, default 30).")
  Long externalTimeout;

  @Option(names = "--audit-reads", paramLabel = "per-minute|each", description = "How allowed package reads enter the audit trail: counted per token, package, address and minute, or one event each (env WHARF_AUDIT_READS, default per-minute). Denials, writes and token issues are always one event each.")
  String auditReads;

  @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = "On SIGTERM (after --shutdown-delay), new connections are refused and requests in flight get this long to finish; an upload still running then is discarded, never half-stored (env WHARF_SHUTDOWN_GRACE, default 25).")
  Long shutdownGrace;

  @Option(names = "--shutdown-delay", paramLabel = "SECONDS", description = "On SIGTERM, keep serving this long with readiness at 503 before closing the port, so that a load balancer stops sending first (env WHARF_SHUTDOWN_DELAY, default 0; e.g. 5 behind a load balancer or in Kubernetes).")
  Long shutdownDelay;

  @Option(names = "--log-format", paramLabel = "text|json", description = "Log lines for people, or one JSON object per line for a log pipeline (env WHARF_LOG_FORMAT, default text).")
  String logFormat;

  @Option(names = "--access-log", paramLabel = "true|false", arity = "0..1", fallbackValue = "true", description = "One log line per request: address, method, path (no query), status, bytes, milliseconds, protocol and the request id every answer carries in x-request-id (env WHARF_ACCESS_LOG, default false: a line per request costs about a fifth of the package-file rate, docs/benchmarks.md).")
  Boolean accessLog;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS (HTTP/2 and HTTP/1.1, TLS 1.2 and 1.3) with this PEM certificate chain, the server's certificate first (env WHARF_TLS_CERT). Needs --tls-key. Reloaded when the file changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key, PEM, unencrypted: PKCS#8, PKCS#1 RSA or EC (env WHARF_TLS_KEY). Reloaded when the file changes.")
  Path tlsKey;

  @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve HTTPS with the key and chain in this PKCS#12 file instead of --tls-cert/--tls-key (env WHARF_TLS_KEYSTORE). Reloaded when the file changes.")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", description = "Password of the --tls-keystore file (env WHARF_TLS_KEYSTORE_PASSWORD, which keeps it out of the process list). Never logged.")
  String tlsKeystorePassword;

  @Option(names = "--http-redirect-port", paramLabel = "PORT", description = "Also listen for plain HTTP on this port, answering only 308 redirects to the HTTPS URL (the --public-url host when set) (env WHARF_HTTP_REDIRECT_PORT; needs TLS).")
  Integer httpRedirectPort;

  @Option(names = "--trusted-proxies", paramLabel = "CIDR,…", split = ",", description = "Reverse proxies (IPv4/IPv6 addresses or CIDR blocks) whose X-Forwarded-For (the right-most address not in this list) and X-Forwarded-Proto name the caller's address and transport, for aws:SourceIp, aws:SecureTransport and the audit trail (env WHARF_TRUSTED_PROXIES). From any other address these headers are ignored.")
  java.util.List<String> trustedProxies;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Close a connection idle for this long (env WHARF_IDLE_TIMEOUT, default 30).")
  Long idleTimeout;

  @Option(names = "--request-header-timeout", paramLabel = "SECONDS", description = "Close a connection whose request line and headers (or TLS handshake) take longer than this to arrive, against slow-loris clients (env WHARF_REQUEST_HEADER_TIMEOUT, default 20).")
  Long requestHeaderTimeout;

  @Option(names = "--max-request-header-size", paramLabel = "BYTES", description = "Largest request line and headers; larger requests get 431 (env WHARF_MAX_REQUEST_HEADER_SIZE, default 16384).")
  Integer maxRequestHeaderSize;

  @Option(names = "--metrics-port", description = "Serve GET /metrics (Prometheus text format) on this port only, not on the main port (env WHARF_METRICS_PORT; default: /metrics on the main port).")
  Integer metricsPort;

  @Option(names = "--metrics-token", description = "Require Authorization: Bearer TOKEN for /metrics (env WHARF_METRICS_TOKEN, which keeps it out of the process list; at least 16 printable characters, e.g. openssl rand -hex 32). Default: /metrics is open. Never logged.")
  String metricsToken;

  @Option(names = "--audit-retention-days", paramLabel = "DAYS", description = "How many days audit events are kept; older ones are removed in the background, by one node of a cluster (env WHARF_AUDIT_RETENTION_DAYS, default 400; 0 keeps them forever).")
  Integer auditRetentionDays;

  @Option(names = "--limits", paramLabel = "default|codeartifact|none", description = {"Request limits preset"
      + " (env WHARF_LIMITS, default: default). default: 300 requests/s (burst 600) per address for requests"
      + " without a valid credential, and 64 uploads at once; authenticated requests are not limited."
      + " codeartifact: AWS CodeArtifact's published quotas (e.g. GetAuthorizationToken 40/s per account,"
      + " 1200/s per token, 600/s per address without a token), for testing pipelines against AWS's throttling."
      + " none: no limit. Limits are per node."})
  String limits;

  @Option(names = "--limit", paramLabel = "KEY=RATE", description = {"A request limit over the preset; repeatable"
      + " (env WHARF_LIMIT=KEY=RATE;KEY=RATE). KEY: anonymous (per address, requests without a valid credential),"
      + " address (per address, every request), token (per authorization token), access-key (per access key),"
      + " account-reads / account-writes (package reads / writes per AWS account), operation:NAME (an AWS"
      + " operation per calling account), or uploads=N (uploads at once). RATE: 50/s, 600/min or 50/s,burst=100;"
      + " or off. E.g. --limit token=50/s,burst=100 --limit operation:GetAuthorizationToken=40/s.",
      "Over a limit: ThrottlingException (429) for CodeArtifact, Throttling for IAM and STS, 429 with Retry-After"
      + " for package clients."})
  java.util.List<String> limitEntries;

  @Option(names = "--config", description = "A properties file of settings, each named as its flag without the dashes (e.g. port=8443, tls-cert=/etc/wharf/cert.pem, external-connections=NAME=URL,NAME=URL, limit=KEY=RATE;KEY=RATE); flags and WHARF_* variables win over it.")
  Path configFile;

  /**
   * The server's settings before its flags: the WHARF_* environment variables, then the --config
   * file when there is one. The offline admin commands start from the same.
   */
  static WharfConfig.Builder settings(Path configFile) {
    WharfConfig.Builder builder = WharfConfig.builder().environment(System.getenv());
    if (configFile != null) {
      builder.configFile(configFile);
    }
    return builder;
  }

  @Override
  public Integer call() throws Exception {
    WharfConfig config;
    try {
      config = settings(configFile).flag("port", port).flag("data", data).flag("region", region).flag("database-url", databaseUrl)
          .flag("public-url", publicUrl).flag("bind", bind).flag("max-asset-size", maxAssetSize)
          .flag("blob-store", blobStore).flag("s3-endpoint", s3Endpoint).flag("s3-path-style", s3PathStyle)
          .flag("s3-region", s3Region).flag("blob-gc-grace-seconds", blobGcGraceSeconds)
          .flag("external-connections", externalConnections == null ? null : String.join(",", externalConnections))
          .flag("external-metadata-ttl", externalMetadataTtl).flag("external-timeout", externalTimeout)
          .flag("audit-reads", auditReads)
          .flag("shutdown-grace", shutdownGrace).flag("shutdown-delay", shutdownDelay)
          .flag("log-format", logFormat).flag("access-log", accessLog)
          .flag("tls-cert", tlsCert).flag("tls-key", tlsKey).flag("tls-keystore", tlsKeystore)
          .flag("tls-keystore-password", tlsKeystorePassword).flag("http-redirect-port", httpRedirectPort)
          .flag("trusted-proxies", trustedProxies == null ? null : String.join(",", trustedProxies))
          .flag("idle-timeout", idleTimeout).flag("request-header-timeout", requestHeaderTimeout)
          .flag("max-request-header-size", maxRequestHeaderSize)
          .flag("metrics-port", metricsPort).flag("metrics-token", metricsToken)
          .flag("audit-retention-days", auditRetentionDays).flag("limits", limits)
          .flag("limit", limitEntries == null ? null : String.join(";", limitEntries)).build();
    } catch (WharfConfig.ConfigException e) {
      System.err.println("wharf: " + e.getMessage());
      return 2;
    }
    Logging.configure(config.logFormat());
    long started = System.nanoTime();
    WharfServer server;
    try {
      server = WharfServer.start(config, Clock.systemUTC());
    } catch (IllegalStateException e) {
      System.err.println("wharf: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Shutting down");
      server.close();
      LOG.info("Stopped");
      Logging.flush();
      stopped.countDown();
    }, "wharf-shutdown"));
    server.firstStart().ifPresent(first -> {
      String endpoint = server.baseUri().toString();
      String created = "First start: created account " + first.accountId() + " and its root access key "
          + first.accessKeyId() + ".";
      String where = "The key is in " + first.credentialsFile() + " (mode 0600); it is not shown again.";
      String example = "AWS_SHARED_CREDENTIALS_FILE=" + first.credentialsFile() + " AWS_CONFIG_FILE="
          + first.configFile() + " aws --endpoint-url " + endpoint + " sts get-caller-identity";
      if (config.logFormat() == WharfConfig.LogFormat.JSON) {
        // a log pipeline reads every line as JSON
        LOG.info("{} {} Try: {}", created, where, example);
        return;
      }
      System.out.println();
      System.out.println(created);
      System.out.println(where + " Try:");
      System.out.println();
      System.out.println("  " + example);
      System.out.println();
    });
    LOG.info("Wharf ready at {} (region {}, data {}, started in {} ms)", server.baseUri(), config.region(),
        config.dataDirectory().toAbsolutePath().normalize(), (System.nanoTime() - started) / 1_000_000);
    LOG.info("Request limits (per node): {}", config.limits().describe());
    stopped.await();
    return 0;
  }
}
