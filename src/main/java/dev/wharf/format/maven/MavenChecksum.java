package dev.wharf.format.maven;

import dev.wharf.packages.PackageAsset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The checksum files Maven and Gradle read and write next to every file. */
enum MavenChecksum {
  MD5(".md5", "MD5"),
  SHA1(".sha1", "SHA-1"),
  SHA256(".sha256", "SHA-256"),
  SHA512(".sha512", "SHA-512");

  private final String suffix;
  private final String algorithm;

  MavenChecksum(String suffix, String algorithm) {
    this.suffix = suffix;
    this.algorithm = algorithm;
  }

  String suffix() {
    return suffix;
  }

  /** The checksum a file name ends with, or null. */
  static MavenChecksum ofFileName(String name) {
    for (MavenChecksum checksum : values()) {
      if (name.endsWith(checksum.suffix) && name.length() > checksum.suffix.length()) {
        return checksum;
      }
    }
    return null;
  }

  /** The stored asset's digest in lower-case hex (computed when it was stored). */
  String of(PackageAsset asset) {
    return switch (this) {
      case MD5 -> asset.md5();
      case SHA1 -> asset.sha1();
      case SHA256 -> asset.sha256();
      case SHA512 -> asset.sha512();
    };
  }

  String of(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex digits of this algorithm's length. */
  int hexLength() {
    return switch (this) {
      case MD5 -> 32;
      case SHA1 -> 40;
      case SHA256 -> 64;
      case SHA512 -> 128;
    };
  }
}
