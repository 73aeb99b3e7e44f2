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
  void everySettingNameIsPinned() {
    assertThat(WharfConfig.SETTING_NAMES)
        .containsExactlyInAnyOrder("port", "data", "region", "database-url", "public-url", "bind", "max-asset-size",
            "external-connections", "external-metadata-ttl", "external-timeout");
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
