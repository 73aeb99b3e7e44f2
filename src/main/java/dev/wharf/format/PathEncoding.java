package dev.wharf.format;

import dev.wharf.error.WharfException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-decoding of the raw request paths the package endpoints receive. */
public final class PathEncoding {
  private PathEncoding() {}

  /**
   * Decodes %XX escapes as UTF-8; a malformed escape or invalid UTF-8 is a 400. A {@code +} stays a
   * {@code +} (this is a path, not a form): pip asks for {@code pkg-1.0%2Bcpu.whl}, others for
   * {@code pkg-1.0+cpu.whl}, and both name one file.
   */
  public static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw new WharfException.Invalid("Invalid path: malformed percent-encoding");
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new WharfException.Invalid("Invalid path: malformed percent-encoding");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new WharfException.Invalid("Invalid path: percent-encoding is not UTF-8");
    }
  }
}
