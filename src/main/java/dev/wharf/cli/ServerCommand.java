package dev.wharf.cli;

import dev.wharf.config.WharfConfig;
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

  @Option(names = "--public-url", description = "Base URL clients reach the server at, when a proxy fronts it (env WHARF_PUBLIC_URL).")
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

  @Option(names = "--config", description = "A properties file with any of: port, data, region, database-url, public-url, bind, max-asset-size, blob-store, s3-endpoint, s3-path-style, s3-region, blob-gc-grace-seconds, external-connections, external-metadata-ttl, external-timeout, audit-reads, limits, limit (KEY=RATE;KEY=RATE).")
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
          .flag("audit-reads", auditReads).flag("limits", limits)
          .flag("limit", limitEntries == null ? null : String.join(";", limitEntries)).build();
    } catch (WharfConfig.ConfigException e) {
      System.err.println("wharf: " + e.getMessage());
      return 2;
    }
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
      stopped.countDown();
    }, "wharf-shutdown"));
    server.firstStart().ifPresent(first -> {
      String endpoint = server.baseUri().toString();
      System.out.println();
      System.out.println("First start: created account " + first.accountId() + " and its root access key "
          + first.accessKeyId() + ".");
      System.out.println("The key is in " + first.credentialsFile() + " (mode 0600); it is not shown again. Try:");
      System.out.println();
      System.out.println("  AWS_SHARED_CREDENTIALS_FILE=" + first.credentialsFile() + " AWS_CONFIG_FILE="
          + first.configFile() + " aws --endpoint-url " + endpoint + " sts get-caller-identity");
      System.out.println();
    });
    LOG.info("Wharf ready at {} (region {}, data {}, started in {} ms)", server.baseUri(), config.region(),
        config.dataDirectory().toAbsolutePath().normalize(), (System.nanoTime() - started) / 1_000_000);
    LOG.info("Request limits (per node): {}", config.limits().describe());
    stopped.await();
    return 0;
  }
}
