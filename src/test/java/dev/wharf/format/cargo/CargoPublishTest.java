package dev.wharf.format.cargo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingCrates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CargoPublishTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path spool;

  private static byte[] body(String json, byte[] crate) {
    return TestingCrates.body(json.getBytes(StandardCharsets.UTF_8), crate);
  }

  @Test
  void theMetadataIsReadBeforeTheCrateAndTheCrateIsSpooledWithItsDigest() throws Exception {
    byte[] crate = "crate bytes".getBytes(StandardCharsets.UTF_8);
    ByteArrayInputStream in = new ByteArrayInputStream(body("{\"name\":\"Foo-bar\",\"vers\":\"1.2.3\",\"description\":\"d\"}",
        crate));
    CargoPublish.Metadata metadata = CargoPublish.readMetadata(in, CargoPublish.readHead(in));
    assertThat(metadata.name()).isEqualTo("Foo-bar");
    assertThat(metadata.version()).isEqualTo("1.2.3");
    assertThat(metadata.description()).isEqualTo("d");
    CargoPublish.Crate spooled = CargoPublish.spoolCrate(in, spool, 1024);
    assertThat(Files.readAllBytes(spooled.file())).isEqualTo(crate);
    assertThat(spooled.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(crate)));
  }

  private static CargoPublish.Metadata read(byte[] body) {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return CargoPublish.readMetadata(in, CargoPublish.readHead(in));
  }

  @Test
  void malformedAndOversizedBodiesAreRefusedAndLeaveNoFile() throws Exception {
    assertThatThrownBy(() -> read(new byte[] {1, 0})).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("ends inside");
    assertThatThrownBy(() -> read(new byte[] {-1, -1, -1, -1})).isInstanceOf(WharfException.TooLarge.class);
    assertThatThrownBy(() -> read(body("[1]", new byte[1]))).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> read(body("{\"name\":\"x\",\"vers\":\"1\"}", new byte[1])))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("SemVer");
    String nested = "[".repeat(1000) + "]".repeat(1000);
    assertThatThrownBy(() -> read(body("{\"name\":\"x\",\"a\":" + nested + "}", new byte[1])))
        .isInstanceOf(WharfException.Invalid.class);
    // the name must come early: nothing past the first 64 KiB is read before the caller is authorized
    String late = "{\"readme\":\"" + "x".repeat(CargoPublish.MAX_HEAD_BYTES) + "\",\"name\":\"x\",\"vers\":\"1.0.0\"}";
    assertThatThrownBy(() -> CargoPublish.readHead(new ByteArrayInputStream(body(late, new byte[1]))))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("within its first");
    // one name only: a second "name" cannot change the crate after authorization
    assertThatThrownBy(() -> read(body("{\"name\":\"allowed\",\"vers\":\"1.0.0\",\"name\":\"other\"}", new byte[1])))
        .isInstanceOf(WharfException.Invalid.class);
    // many small tokens are bounded, whatever their nesting
    String wide = "{\"name\":\"x\",\"vers\":\"1.0.0\",\"a\":[" + "{},".repeat(300_000) + "{}]}";
    assertThatThrownBy(() -> read(body(wide, new byte[1]))).isInstanceOf(WharfException.Invalid.class);

    ByteArrayInputStream tooLarge = new ByteArrayInputStream(body("{}", new byte[2000]));
    tooLarge.skipNBytes(6);
    assertThatThrownBy(() -> CargoPublish.spoolCrate(tooLarge, spool, 1000)).isInstanceOf(WharfException.TooLarge.class);
    byte[] cut = body("{}", new byte[100]);
    ByteArrayInputStream shortBody = new ByteArrayInputStream(java.util.Arrays.copyOf(cut, cut.length - 1));
    shortBody.skipNBytes(6);
    assertThatThrownBy(() -> CargoPublish.spoolCrate(shortBody, spool, 1000)).isInstanceOf(WharfException.Invalid.class);
    byte[] trailing = java.util.Arrays.copyOf(cut, cut.length + 5);
    ByteArrayInputStream extra = new ByteArrayInputStream(trailing);
    extra.skipNBytes(6);
    assertThatThrownBy(() -> CargoPublish.spoolCrate(extra, spool, 1000)).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("after its crate");
    try (var left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void theIndexEntrySplitsNewStyleFeaturesAndNamesRenamedDependencies() throws Exception {
    JsonNode request = JSON.readTree("""
        {"name":"app","vers":"1.0.0","features":{"default":["std"],"std":[],"json":["dep:serde_json"],
         "tls":["reqwest?/tls"]},"deps":[{"name":"serde_json","version_req":"^1","features":[],"optional":true,
         "default_features":true,"target":null,"kind":"normal"},{"name":"rand","version_req":"^0.8",
         "explicit_name_in_toml":"random","features":["small_rng"],"optional":false,"default_features":false,
         "target":"cfg(unix)","kind":"dev","registry":"https://github.com/rust-lang/crates.io-index"}],
         "links":"z","rust_version":"1.70","license":"MIT"}""");
    var document = CargoRegistry.document(new CargoPublish.Metadata(request, "app", "1.0.0", null));
    assertThat(document.path("features").fieldNames()).toIterable().containsExactlyInAnyOrder("default", "std");
    assertThat(document.path("features2").fieldNames()).toIterable().containsExactlyInAnyOrder("json", "tls");
    JsonNode renamed = document.path("deps").get(1);
    assertThat(renamed.path("name").asText()).isEqualTo("random");
    assertThat(renamed.path("package").asText()).isEqualTo("rand");
    assertThat(renamed.path("req").asText()).isEqualTo("^0.8");
    assertThat(renamed.path("registry").asText()).isEqualTo("https://github.com/rust-lang/crates.io-index");
    assertThat(renamed.path("target").asText()).isEqualTo("cfg(unix)");
    assertThat(document.path("deps").get(0).has("registry")).isFalse();
    assertThat(document.path("links").asText()).isEqualTo("z");

    JsonNode badKind = JSON.readTree("{\"deps\":[{\"name\":\"x\",\"version_req\":\"1\",\"kind\":\"weird\"}]}");
    assertThatThrownBy(() -> CargoRegistry.document(new CargoPublish.Metadata(badKind, "app", "1.0.0", null)))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("unknown kind");
  }
}
