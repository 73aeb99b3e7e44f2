package dev.wharf.cli;

import java.io.IOException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

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
  static final class InvalidSettingsException extends ConfigFiles.InvalidConfigFile {
    InvalidSettingsException(String message, Throwable cause) {
      super("settings.xml", message, cause);
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
      return XmlConfigFiles.parse(text, "settings");
    } catch (XmlConfigFiles.InvalidXmlException e) {
      throw new InvalidSettingsException(e.getMessage(), e);
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
    return XmlConfigFiles.child(parent, localName);
  }

  private static String text(Element parent, String localName) {
    return XmlConfigFiles.text(parent, localName);
  }

  private static void setChild(Element parent, String localName, String text) {
    XmlConfigFiles.setChild(parent, localName, text);
  }

  private static Element appendIndented(Element parent, String localName) {
    return XmlConfigFiles.appendIndented(parent, localName);
  }

  private static String serialize(Document document, String original) throws IOException {
    return XmlConfigFiles.serialize(document, original);
  }
}
