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
 * The {@code codeartifact} server of a Maven settings.xml: user {@code aws}, and the token taken from
 * {@code CODEARTIFACT_AUTH_TOKEN} when Maven runs (as AWS documents for CodeArtifact). Everything
 * else in the file stays, comments included.
 */
final class MavenSettings {
  static final String SERVER_ID = "codeartifact";
  static final String PASSWORD = "${env.CODEARTIFACT_AUTH_TOKEN}";

  static final String MINIMAL = """
      <?xml version="1.0" encoding="UTF-8"?>
      <settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0 https://maven.apache.org/xsd/settings-1.2.0.xsd">
        <servers>
          <server>
            <id>codeartifact</id>
            <username>aws</username>
            <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>
          </server>
        </servers>
      </settings>
      """;

  /** A settings.xml Wharf cannot edit safely (not XML, or not a settings document). */
  static final class InvalidSettingsException extends IOException {
    InvalidSettingsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private MavenSettings() {}

  static String login(String existing) throws IOException {
    if (existing.isBlank()) {
      return MINIMAL;
    }
    Document document = parse(existing);
    Element settings = document.getDocumentElement();
    Element servers = child(settings, "servers");
    if (servers == null) {
      servers = appendIndented(settings, "servers");
    }
    Element server = codeArtifactServer(servers);
    if (server != null && "aws".equals(text(server, "username")) && PASSWORD.equals(text(server, "password"))) {
      return existing; // already logged in: leave the file exactly as it is
    }
    if (server == null) {
      server = appendIndented(servers, "server");
      setChild(server, "id", SERVER_ID);
    }
    setChild(server, "username", "aws");
    setChild(server, "password", PASSWORD);
    return serialize(document, existing);
  }

  /** Removes the codeartifact server (and the whitespace before it). */
  static String logout(String existing) throws IOException {
    if (existing.isBlank()) {
      return existing;
    }
    Document document = parse(existing);
    Element servers = child(document.getDocumentElement(), "servers");
    Element server = servers == null ? null : codeArtifactServer(servers);
    if (server == null) {
      return existing;
    }
    Node before = server.getPreviousSibling();
    if (before != null && before.getNodeType() == Node.TEXT_NODE && before.getTextContent().isBlank()) {
      servers.removeChild(before);
    }
    servers.removeChild(server);
    return serialize(document, existing);
  }

  private static Document parse(String text) throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
      if (!"settings".equals(document.getDocumentElement().getLocalName())) {
        throw new InvalidSettingsException("the root element is <" + document.getDocumentElement().getTagName()
            + ">, not <settings>", null);
      }
      return document;
    } catch (SAXException e) {
      throw new InvalidSettingsException("it is not well-formed XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Element codeArtifactServer(Element servers) {
    for (Node node = servers.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element server && "server".equals(server.getLocalName())) {
        Element id = child(server, "id");
        if (id != null && SERVER_ID.equals(id.getTextContent().strip())) {
          return server;
        }
      }
    }
    return null;
  }

  private static Element child(Element parent, String localName) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && localName.equals(element.getLocalName())) {
        return element;
      }
    }
    return null;
  }

  private static String text(Element parent, String localName) {
    Element element = child(parent, localName);
    return element == null ? null : element.getTextContent().strip();
  }

  private static void setChild(Element parent, String localName, String text) {
    Element element = child(parent, localName);
    if (element == null) {
      element = appendIndented(parent, localName);
    }
    element.setTextContent(text);
  }

  /** The indentation of element's line, read from the whitespace before it ("  " when it has none). */
  private static String indentOf(Element element) {
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
  private static Element appendIndented(Element parent, String localName) {
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

  private static String serialize(Document document, String original) throws IOException {
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
      throw new IOException("could not write settings.xml", e);
    }
  }
}
