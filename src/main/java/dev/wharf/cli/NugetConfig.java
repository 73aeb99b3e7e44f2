package dev.wharf.cli;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A NuGet.Config's package source for a repository, as {@code aws codeartifact login --tool nuget|dotnet}
 * adds it ({@code nuget sources add} / {@code dotnet nuget add source}): the source {@code DOMAIN/REPOSITORY}
 * at the endpoint's {@code v3/index.json}, and its credentials (user {@code aws}, the token as
 * {@code ClearTextPassword}, which NuGet reads on every system) under the source's encoded name. A
 * login replaces the source's entries and leaves everything else in the file as it was.
 */
final class NugetConfig {
  static final String MINIMAL = """
      <?xml version="1.0" encoding="utf-8"?>
      <configuration>
      </configuration>
      """;

  /** A NuGet.Config Wharf cannot edit safely. */
  static final class InvalidConfigException extends ConfigFiles.InvalidConfigFile {
    InvalidConfigException(String message, Throwable cause) {
      super("NuGet.Config", message, cause);
    }
  }

  private NugetConfig() {}

  /** The source's name: {@code DOMAIN/REPOSITORY}, read from the endpoint {@code …/DOMAIN-OWNER/nuget/REPOSITORY/}. */
  static String sourceName(String endpoint) {
    String[] segments = URI.create(endpoint).getPath().replaceAll("^/+|/+$", "").split("/");
    if (segments.length < 3) {
      return "codeartifact";
    }
    String domainAndOwner = segments[segments.length - 3];
    String domain = domainAndOwner.replaceFirst("-\\d{12}$", "");
    return domain + "/" + segments[segments.length - 1];
  }

  /** The source's name as NuGet writes it as an element name (XmlConvert.EncodeLocalName: '/' is {@code _x002F_}). */
  static String encodedName(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean plain = Character.isLetterOrDigit(c) && c < 128 || ((c == '.' || c == '-') && i > 0)
          || (c == '_' && !name.startsWith("x", i + 1));
      if (plain && !(i == 0 && Character.isDigit(c))) {
        out.append(c);
      } else {
        out.append(String.format("_x%04X_", (int) c));
      }
    }
    return out.toString();
  }

  static String login(String existing, String endpoint, String token) throws IOException {
    String original = existing.isBlank() ? MINIMAL : existing;
    Document document = parse(original);
    Element configuration = document.getDocumentElement();
    String name = sourceName(endpoint);
    remove(configuration, name);
    Element sources = childOrNew(configuration, "packageSources");
    Element add = XmlConfigFiles.appendIndented(sources, "add");
    add.setAttribute("key", name);
    add.setAttribute("value", endpoint + "v3/index.json");
    Element credentials = childOrNew(configuration, "packageSourceCredentials");
    Element source = XmlConfigFiles.appendIndented(credentials, encodedName(name));
    Element user = XmlConfigFiles.appendIndented(source, "add");
    user.setAttribute("key", "Username");
    user.setAttribute("value", "aws");
    Element password = XmlConfigFiles.appendIndented(source, "add");
    password.setAttribute("key", "ClearTextPassword");
    password.setAttribute("value", token);
    return XmlConfigFiles.serialize(document, original);
  }

  /** Removes every Wharf source (on {@code host} when not null: a host or host:port), with its credentials. */
  static String logout(String existing, String host) throws IOException {
    if (existing.isBlank()) {
      return existing;
    }
    Document document = parse(existing);
    Element configuration = document.getDocumentElement();
    Element sources = XmlConfigFiles.child(configuration, "packageSources");
    if (sources == null) {
      return existing;
    }
    List<String> names = new ArrayList<>();
    for (Node node = sources.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element add && "add".equals(add.getLocalName()) && onHost(add.getAttribute("value"), host)) {
        names.add(add.getAttribute("key"));
      }
    }
    if (names.isEmpty()) {
      return existing;
    }
    names.forEach(name -> remove(configuration, name));
    for (String container : List.of("packageSources", "packageSourceCredentials")) { // what login added, if now empty
      Element element = XmlConfigFiles.child(configuration, container);
      if (element != null && !hasElements(element)) {
        removeWithIndent(configuration, element);
      }
    }
    return XmlConfigFiles.serialize(document, existing);
  }

  private static boolean onHost(String url, String host) {
    try {
      URI uri = URI.create(url);
      boolean wharf = uri.getPath() != null && uri.getPath().matches("/(.*/)?[a-z0-9-]+-\\d{12}/nuget/[^/]+/v3/index\\.json");
      return wharf && (host == null || host.equalsIgnoreCase(uri.getHost()) || host.equalsIgnoreCase(uri.getAuthority()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Document parse(String text) throws InvalidConfigException {
    try {
      return XmlConfigFiles.parse(text, "configuration");
    } catch (XmlConfigFiles.InvalidXmlException e) {
      throw new InvalidConfigException(e.getMessage(), e);
    }
  }

  private static Element childOrNew(Element parent, String name) {
    Element child = XmlConfigFiles.child(parent, name);
    return child != null ? child : XmlConfigFiles.appendIndented(parent, name);
  }

  /** Removes the source's entry and its credentials (and the whitespace before each). */
  private static void remove(Element configuration, String name) {
    Element sources = XmlConfigFiles.child(configuration, "packageSources");
    if (sources != null) {
      for (Node node = sources.getFirstChild(); node != null; ) {
        Node next = node.getNextSibling();
        if (node instanceof Element add && "add".equals(add.getLocalName()) && name.equals(add.getAttribute("key"))) {
          removeWithIndent(sources, add);
        }
        node = next;
      }
    }
    Element credentials = XmlConfigFiles.child(configuration, "packageSourceCredentials");
    Element source = credentials == null ? null : XmlConfigFiles.child(credentials, encodedName(name));
    if (source != null) {
      removeWithIndent(credentials, source);
    }
  }

  private static boolean hasElements(Element element) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element) {
        return true;
      }
    }
    return false;
  }

  private static void removeWithIndent(Element parent, Element child) {
    Node before = child.getPreviousSibling();
    if (before != null && before.getNodeType() == Node.TEXT_NODE && before.getTextContent().isBlank()) {
      parent.removeChild(before);
    }
    parent.removeChild(child);
  }
}
