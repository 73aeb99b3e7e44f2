package dev.wharf.format.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads the {@code package.json} at the root of an npm tarball (gzip'd tar, one top folder, usually package/). */
final class NpmTarball {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MANIFEST = 4 * 1024 * 1024;

  private NpmTarball() {}

  static JsonNode packageJson(Path tarball) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball), 65536)) {
      byte[] header = new byte[512];
      String paxPath = null;
      while (true) {
        if (in.readNBytes(header, 0, 512) < 512) {
          break;
        }
        if (isZero(header)) {
          break;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        String name = paxPath != null ? paxPath : ustarName(header);
        paxPath = null;
        long padded = (size + 511) / 512 * 512;
        if (type == 'x') {
          paxPath = paxPath(readBytes(in, size, padded));
          continue;
        }
        if ((type == '0' || type == '\0') && isRootPackageJson(name)) {
          if (size > MAX_MANIFEST) {
            throw new WharfException.Invalid("The tarball's package.json is larger than " + MAX_MANIFEST + " bytes");
          }
          byte[] content = readBytes(in, size, padded);
          try {
            return JSON.readTree(content);
          } catch (IOException e) {
            throw new WharfException.Invalid("The tarball's package.json is not valid JSON");
          }
        }
        in.skipNBytes(padded);
      }
    } catch (ZipException | EOFException e) {
      throw new WharfException.Invalid("The attachment is not a gzip-compressed tar archive");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new WharfException.Invalid("The tarball has no package.json in its root folder");
  }

  private static boolean isRootPackageJson(String name) {
    String path = name.startsWith("./") ? name.substring(2) : name;
    int slash = path.indexOf('/');
    return slash > 0 && path.substring(slash + 1).equals("package.json");
  }

  private static byte[] readBytes(InputStream in, long size, long padded) throws IOException {
    if (size > MAX_MANIFEST) {
      throw new WharfException.Invalid("The tarball has a header entry larger than " + MAX_MANIFEST + " bytes");
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length < size) {
      throw new EOFException();
    }
    in.skipNBytes(padded - size);
    return content;
  }

  private static String paxPath(byte[] records) {
    String text = new String(records, StandardCharsets.UTF_8);
    for (String record : text.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 6);
      }
    }
    return null;
  }

  private static String ustarName(byte[] header) {
    String name = text(header, 0, 100);
    if ("ustar".equals(text(header, 257, 6).trim())) {
      String prefix = text(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    if ((header[offset] & 0x80) != 0) {
      throw new WharfException.Invalid("The tarball uses a binary size field, which npm tarballs never need");
    }
    String value = text(header, offset, length).trim();
    if (value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value, 8);
    } catch (NumberFormatException e) {
      throw new WharfException.Invalid("The attachment is not a valid tar archive");
    }
  }

  private static boolean isZero(byte[] header) {
    for (byte b : header) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
