package dev.wharf.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Editing an XML configuration file in place (Maven's settings.xml, NuGet.Config): parsed with DTDs
 * refused, children found and added on their own lines at the file's indentation, and written back with
 * its prolog and root start tag as they were, so that everything else (comments included) stays.
 */
final class XmlConfigFiles {
  /** A file Wharf cannot edit safely (not XML, or not the document expected). */
  static final class InvalidXmlException extends IOException {
    InvalidXmlException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private XmlConfigFiles() {}

  /** Parses the file, namespace-aware; its root must be {@code rootName}. */
  static Document parse(String text, String rootName) throws InvalidXmlException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      if (!rootName.equals(document.getDocumentElement().getLocalName())) {
        throw new InvalidXmlException("the root element is <" + document.getDocumentElement().getTagName()
            + ">, not <" + rootName + ">", null);
      }
      return document;
    } catch (SAXException | IOException e) {
      if (e instanceof InvalidXmlException invalid) {
        throw invalid;
      }
      throw new InvalidXmlException("it is not well-formed XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  static Element child(Element parent, String localName) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && localName.equals(element.getLocalName())) {
        return element;
      }
    }
    return null;
  }

  static String text(Element parent, String localName) {
    Element element = child(parent, localName);
    return element == null ? null : element.getTextContent().strip();
  }

  static void setChild(Element parent, String localName, String text) {
    Element element = child(parent, localName);
    if (element == null) {
      element = appendIndented(parent, localName);
    }
    element.setTextContent(text);
  }

  /** The indentation of element's line, read from the whitespace before it ("  " when it has none). */
  static String indentOf(Element element) {
    Node before = element.getPreviousSibling();
    if (before != null && before.getNodeType() == Node.TEXT_NODE) {
      String text = before.getTextContent();
      int newline = text.lastIndexOf('\n');
      if (newline >= 0 && text.substring(newline + 1).isBlank()) {
        return text.substring(newline + 1);
      }
    }
    return element.getParentNode() instanceof Element ? "  " : "";
  }

  /** Appends a child in the parent's namespace, on its own line, indented one step deeper than the parent. */
  static Element appendIndented(Element parent, String localName) {
    Document document = parent.getOwnerDocument();
    String parentIndent = indentOf(parent);
    String step = "  ";
    Element firstElement = null;
    for (Node node = parent.getFirstChild(); node != null && firstElement == null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        firstElement = element;
      }
    }
    String indent = firstElement != null ? indentOf(firstElement) : parentIndent + step;
    Element element = document.createElementNS(parent.getNamespaceURI(), localName);
    Node last = parent.getLastChild();
    if (last != null && last.getNodeType() == Node.TEXT_NODE && last.getTextContent().isBlank()) {
      // insert before the whitespace that precedes the parent's closing tag
      parent.insertBefore(document.createTextNode("\n" + indent), last);
      parent.insertBefore(element, last);
    } else {
      parent.appendChild(document.createTextNode("\n" + indent));
      parent.appendChild(element);
      parent.appendChild(document.createTextNode("\n" + parentIndent));
    }
    return element;
  }

  static String serialize(Document document, String original) throws IOException {
    try {
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(document.getDocumentElement()), new StreamResult(out));
      // The prolog (declaration, comments) and the root's start tag as they were: the DOM forgets their layout.
      String body = out.toString();
      int root = original.indexOf("<" + document.getDocumentElement().getTagName());
      int rootTagEnd = root < 0 ? -1 : original.indexOf('>', root);
      if (rootTagEnd < 0 || original.charAt(rootTagEnd - 1) == '/') {
        return body + "\n";
      }
      return original.substring(0, rootTagEnd + 1) + body.substring(body.indexOf('>') + 1) + "\n";
    } catch (TransformerException e) {
      throw new IOException("could not write the file", e);
    }
  }
}
