package dev.wharf.config;

import dev.wharf.limits.LimitSettings;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's settings, immutable and validated at start-up. Each setting is read from, in order
 * of precedence: a command-line flag, an environment variable, the config file, the default.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>flag</th><th>environment</th><th>default</th></tr>
 *   <tr><td>port</td><td>--port</td><td>WHARF_PORT</td><td>8080</td></tr>
 *   <tr><td>data</td><td>--data</td><td>WHARF_DATA</td><td>./wharf-data</td></tr>
 *   <tr><td>region</td><td>--region</td><td>WHARF_REGION</td><td>us-east-1</td></tr>
 *   <tr><td>database-url</td><td>--database-url</td><td>WHARF_DATABASE_URL</td><td>SQLite file in the data directory</td></tr>
 *   <tr><td>public-url</td><td>--public-url</td><td>WHARF_PUBLIC_URL</td><td>http://localhost:PORT</td></tr>
 *   <tr><td>bind</td><td>--bind</td><td>WHARF_BIND</td><td>0.0.0.0</td></tr>
 *   <tr><td>max-asset-size</td><td>--max-asset-size</td><td>WHARF_MAX_ASSET_SIZE</td><td>268435456 (256 MiB)</td></tr>
 *   <tr><td>account-id</td><td>(none)</td><td>WHARF_ACCOUNT_ID</td><td>random, first start only</td></tr>
 *   <tr><td>master-key</td><td>(none)</td><td>WHARF_MASTER_KEY</td><td>data/master.key, created 0600</td></tr>
 *   <tr><td>blob-store</td><td>--blob-store</td><td>WHARF_BLOB_STORE</td><td>files under data/blobs; or s3://bucket/prefix</td></tr>
 *   <tr><td>s3-endpoint</td><td>--s3-endpoint</td><td>WHARF_S3_ENDPOINT</td><td>AWS's endpoint for the region</td></tr>
 *   <tr><td>s3-path-style</td><td>--s3-path-style</td><td>WHARF_S3_PATH_STYLE</td><td>false (virtual-host style)</td></tr>
 *   <tr><td>s3-region</td><td>--s3-region</td><td>WHARF_S3_REGION</td><td>the server's region</td></tr>
 *   <tr><td>blob-gc-grace-seconds</td><td>--blob-gc-grace-seconds</td><td>WHARF_BLOB_GC_GRACE_SECONDS</td><td>3600</td></tr>
 *   <tr><td>external-connections</td><td>--external-connection NAME=URL (repeatable)</td><td>WHARF_EXTERNAL_CONNECTIONS
 *       (NAME=URL,NAME=URL)</td><td>none: no repository reaches outside the server</td></tr>
 *   <tr><td>external-metadata-ttl</td><td>--external-metadata-ttl</td><td>WHARF_EXTERNAL_METADATA_TTL</td><td>300 (seconds)</td></tr>
 *   <tr><td>external-timeout</td><td>--external-timeout</td><td>WHARF_EXTERNAL_TIMEOUT</td><td>30 (seconds)</td></tr>
 *   <tr><td>audit-reads</td><td>--audit-reads</td><td>WHARF_AUDIT_READS</td><td>per-minute (or each)</td></tr>
 *   <tr><td>shutdown-grace</td><td>--shutdown-grace</td><td>WHARF_SHUTDOWN_GRACE</td><td>25 (seconds)</td></tr>
 *   <tr><td>shutdown-delay</td><td>--shutdown-delay</td><td>WHARF_SHUTDOWN_DELAY</td><td>0 (seconds)</td></tr>
 *   <tr><td>log-format</td><td>--log-format</td><td>WHARF_LOG_FORMAT</td><td>text (or json)</td></tr>
 *   <tr><td>access-log</td><td>--access-log</td><td>WHARF_ACCESS_LOG</td><td>false</td></tr>
 *   <tr><td>tls-cert, tls-key</td><td>--tls-cert, --tls-key</td><td>WHARF_TLS_CERT, WHARF_TLS_KEY</td><td>none: plain HTTP</td></tr>
 *   <tr><td>tls-keystore, tls-keystore-password</td><td>--tls-keystore, --tls-keystore-password</td>
 *       <td>WHARF_TLS_KEYSTORE, WHARF_TLS_KEYSTORE_PASSWORD</td><td>none</td></tr>
 *   <tr><td>http-redirect-port</td><td>--http-redirect-port</td><td>WHARF_HTTP_REDIRECT_PORT</td><td>none</td></tr>
 *   <tr><td>trusted-proxies</td><td>--trusted-proxies CIDR,…</td><td>WHARF_TRUSTED_PROXIES</td><td>none</td></tr>
 *   <tr><td>idle-timeout</td><td>--idle-timeout</td><td>WHARF_IDLE_TIMEOUT</td><td>30 (seconds)</td></tr>
 *   <tr><td>request-header-timeout</td><td>--request-header-timeout</td><td>WHARF_REQUEST_HEADER_TIMEOUT</td><td>20 (seconds)</td></tr>
 *   <tr><td>max-request-header-size</td><td>--max-request-header-size</td><td>WHARF_MAX_REQUEST_HEADER_SIZE</td><td>16384 (bytes)</td></tr>
 *   <tr><td>metrics-port</td><td>--metrics-port</td><td>WHARF_METRICS_PORT</td><td>none: /metrics on the main port</td></tr>
 *   <tr><td>metrics-token</td><td>--metrics-token</td><td>WHARF_METRICS_TOKEN</td><td>none: /metrics needs no token</td></tr>
 *   <tr><td>audit-retention-days</td><td>--audit-retention-days</td><td>WHARF_AUDIT_RETENTION_DAYS</td><td>400 (0: keep
 *       forever)</td></tr>
 *   <tr><td>limits</td><td>--limits</td><td>WHARF_LIMITS</td><td>default (or codeartifact, none)</td></tr>
 *   <tr><td>limit</td><td>--limit KEY=RATE (repeatable)</td><td>WHARF_LIMIT (KEY=RATE;KEY=RATE)</td><td>none over
 *       the preset</td></tr>
 * </table>
 */
