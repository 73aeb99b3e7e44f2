package dev.wharf.format.npm;

import dev.wharf.testing.TestingTarballs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/** Builds npm tarballs and publish bodies as npm would send them, with knobs to make them lie. */
public final class NpmTestingPackages {
  private NpmTestingPackages() {}

  /** A gzip'd tar with package/package.json (and package/index.js). */
  public static byte[] tarball(String packageJson) {
    return tarball(packageJson, "module.exports = 1;\n");
  }

  /** A gzip'd tar with package/package.json and package/index.js. */
  public static byte[] tarball(String packageJson, String indexJs) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    entry(tar, "package/package.json", packageJson.getBytes(StandardCharsets.UTF_8));
    entry(tar, "package/index.js", indexJs.getBytes(StandardCharsets.UTF_8));
    tar.writeBytes(new byte[1024]);
    return TestingTarballs.gzip(tar.toByteArray());
  }

  private static void entry(ByteArrayOutputStream tar, String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    header[262] = 0;
    put(header, 263, "00");
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[154] = 0;
    tar.writeBytes(header);
    tar.writeBytes(content);
    tar.writeBytes(new byte[(512 - content.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  public static String packageJson(String name, String version) {
    return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\"d\"}";
  }

  public static String sha512(byte[] data) {
    try {
      return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha1(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The body npm publish sends for name@version with this tarball and these dist values. */
  public static String publishBody(String name, String version, String manifestExtra, String integrity, String shasum,
      String base64Data) {
    String manifest = "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"description\":\"d\"" + manifestExtra
        + ",\"_id\":\"" + name + "@" + version + "\",\"dist\":{\"integrity\":\"" + integrity + "\",\"shasum\":\"" + shasum
        + "\",\"tarball\":\"http://wrong/" + name + "-" + version + ".tgz\"}}";
    return "{\"_id\":\"" + name + "\",\"name\":\"" + name + "\",\"dist-tags\":{\"latest\":\"" + version + "\"},"
        + "\"versions\":{\"" + version + "\":" + manifest + "},\"_attachments\":{\"" + name + "-" + version
        + ".tgz\":{\"content_type\":\"application/octet-stream\",\"data\":\"" + base64Data + "\"}}}";
  }

  public static String publishBody(String name, String version) {
    return publishBody(name, version, tarball(packageJson(name, version)));
  }

  /** The body npm publish sends for name@version with this tarball and its true digests. */
  public static String publishBody(String name, String version, byte[] tgz) {
    return publishBody(name, version, "", sha512(tgz), sha1(tgz), Base64.getEncoder().encodeToString(tgz));
  }
}
