package dev.wharf.format.ruby;

import dev.wharf.error.WharfException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The outer tar of a {@code .gem}, read exactly as RubyGems' own {@code TarReader} reads it: plain
 * ustar headers with a valid checksum, regular files only, names from the header's name field. A
 * general tar reader (commons-compress) also honours PAX and GNU long-name headers, which RubyGems
 * ignores: a gem could then be one gem to Wharf and another to {@code gem install}. So every header
 * that is not a plain file, and every name with a prefix, is refused here; gem build never writes one.
 */
final class GemTar {
  private static final int BLOCK = 512;

  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean ended;

  GemTar(InputStream in) {
    this.in = in;
  }

  /** The next file's name, or null at the end of the archive; its content is {@link #content()}. */
  String next() {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    if (ended) {
      return null;
    }
    byte[] header = readBlock();
    if (header == null || isZero(header)) {
      ended = true;
      return null;
    }
    long stored = octal(header, 148, 8, "checksum");
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
    }
    if (sum != stored) {
      throw new WharfException.Invalid("The gem is not a tar archive: a header's checksum does not match");
    }
    byte type = header[156];
    if (type != '0' && type != 0) {
      throw new WharfException.Invalid("The gem has a tar entry that is not a plain file (type '" + (char) type
          + "'): gem build writes none");
    }
    if (header[345] != 0) {
      throw new WharfException.Invalid("The gem has a tar entry with a name prefix: gem build writes none");
    }
    String name = text(header, 0, 100);
    long size = octal(header, 124, 12, "size");
    remaining = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    return name;
  }

  /** The current file's bytes; reading past them gives end of stream. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return readByte(this);
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
          throw new WharfException.Invalid("The gem is cut short inside a file");
        }
        remaining -= n;
        return n;
      }
    };
  }

  /**
   * One byte of {@code stream}, read through its {@code read(byte[], int, int)}: the single-byte read of
   * a stream that bounds or digests only there.
   */
  static int readByte(InputStream stream) throws IOException {
    byte[] one = new byte[1];
    return stream.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  private byte[] readBlock() {
    try {
      byte[] block = in.readNBytes(BLOCK);
      if (block.length == 0) {
        return null;
      }
      if (block.length < BLOCK) {
        throw new WharfException.Invalid("The gem is not a tar archive: it ends inside a header");
      }
      return block;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads past what is left of the current file and its padding (through the caller's copy of the stream). */
  private void skip(long bytes) {
    try {
      long left = bytes;
      byte[] buffer = new byte[8192];
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          if (left > padding) {
            throw new WharfException.Invalid("The gem is cut short inside a file");
          }
          ended = true; // the last file's padding is missing: nothing follows
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(Arrays.copyOfRange(header, offset, end), StandardCharsets.US_ASCII);
  }

  private static long octal(byte[] header, int offset, int length, String field) {
    String digits = text(header, offset, length).trim();
    if (digits.isEmpty() || !digits.matches("[0-7]{1,11}")) {
      throw new WharfException.Invalid("The gem is not a tar archive: a header's " + field + " is not octal");
    }
    return Long.parseLong(digits, 8);
  }
}