public record WharfConfig(
    int port,
    Path dataDirectory,
    String region,
    Optional<String> databaseUrl,
    Optional<String> publicUrl,
    String bindAddress,
    long maxAssetBytes,
    Optional<String> bootstrapAccountId,
    Optional<String> masterKey,
    Optional<String> blobStore,
    Optional<String> s3Endpoint,
    boolean s3PathStyle,
    Optional<String> s3Region,
    long blobGcGraceSeconds,
    Map<String, URI> externalConnections,
    java.time.Duration externalMetadataTtl,
    java.time.Duration externalTimeout,
    AuditReads auditReads,
    java.time.Duration shutdownGrace,
    java.time.Duration shutdownDelay,
    LogFormat logFormat,
    boolean accessLog,
    TransportConfig transport,
    OptionalInt metricsPort,
    Optional<Secret> metricsToken,
    int auditRetentionDays,
    LimitSettings limits) {

  /** How log lines are written: for people, or as one JSON object per line for a log pipeline. */
  public enum LogFormat {
    TEXT,
    JSON
  }

  /** A setting that must never be shown: its {@code toString} hides the value (the record's own would print it). */
  public record Secret(String value) {
    public Secret {
      java.util.Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
      return "(secret)";
    }
  }

  /** The shortest bearer token /metrics accepts: a guessable one would protect nothing. */
  public static final int MIN_METRICS_TOKEN_LENGTH = 16;

  /** How allowed package reads enter the audit trail. */
  public enum AuditReads {
    /** Counted per token, package, source address and minute: a busy registry writes a row per key, not per read. */
    PER_MINUTE,
    /** One event each, like every other request. */
    EACH
  }

  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_DATA = "wharf-data";
  public static final String DEFAULT_REGION = "us-east-1";
  public static final String DEFAULT_BIND = "0.0.0.0";
  /** The largest package file (npm tarball, wheel, jar…) accepted by default. */
  public static final long DEFAULT_MAX_ASSET_BYTES = 256L * 1024 * 1024;
  /** How old an unreferenced blob must be before the collector deletes it: longer than any upload plus commit. */
  public static final long DEFAULT_BLOB_GC_GRACE_SECONDS = 3600;

  /**
   * How many days audit events are kept by default: over a year, so that a yearly review still finds the
   * same month of last year.
   */
  public static final int DEFAULT_AUDIT_RETENTION_DAYS = 400;
  /** The longest retention that is not "forever" (about 100 years). */
  public static final int MAX_AUDIT_RETENTION_DAYS = 36_500;

  /** Every setting name the config file may hold. */
  public static final Set<String> SETTING_NAMES = Set.of("port", "data", "region", "database-url", "public-url", "bind",
      "max-asset-size", "blob-store", "s3-endpoint", "s3-path-style", "s3-region", "blob-gc-grace-seconds",
      "external-connections", "external-metadata-ttl", "external-timeout", "audit-reads", "shutdown-grace", "shutdown-delay",
      "log-format", "access-log",
      "tls-cert", "tls-key", "tls-keystore", "tls-keystore-password", "http-redirect-port", "trusted-proxies",
      "idle-timeout", "request-header-timeout", "max-request-header-size", "metrics-port", "metrics-token",
      "audit-retention-days", "limits", "limit");
  public static final long DEFAULT_EXTERNAL_METADATA_TTL_SECONDS = 300;
  public static final long DEFAULT_EXTERNAL_TIMEOUT_SECONDS = 30;
  /** How long a stopping server lets requests in flight finish: within the 30 s Kubernetes gives a pod by default. */
  public static final long DEFAULT_SHUTDOWN_GRACE_SECONDS = 25;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");

  public WharfConfig {
    if (port < 0 || port > 65535) {
      throw new ConfigException("port must be between 0 and 65535, got " + port);
    }
    if (maxAssetBytes < 1) {
      throw new ConfigException("max-asset-size must be a positive number of bytes, got " + maxAssetBytes);
    }
    requireRegion("region", region);
    databaseUrl.ifPresent(url -> {
      if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
        throw new ConfigException("database-url must start with jdbc:sqlite: or jdbc:postgresql:, got " + url);
      }
    });
    publicUrl.ifPresent(url -> requireHttpUrl("public-url", url));
    blobStore.ifPresent(url -> {
      if (!url.startsWith("s3://") || !url.substring(5).matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^/\\p{Cntrl}]+)*/?")) {
        throw new ConfigException("blob-store must be s3://bucket or s3://bucket/prefix (unset for files in the data"
            + " directory), got " + url);
      }
    });
    s3Endpoint.ifPresent(url -> requireHttpUrl("s3-endpoint", url));
    s3Region.ifPresent(name -> requireRegion("s3-region", name));
    if (blobGcGraceSeconds < 60) {
      throw new ConfigException("blob-gc-grace-seconds must be at least 60, got " + blobGcGraceSeconds);
    }
    java.util.Objects.requireNonNull(auditReads, "auditReads");
    java.util.Objects.requireNonNull(logFormat, "logFormat");
    if (shutdownGrace.isNegative()) {
      throw new ConfigException("shutdown-grace must be 0 or more seconds, got " + shutdownGrace.toSeconds());
    }
    if (shutdownDelay.isNegative()) {
      throw new ConfigException("shutdown-delay must be 0 or more seconds, got " + shutdownDelay.toSeconds());
    }
    java.util.Objects.requireNonNull(transport, "transport");
    java.util.Objects.requireNonNull(metricsPort, "metricsPort");
    metricsPort.ifPresent(metrics -> {
      if (metrics < 0 || metrics > 65535) {
        throw new ConfigException("metrics-port must be between 0 and 65535, got " + metrics);
      }
      if (metrics != 0 && metrics == port) {
        throw new ConfigException("metrics-port must differ from port (" + port + "); leave it unset to serve /metrics"
            + " on the main port");
      }
    });
    metricsToken.ifPresent(token -> {
      // the message never shows the value
      if (token.value().length() < MIN_METRICS_TOKEN_LENGTH || !token.value().matches("[\\x21-\\x7e]+")) {
        throw new ConfigException("metrics-token must be at least " + MIN_METRICS_TOKEN_LENGTH
            + " printable characters without spaces (e.g. from openssl rand -hex 32)");
      }
    });
    if (auditRetentionDays < 0 || auditRetentionDays > MAX_AUDIT_RETENTION_DAYS) {
      throw new ConfigException("audit-retention-days must be between 0 (keep forever) and " + MAX_AUDIT_RETENTION_DAYS
          + ", got " + auditRetentionDays);
    }
    java.util.Objects.requireNonNull(limits, "limits");
    externalConnections = Map.copyOf(externalConnections);
    externalConnections.forEach((name, url) -> {
      if (!isHttpWithHost(url)) {
        throw new ConfigException("external-connections: " + name + " must map to an http(s) URL with a host, got " + url);
      }
    });
    if (externalMetadataTtl.isNegative()) {
      throw new ConfigException("external-metadata-ttl must be 0 or more seconds, got " + externalMetadataTtl.toSeconds());
    }
    if (externalTimeout.isNegative() || externalTimeout.isZero()) {
      throw new ConfigException("external-timeout must be a positive number of seconds, got " + externalTimeout.toSeconds());
    }
    bootstrapAccountId.ifPresent(id -> {
      if (!ACCOUNT_ID.matcher(id).matches()) {
        throw new ConfigException("WHARF_ACCOUNT_ID must be 12 digits, got " + id);
      }
    });
  }

  private static void requireRegion(String setting, String name) {
    if (!REGION.matcher(name).matches()) {
      throw new ConfigException(setting + " '" + name + "' is not an AWS-style region name such as us-east-1");
    }
  }

  private static void requireHttpUrl(String setting, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + " is not a URL: " + url);
    }
    if (!isHttpWithHost(uri)) {
      throw new ConfigException(setting + " must be an http(s) URL with a host, got " + url);
    }
  }

  private static boolean isHttpWithHost(URI uri) {
    return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
  }

  /** The SQLite database file used when no database URL is set. */
  public String effectiveDatabaseUrl() {
    return databaseUrl.orElse("jdbc:sqlite:" + dataDirectory.resolve("wharf.db"));
  }

  /** The region of the S3 bucket: s3-region, else the server's region. */
  public String effectiveS3Region() {
    return s3Region.orElse(region);
  }

  /** Defaults everywhere (tests override what they need). */
  public static WharfConfig defaults() {
    return new Builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects settings from flags, environment and a config file, then validates them. */
  public static final class Builder {
    private final Map<String, String> flags = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();
    private Map<String, String> file = Map.of();

    public Builder flag(String name, Object value) {
      requireKnown(name);
      if (value != null) {
        flags.put(name, value.toString());
      }
      return this;
    }

    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Reads a Java properties file whose keys are setting names; unknown keys are refused. */
    public Builder configFile(Path path) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(path)) {
        properties.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + path + ": " + e.getMessage());
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String name : properties.stringPropertyNames()) {
        if (!SETTING_NAMES.contains(name)) {
          throw new ConfigException("config file " + path + ": unknown setting '" + name + "' (known: "
              + String.join(", ", SETTING_NAMES.stream().sorted().toList()) + ")");
        }
        values.put(name, properties.getProperty(name).trim());
      }
      this.file = values;
      return this;
    }

    private static void requireKnown(String name) {
      if (!SETTING_NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown setting " + name);
      }
    }

    private Optional<String> lookup(String name) {
      if (flags.containsKey(name)) {
        return Optional.of(flags.get(name));
      }
      String env = environment.get("WHARF_" + name.toUpperCase().replace('-', '_'));
      if (env != null && !env.isBlank()) {
        return Optional.of(env.trim());
      }
      return Optional.ofNullable(file.get(name));
    }

    public WharfConfig build() {
      int port = lookup("port").map(value -> {
        try {
          return Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new ConfigException("port must be a number, got '" + value + "'");
        }
      }).orElse(DEFAULT_PORT);
      Path data = Path.of(lookup("data").orElse(DEFAULT_DATA));
      long maxAsset = number("max-asset-size", "bytes", DEFAULT_MAX_ASSET_BYTES);
      long grace = number("blob-gc-grace-seconds", "seconds", DEFAULT_BLOB_GC_GRACE_SECONDS);
      boolean pathStyle = bool("s3-path-style", false);
      return new WharfConfig(
          port,
          data,
          lookup("region").orElse(DEFAULT_REGION),
          lookup("database-url"),
          lookup("public-url").map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
          lookup("bind").orElse(DEFAULT_BIND),
          maxAsset,
          Optional.ofNullable(environment.get("WHARF_ACCOUNT_ID")).filter(v -> !v.isBlank()),
          Optional.ofNullable(environment.get("WHARF_MASTER_KEY")).filter(v -> !v.isBlank()),
          lookup("blob-store"),
          lookup("s3-endpoint"),
          pathStyle,
          lookup("s3-region"),
          grace,
          externalConnections(lookup("external-connections").orElse("")),
          java.time.Duration.ofSeconds(number("external-metadata-ttl", "seconds", DEFAULT_EXTERNAL_METADATA_TTL_SECONDS)),
          java.time.Duration.ofSeconds(number("external-timeout", "seconds", DEFAULT_EXTERNAL_TIMEOUT_SECONDS)),
          lookup("audit-reads").map(value -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "per-minute" -> AuditReads.PER_MINUTE;
            case "each" -> AuditReads.EACH;
            default -> throw new ConfigException("audit-reads must be per-minute or each, got '" + value + "'");
          }).orElse(AuditReads.PER_MINUTE),
          java.time.Duration.ofSeconds(number("shutdown-grace", "seconds", DEFAULT_SHUTDOWN_GRACE_SECONDS)),
          java.time.Duration.ofSeconds(number("shutdown-delay", "seconds", 0)),
          lookup("log-format").map(value -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new ConfigException("log-format must be text or json, got '" + value + "'");
          }).orElse(LogFormat.TEXT),
          bool("access-log", false),
          transport(),
          lookup("metrics-port").map(value -> {
            try {
              return OptionalInt.of(Integer.parseInt(value));
            } catch (NumberFormatException e) {
              throw new ConfigException("metrics-port must be a number, got '" + value + "'");
            }
          }).orElse(OptionalInt.empty()),
          lookup("metrics-token").map(Secret::new),
          (int) Math.max(-1, Math.min(Integer.MAX_VALUE,
              number("audit-retention-days", "days", DEFAULT_AUDIT_RETENTION_DAYS))),
          limits());
    }

    /** A true/false setting. */
    private boolean bool(String name, boolean fallback) {
      return lookup(name).map(value -> switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new ConfigException(name + " must be true or false, got '" + value + "'");
      }).orElse(fallback);
    }

    private TransportConfig transport() {
      Optional<Path> certificate = lookup("tls-cert").map(Path::of);
      Optional<Path> key = lookup("tls-key").map(Path::of);
      Optional<Path> keyStore = lookup("tls-keystore").map(Path::of);
      Optional<String> password = lookup("tls-keystore-password");
      Optional<TransportConfig.Tls> tls = certificate.isPresent() || key.isPresent() || keyStore.isPresent()
          || password.isPresent() ? Optional.of(new TransportConfig.Tls(certificate, key, keyStore, password))
          : Optional.empty();
      Optional<Integer> redirectPort = lookup("http-redirect-port").map(value -> {
        try {
          return Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new ConfigException("http-redirect-port must be a number, got '" + value + "'");
        }
      });
      java.util.List<String> proxies = java.util.Arrays.stream(lookup("trusted-proxies").orElse("").split(","))
          .map(String::trim).filter(block -> !block.isEmpty()).toList();
      long headerBytes = number("max-request-header-size", "bytes", TransportConfig.DEFAULT_MAX_REQUEST_HEADER_BYTES);
      return new TransportConfig(tls, redirectPort, proxies,
          java.time.Duration.ofSeconds(number("idle-timeout", "seconds", TransportConfig.DEFAULT_IDLE_TIMEOUT.toSeconds())),
          java.time.Duration.ofSeconds(number("request-header-timeout", "seconds",
              TransportConfig.DEFAULT_REQUEST_HEADER_TIMEOUT.toSeconds())),
          (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, headerBytes)));
    }

    /** The limits preset with the limit entries over it (KEY=RATE entries separated by ';'). */
    private LimitSettings limits() {
      String preset = lookup("limits").orElse(LimitSettings.DEFAULT_PRESET);
      try {
        return LimitSettings.parse(preset, lookup("limit").map(java.util.List::of).orElse(java.util.List.of()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException((e.getMessage().startsWith("unknown preset") ? "limits: " : "limit: ")
            + e.getMessage());
      }
    }

    /** A whole-number setting in {@code unit} (named in the message when the value is not a number). */
    private long number(String name, String unit, long fallback) {
      return lookup(name).map(value -> {
        try {
          return Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new ConfigException(name + " must be a number of " + unit + ", got '" + value + "'");
        }
      }).orElse(fallback);
    }

    /** NAME=URL pairs separated by commas; each name once. */
    private static Map<String, URI> externalConnections(String value) {
      Map<String, URI> out = new LinkedHashMap<>();
      for (String pair : value.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals < 1) {
          throw new ConfigException("external-connections: '" + pair.trim() + "' is not NAME=URL (e.g. public:npmjs=https://registry.npmjs.org)");
        }
        String name = pair.substring(0, equals).trim();
        String url = pair.substring(equals + 1).trim();
        URI uri;
        try {
          uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
          throw new ConfigException("external-connections: " + name + " maps to something that is not a URL: " + url);
        }
        if (out.put(name, uri) != null) {
          throw new ConfigException("external-connections: " + name + " is given twice");
        }
      }
      return out;
    }
  }

  /** A setting is missing or wrong; the message names it. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
