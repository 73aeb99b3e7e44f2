package dev.wharf.audit;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * How audit fields are shown as text. Most fields come from callers (a query call's {@code Action}, a
 * package path, a user name), so a field could carry a newline, a tab, a carriage return or a terminal
 * escape and make a listing show lines and columns that were never recorded, or a bidi override
 * (U+202E) or line separator (U+2028) that reorders or breaks what a reader sees. Every output of the
 * trail (the CLI's text and JSON, the console) shows each non-printable character as an escape instead:
 * {@code \t}, {@code \n}, {@code \r}, {@code \\} for the backslash itself (so an escape cannot be
 * faked), and {@code \}{@code uXXXX} (or {@code \}{@code UXXXXXXXX} beyond the BMP) for the rest. The
 * stored event keeps the bytes as received.
 */
public final class AuditText {
  private AuditText() {}

  /** The value as one line of printable text; null stays null. */
  public static String escape(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); ) {
      int codePoint = value.codePointAt(i);
      int width = Character.charCount(codePoint);
      String escape = escapeOf(codePoint);
      if (escape != null && out == null) {
        out = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.appendCodePoint(codePoint);
        }
      }
      i += width;
    }
    return out == null ? value : out.toString();
  }

  private static String escapeOf(int codePoint) {
    return switch (codePoint) {
      case '\\' -> "\\\\";
      case '\t' -> "\\t";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      default -> isPrintable(codePoint) ? null
          : codePoint <= 0xFFFF ? String.format("\\u%04X", codePoint) : String.format("\\U%08X", codePoint);
    };
  }

  /**
   * False for controls (C0, DEL, C1), format characters (bidi embeddings, overrides and isolates, zero-width
   * characters, the BOM, tags), line and paragraph separators, lone surrogates, private-use and unassigned
   * code points.
   */
  static boolean isPrintable(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
      default -> true;
    };
  }

  /**
   * Jackson escapes for JSON output of audit fields: besides what JSON itself escapes (controls below
   * U+0020, quote, backslash), every character {@link #escape} escapes is written as a {@code \}{@code uXXXX}
   * escape, so the JSON still decodes to the recorded value while a terminal showing it sees no raw
   * separator, DEL, C1 control or bidi override. (Characters beyond the BMP arrive as UTF-16 halves, and a
   * half is escaped only when the character it belongs to is; Jackson asks per half, so pairs stay as they are.)
   */
  public static CharacterEscapes jsonEscapes() {
    return JsonEscapes.INSTANCE;
  }

  private static final class JsonEscapes extends CharacterEscapes {
    private static final JsonEscapes INSTANCE = new JsonEscapes();
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    private JsonEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7F] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (Character.isSurrogate((char) ch) || isPrintable(ch)) {
        return null;
      }
      return new SerializedString(String.format("\\u%04X", ch));
    }
  }
}
