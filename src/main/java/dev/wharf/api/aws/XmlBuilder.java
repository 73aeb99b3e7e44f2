package dev.wharf.api.aws;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/** Builds the XML documents of AWS's query protocol (IAM and STS responses and errors). */
public final class XmlBuilder {
  private final StringBuilder out = new StringBuilder(512);

  /** A fragment: members of a result, without the XML declaration. */
  public XmlBuilder() {}

  /** A whole document, starting with the XML declaration. */
  public static XmlBuilder document() {
    XmlBuilder builder = new XmlBuilder();
    builder.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    return builder;
  }

  public boolean isEmpty() {
    return out.isEmpty();
  }

  /** Appends a fragment built separately. */
  public XmlBuilder append(XmlBuilder fragment) {
    out.append(fragment.out);
    return this;
  }

  public XmlBuilder open(String name, String namespace) {
    out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
    return this;
  }

  public XmlBuilder open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  public XmlBuilder close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** An element with content built by the consumer. */
  public XmlBuilder element(String name, Consumer<XmlBuilder> content) {
    open(name);
    content.accept(this);
    return close(name);
  }

  /** A text element; skipped when value is null (AWS omits absent members). */
  public XmlBuilder text(String name, Object value) {
    if (value == null) {
      return this;
    }
    String text = value instanceof Instant instant
        ? DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS))
        : value.toString();
    out.append('<').append(name).append('>');
    escape(text);
    return close(name);
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (Character.isSurrogate(c)) {
            // A pair is a valid character; a lone surrogate is not.
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
              out.append(c).append(text.charAt(++i));
            } else {
              out.append('\uFFFD');
            }
          } else if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == '\uFFFE' || c == '\uFFFF') {
            // Not allowed in XML 1.0, not even as a character reference: SDK parsers would reject the whole document.
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
