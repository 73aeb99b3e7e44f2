package dev.wharf.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WharfConfigTest {
  @TempDir Path directory;

  @Test
  void everyDefaultIsPinned() {
    WharfConfig config = WharfConfig.defaults();
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dataDirectory()).isEqualTo(Path.of("wharf-data"));
    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.effectiveDatabaseUrl()).isEqualTo("jdbc:sqlite:" + Path.of("wharf-data", "wharf.db"));
    assertThat(config.publicUrl()).isEmpty();
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.maxAssetBytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(config.bootstrapAccountId()).isEmpty();
    assertThat(config.masterKey()).isEmpty();
    assertThat(config.externalConnections()).as("nothing reaches outside unless configured").isEmpty();
    assertThat(config.externalMetadataTtl()).isEqualTo(java.time.Duration.ofSeconds(300));
    assertThat(config.externalTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(config.blobStore()).isEmpty();
    assertThat(config.s3Endpoint()).isEmpty();
    assertThat(config.s3PathStyle()).isFalse();
    assertThat(config.s3Region()).isEmpty();
    assertThat(config.effectiveS3Region()).isEqualTo("us-east-1");
    assertThat(config.blobGcGraceSeconds()).isEqualTo(3600);
    assertThat(config.limits()).isEqualTo(dev.wharf.limits.LimitSettings.defaults());
  }

  @Test
  void limitsComeFromAPresetWithEntriesFromFlagEnvironmentOrFile() throws Exception {
    Path file = directory.resolve("limits.properties");
    Files.writeString(file, "limits=codeartifact\nlimit=token=50/s,burst=100;operation:GetAuthorizationToken=2/s\n");
    WharfConfig fromFile = WharfConfig.builder().configFile(file).build();
    assertThat(fromFile.limits().preset()).isEqualTo("codeartifact");
    assertThat(fromFile.limits().rate(dev.wharf.limits.LimitSettings.Scope.TOKEN))
        .contains(dev.wharf.limits.Rate.perSecond(50, 100));
    assertThat(fromFile.limits().operations().get("GetAuthorizationToken")).isEqualTo(dev.wharf.limits.Rate.perSecond(2));

    WharfConfig fromEnvironment = WharfConfig.builder().configFile(file)
        .environment(Map.of("WHARF_LIMITS", "none", "WHARF_LIMIT", "uploads=4")).build();
    assertThat(fromEnvironment.limits().preset()).isEqualTo("none");
    assertThat(fromEnvironment.limits().uploads()).isEqualTo(4);
    assertThat(fromEnvironment.limits().operations()).isEmpty();

    WharfConfig fromFlags = WharfConfig.builder().environment(Map.of("WHARF_LIMIT", "uploads=4"))
        .flag("limit", "anonymous=off;address=100/s").build();
    assertThat(fromFlags.limits().rates()).containsOnlyKeys(dev.wharf.limits.LimitSettings.Scope.ADDRESS);
    assertThat(fromFlags.limits().uploads()).isEqualTo(64);

    assertThatThrownBy(() -> WharfConfig.builder().flag("limits", "aws").build())
        .isInstanceOf(WharfConfig.ConfigException.class).hasMessageStartingWith("limits: unknown preset 'aws'");
    assertThatThrownBy(() -> WharfConfig.builder().flag("limit", "token=lots").build())
        .isInstanceOf(WharfConfig.ConfigException.class).hasMessageStartingWith("limit: 'token=lots'");
  }

  @Test
  void externalConnectionsAreNameUrlPairs() {
    WharfConfig config = WharfConfig.builder().environment(Map.of("WHARF_EXTERNAL_CONNECTIONS",
        "public:npmjs=http://127.0.0.1:1/npm/, public:pypi=https://pypi.example.com")).build();
    assertThat(config.externalConnections()).containsEntry("public:npmjs", java.net.URI.create("http://127.0.0.1:1/npm"))
        .containsEntry("public:pypi", java.net.URI.create("https://pypi.example.com")).hasSize(2);
    assertThatThrownBy(() -> WharfConfig.builder().flag("external-connections", "public:npmjs").build())
        .hasMessageContaining("external-connections");
    assertThatThrownBy(() -> WharfConfig.builder().flag("external-connections", "public:npmjs=ftp://x").build())
        .hasMessageContaining("public:npmjs");
    assertThatThrownBy(() -> WharfConfig.builder().flag("external-timeout", "0").build())
        .hasMessageContaining("external-timeout");
  }

  @Test
  void theS3BlobStoreIsConfiguredByFlagEnvironmentOrFile() throws Exception {
    Path file = directory.resolve("wharf.properties");
    Files.writeString(file, "blob-store=s3://from-file/prefix\ns3-path-style=true\nblob-gc-grace-seconds=7200\n");
    WharfConfig config = WharfConfig.builder()
        .configFile(file)
        .environment(Map.of("WHARF_S3_ENDPOINT", "http://127.0.0.1:9000", "WHARF_REGION", "eu-west-1"))
        .build();
    assertThat(config.blobStore()).contains("s3://from-file/prefix");
    assertThat(config.s3Endpoint()).contains("http://127.0.0.1:9000");
    assertThat(config.s3PathStyle()).isTrue();
    assertThat(config.effectiveS3Region()).isEqualTo("eu-west-1");
    assertThat(config.blobGcGraceSeconds()).isEqualTo(7200);

    WharfConfig flagged = WharfConfig.builder().configFile(file)
        .environment(Map.of("WHARF_BLOB_STORE", "s3://from-env", "WHARF_S3_PATH_STYLE", "false", "WHARF_S3_REGION", "eu-north-1"))
        .flag("blob-store", "s3://from-flag/a/b").build();
    assertThat(flagged.blobStore()).contains("s3://from-flag/a/b");
    assertThat(flagged.s3PathStyle()).isFalse();
    assertThat(flagged.effectiveS3Region()).isEqualTo("eu-north-1");
  }

  @Test
  void badS3SettingsAreRefusedWithTheirName() {
    for (String bad : new String[] {"bucket", "file:///x", "s3://", "s3://UPPER", "s3://b", "s3://bucket//x"}) {
      assertThatThrownBy(() -> WharfConfig.builder().flag("blob-store", bad).build()).as(bad).hasMessageContaining("blob-store");
    }
    assertThatThrownBy(() -> WharfConfig.builder().flag("s3-endpoint", "localhost:9000").build()).hasMessageContaining("s3-endpoint");
    assertThatThrownBy(() -> WharfConfig.builder().flag("s3-path-style", "maybe").build()).hasMessageContaining("s3-path-style");
    assertThatThrownBy(() -> WharfConfig.builder().flag("s3-region", "moon").build()).hasMessageContaining("s3-region");
    assertThatThrownBy(() -> WharfConfig.builder().flag("blob-gc-grace-seconds", 5).build())
        .hasMessageContaining("blob-gc-grace-seconds");
    assertThatThrownBy(() -> WharfConfig.builder().flag("blob-gc-grace-seconds", "hour").build())
        .hasMessageContaining("blob-gc-grace-seconds");
  }

  @Test
  void everySettingNameIsPinned() {
    assertThat(WharfConfig.SETTING_NAMES)
        .containsExactlyInAnyOrder("port", "data", "region", "database-url", "public-url", "bind", "max-asset-size",
            "blob-store", "s3-endpoint", "s3-path-style", "s3-region", "blob-gc-grace-seconds",
            "external-connections", "external-metadata-ttl", "external-timeout", "audit-reads", "shutdown-grace",
            "shutdown-delay", "log-format", "access-log",
            "tls-cert", "tls-key", "tls-keystore", "tls-keystore-password", "http-redirect-port", "trusted-proxies",
            "idle-timeout", "request-header-timeout", "max-request-header-size", "metrics-port", "metrics-token",
            "audit-retention-days", "limits", "limit");
  }

  @Test
  void stoppingLoggingAndAccessLinesHaveDefaultsAndRefuseNonsense() {
    WharfConfig defaults = WharfConfig.defaults();
    assertThat(defaults.shutdownGrace()).hasSeconds(25);
    assertThat(defaults.shutdownDelay()).isZero();
    assertThat(defaults.logFormat()).isEqualTo(WharfConfig.LogFormat.TEXT);
    assertThat(defaults.accessLog()).isFalse();
    WharfConfig set = WharfConfig.builder().environment(Map.of("WHARF_LOG_FORMAT", "JSON", "WHARF_ACCESS_LOG", "on"))
        .flag("shutdown-grace", 3).flag("shutdown-delay", 5).build();
    assertThat(set.logFormat()).isEqualTo(WharfConfig.LogFormat.JSON);
    assertThat(set.accessLog()).isTrue();
    assertThat(set.shutdownGrace()).hasSeconds(3);
    assertThat(set.shutdownDelay()).hasSeconds(5);
    assertThatThrownBy(() -> WharfConfig.builder().flag("log-format", "xml").build())
        .isInstanceOf(WharfConfig.ConfigException.class).hasMessageContaining("log-format must be text or json");
    assertThatThrownBy(() -> WharfConfig.builder().flag("access-log", "maybe").build())
        .isInstanceOf(WharfConfig.ConfigException.class).hasMessageContaining("access-log must be true or false");
    assertThatThrownBy(() -> WharfConfig.builder().flag("shutdown-grace", -1).build())
        .isInstanceOf(WharfConfig.ConfigException.class).hasMessageContaining("shutdown-grace");
  }

  @Test
  void transportDefaultsArePlainHttpWithConnectionLimits() {
    TransportConfig transport = WharfConfig.defaults().transport();
    assertThat(transport.tls()).isEmpty();
    assertThat(transport.httpRedirectPort()).isEmpty();
    assertThat(transport.trustedProxies()).isEmpty();
    assertThat(transport.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(transport.requestHeaderTimeout()).isEqualTo(java.time.Duration.ofSeconds(20));
    assertThat(transport.maxRequestHeaderBytes()).isEqualTo(16384);
  }

  @Test
  void tlsAndProxiesComeFromFlagEnvironmentOrFile() throws Exception {
    Path file = directory.resolve("tls.properties");
    Files.writeString(file, "tls-keystore=/etc/wharf/server.p12\ntls-keystore-password=from-file\n"
        + "trusted-proxies=10.0.0.0/8, 2001:db8::/32\nhttp-redirect-port=80\n");
    WharfConfig config = WharfConfig.builder().configFile(file)
        .environment(Map.of("WHARF_TLS_KEYSTORE_PASSWORD", "from-env", "WHARF_IDLE_TIMEOUT", "60")).build();
    assertThat(config.transport().tls().orElseThrow().keyStore()).contains(Path.of("/etc/wharf/server.p12"));
    assertThat(config.transport().tls().orElseThrow().keyStorePassword()).contains("from-env");
    assertThat(config.transport().tls().orElseThrow().toString()).doesNotContain("from-env");
    assertThat(config.transport().trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32");
    assertThat(config.transport().httpRedirectPort()).contains(80);
    assertThat(config.transport().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
    WharfConfig pem = WharfConfig.builder().flag("tls-cert", "/c.pem").flag("tls-key", "/k.pem").build();
    assertThat(pem.transport().tls().orElseThrow().files()).containsExactly(Path.of("/c.pem"), Path.of("/k.pem"));
  }

  @Test
  void badTransportSettingsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> WharfConfig.builder().flag("tls-cert", "/c.pem").build()).hasMessageContaining("tls-key");
    assertThatThrownBy(() -> WharfConfig.builder().flag("tls-keystore", "/k.p12").flag("tls-cert", "/c.pem").build())
        .hasMessageContaining("tls-keystore");
    assertThatThrownBy(() -> WharfConfig.builder().flag("http-redirect-port", "80").build())
        .hasMessageContaining("http-redirect-port");
    for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "300.1.1.1", "2001:db8::/129", "abc", "10.0.0.0/x"}) {
      assertThatThrownBy(() -> WharfConfig.builder().flag("trusted-proxies", bad).build()).as(bad)
          .hasMessageContaining("trusted-proxies");
    }
    assertThatThrownBy(() -> WharfConfig.builder().flag("request-header-timeout", "0").build())
        .hasMessageContaining("request-header-timeout");
    assertThatThrownBy(() -> WharfConfig.builder().flag("max-request-header-size", "10").build())
        .hasMessageContaining("max-request-header-size");
  }

  @Test
  void metricsAreOnTheMainPortWithoutATokenUnlessConfigured() throws Exception {
    WharfConfig defaults = WharfConfig.defaults();
    assertThat(defaults.metricsPort()).isEmpty();
    assertThat(defaults.metricsToken()).isEmpty();

    Path file = directory.resolve("metrics.properties");
    Files.writeString(file, "metrics-port=9100\nmetrics-token=from-the-file-0123456789\n");
    WharfConfig configured = WharfConfig.builder().configFile(file)
        .environment(Map.of("WHARF_METRICS_TOKEN", "from-the-environment-0123456789")).build();
    assertThat(configured.metricsPort()).hasValue(9100);
    assertThat(configured.metricsToken().orElseThrow().value()).isEqualTo("from-the-environment-0123456789");
    assertThat(WharfConfig.builder().configFile(file).flag("metrics-port", 9200).build().metricsPort()).hasValue(9200);
  }

  @Test
  void theMetricsTokenIsNeverShown() {
    WharfConfig config = WharfConfig.builder().flag("metrics-token", "never-shown-0123456789abcdef").build();
    assertThat(config.toString()).doesNotContain("never-shown");
    assertThatThrownBy(() -> WharfConfig.builder().flag("metrics-token", "short-secret").build())
        .hasMessageContaining("metrics-token").hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> WharfConfig.builder().flag("metrics-token", "has a space in it 0123456789").build())
        .hasMessageContaining("metrics-token").hasMessageNotContaining("space in it");
  }

  @Test
  void badMetricsPortsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> WharfConfig.builder().flag("metrics-port", "metrics").build())
        .hasMessageContaining("metrics-port");
    assertThatThrownBy(() -> WharfConfig.builder().flag("metrics-port", 70000).build()).hasMessageContaining("metrics-port");
    assertThatThrownBy(() -> WharfConfig.builder().flag("port", 9100).flag("metrics-port", 9100).build())
        .hasMessageContaining("metrics-port must differ from port");
  }

  @Test
  void allowedReadsAreCountedPerMinuteUnlessEachIsAsked() {
    assertThat(WharfConfig.builder().build().auditReads()).isEqualTo(WharfConfig.AuditReads.PER_MINUTE);
    assertThat(WharfConfig.builder().flag("audit-reads", "EACH").build().auditReads())
        .isEqualTo(WharfConfig.AuditReads.EACH);
    assertThat(WharfConfig.builder().environment(java.util.Map.of("WHARF_AUDIT_READS", "per-minute")).build()
        .auditReads()).isEqualTo(WharfConfig.AuditReads.PER_MINUTE);
    assertThatThrownBy(() -> WharfConfig.builder().flag("audit-reads", "never").build())
        .hasMessageContaining("audit-reads must be per-minute or each");
  }

  @Test
  void auditEventsAreKept400DaysByDefaultAndZeroKeepsThemForever() {
    assertThat(WharfConfig.builder().build().auditRetentionDays()).isEqualTo(400);
    assertThat(WharfConfig.builder().flag("audit-retention-days", 30).build().auditRetentionDays()).isEqualTo(30);
    assertThat(WharfConfig.builder().environment(java.util.Map.of("WHARF_AUDIT_RETENTION_DAYS", "0")).build()
        .auditRetentionDays()).isZero();
    assertThatThrownBy(() -> WharfConfig.builder().flag("audit-retention-days", -1).build())
        .hasMessageContaining("audit-retention-days must be between 0 (keep forever) and 36500");
    assertThatThrownBy(() -> WharfConfig.builder().flag("audit-retention-days", "99999999999").build())
        .hasMessageContaining("audit-retention-days");
    assertThatThrownBy(() -> WharfConfig.builder().flag("audit-retention-days", "a year").build())
        .hasMessageContaining("audit-retention-days must be a number of days");
  }

  @Test
  void flagsWinOverEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = directory.resolve("wharf.properties");
    Files.writeString(file, "port=1111\nregion=eu-west-1\ndata=/from/file\nbind=127.0.0.1\n");
    WharfConfig config = WharfConfig.builder()
        .configFile(file)
        .environment(Map.of("WHARF_PORT", "2222", "WHARF_REGION", "eu-central-1", "WHARF_PUBLIC_URL", "https://repo.example.com/",
            "WHARF_ACCOUNT_ID", "123456789012", "WHARF_DATABASE_URL", "jdbc:postgresql://db/wharf"))
        .flag("port", 3333)
        .build();
    assertThat(config.port()).isEqualTo(3333);
    assertThat(config.region()).isEqualTo("eu-central-1");
    assertThat(config.dataDirectory()).isEqualTo(Path.of("/from/file"));
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.publicUrl()).contains("https://repo.example.com");
    assertThat(config.bootstrapAccountId()).contains("123456789012");
    assertThat(config.databaseUrl()).contains("jdbc:postgresql://db/wharf");
  }

  @Test
  void badSettingsAreRefusedWithTheirName() throws Exception {
    assertThatThrownBy(() -> WharfConfig.builder().flag("port", "eighty").build())
        .hasMessageContaining("port");
    assertThatThrownBy(() -> WharfConfig.builder().flag("port", 70000).build()).hasMessageContaining("port");
    assertThatThrownBy(() -> WharfConfig.builder().flag("region", "mars").build()).hasMessageContaining("region");
    assertThatThrownBy(() -> WharfConfig.builder().flag("max-asset-size", 0).build()).hasMessageContaining("max-asset-size");
    assertThatThrownBy(() -> WharfConfig.builder().flag("max-asset-size", "big").build()).hasMessageContaining("max-asset-size");
    assertThat(WharfConfig.builder().environment(Map.of("WHARF_MAX_ASSET_SIZE", "1024")).build().maxAssetBytes()).isEqualTo(1024);
    assertThatThrownBy(() -> WharfConfig.builder().flag("database-url", "jdbc:mysql://x").build())
        .hasMessageContaining("database-url");
    assertThatThrownBy(() -> WharfConfig.builder().flag("public-url", "ftp://x").build()).hasMessageContaining("public-url");
    assertThatThrownBy(() -> WharfConfig.builder().environment(Map.of("WHARF_ACCOUNT_ID", "12")).build())
        .hasMessageContaining("WHARF_ACCOUNT_ID");
    Path file = directory.resolve("bad.properties");
    Files.writeString(file, "prot=1\n");
    assertThatThrownBy(() -> WharfConfig.builder().configFile(file)).hasMessageContaining("prot");
  }

  @Test
  void blankEnvironmentValuesCountAsUnset() {
    WharfConfig config = WharfConfig.builder().environment(Map.of("WHARF_PORT", " ", "WHARF_MASTER_KEY", "")).build();
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.masterKey()).isEqualTo(Optional.empty());
  }
}
