package dev.wharf.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Real crates for Cargo tests: the crates.io crates Debian unpacks under
 * {@code /usr/share/cargo/registry} ({@code apt-get install librust-…-dev}), packed back into
 * {@code .crate} files and sent with cargo's own publish protocol ({@code PUT api/v1/crates/new}:
 * lengths, JSON, crate). The real {@code cargo publish} resolves every dependency of a crate,
 * dev-dependencies and optional ones included, before it uploads, and Debian does not package all
 * of them; the tests use cargo for their own crates and this for the Debian closure.
 */
public final class TestingCrates {
  public static final Path DEBIAN_REGISTRY = Path.of("/usr/share/cargo/registry");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TomlMapper TOML = new TomlMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestingCrates() {}

  /** A crate to publish: its metadata JSON and its {@code .crate} bytes. */
  public record Crate(String name, String version, ObjectNode metadata, byte[] file) {
    public String sha256() {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The body of {@code cargo publish}. */
    public byte[] publishBody() {
      return body(metadata.toString().getBytes(StandardCharsets.UTF_8), file);
    }
  }

  /** The crate directories Debian unpacked (name-version), sorted. */
  public static List<Path> debianCrates() {
    try (Stream<Path> dirs = Files.list(DEBIAN_REGISTRY)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("Cargo.toml"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Packs an unpacked crate directory (without Debian's own files) as a crate with its publish metadata. */
  public static Crate fromDirectory(Path directory) {
    try {
      JsonNode manifest = TOML.readTree(Files.readString(directory.resolve("Cargo.toml")));
      JsonNode pkg = manifest.path("package");
      String name = pkg.path("name").asText();
      String version = pkg.path("version").asText();
      ObjectNode metadata = JSON.createObjectNode();
      metadata.put("name", name);
      metadata.put("vers", version);
      ArrayNode deps = metadata.putArray("deps");
      addDependencies(deps, manifest, null);
      manifest.path("target").properties().forEach(target -> addDependencies(deps, target.getValue(), target.getKey()));
      metadata.set("features", manifest.path("features").isObject() ? manifest.path("features") : JSON.createObjectNode());
      for (String field : List.of("description", "documentation", "homepage", "license", "license_file", "repository",
          "links", "rust-version")) {
        if (pkg.path(field).isTextual()) {
          metadata.put(field.replace('-', '_'), pkg.path(field).asText());
        }
      }
      for (String field : List.of("authors", "keywords", "categories")) {
        metadata.set(field, pkg.path(field).isArray() ? pkg.path(field) : JSON.createArrayNode());
      }
      if (Files.isRegularFile(directory.resolve("README.md"))) {
        metadata.put("readme", Files.readString(directory.resolve("README.md"), StandardCharsets.ISO_8859_1));
        metadata.put("readme_file", "README.md");
      }
      metadata.putObject("badges");
      return new Crate(name, version, metadata, pack(directory, name + "-" + version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addDependencies(ArrayNode into, JsonNode table, String target) {
    for (Map.Entry<String, String> kind : Map.of("dependencies", "normal", "build-dependencies", "build",
        "dev-dependencies", "dev").entrySet()) {
      table.path(kind.getKey()).properties().forEach(entry -> {
        JsonNode spec = entry.getValue();
        ObjectNode dep = into.addObject();
        String renamedFrom = spec.path("package").isTextual() ? spec.path("package").asText() : null;
        dep.put("name", renamedFrom != null ? renamedFrom : entry.getKey());
        dep.put("version_req", spec.isTextual() ? spec.asText() : spec.path("version").asText("*"));
        dep.set("features", spec.path("features").isArray() ? spec.path("features") : JSON.createArrayNode());
        dep.put("optional", spec.path("optional").asBoolean(false));
        dep.put("default_features", spec.path("default-features").asBoolean(spec.path("default_features").asBoolean(true)));
        if (target != null) {
          dep.put("target", target);
        } else {
          dep.putNull("target");
        }
        dep.put("kind", kind.getValue());
        if (renamedFrom != null) {
          dep.put("explicit_name_in_toml", entry.getKey());
        }
      });
    }
  }

  /** A gzip'd tar of the directory's files under {@code folder/}, leaving out Debian's additions. */
  public static byte[] pack(Path directory, String folder) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path file : files) {
        String relative = directory.relativize(file).toString();
        if (relative.startsWith("debian/") || relative.startsWith(".pc/") || relative.equals(".cargo-checksum.json")) {
          continue;
        }
        TarArchiveEntry entry = new TarArchiveEntry(folder + "/" + relative);
        byte[] content = Files.readAllBytes(file);
        entry.setSize(content.length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A gzip'd tar of the given entries (name, content): for malformed crates. */
  public static byte[] tarGz(Map<String, String> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Cargo's publish body: u32 LE length, JSON, u32 LE length, crate. */
  public static byte[] body(byte[] json, byte[] crate) {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 + json.length + crate.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(json.length).put(json).putInt(crate.length).put(crate);
    return buffer.array();
  }

  /** PUTs a publish body to {@code endpoint}'s {@code api/v1/crates/new} with the token as cargo sends it. */
  public static HttpResponse<String> publish(String endpoint, String token, byte[] body) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "api/v1/crates/new"))
          .header("Authorization", token).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
