package dev.wharf.format.maven;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Wharf reads from a POM: the fields of the version's metadata document (packaging, name,
 * description, url, licenses, scm, dependencies) as written, without resolving parents or
 * properties. Parsed with DTDs and external entities disabled; a POM that does not parse is kept
 * as bytes by the caller and never read for state.
 */
record MavenPom(String packaging, String name, String description, String url, List<License> licenses, String scm,
    List<Dependency> dependencies) {
  static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  record License(String name, String url) {}

  record Dependency(String groupId, String artifactId, String scope, String version) {}

  /** The packaging, defaulting to jar as Maven does. */
  String packagingOrJar() {
    return packaging == null || packaging.isBlank() ? "jar" : packaging;
  }

  static Optional<MavenPom> parse(byte[] content) {
    Optional<Document> parsed = document(content);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Document document = parsed.get();
    Element project = document.getDocumentElement();
    if (project == null || !project.getTagName().equals("project")) {
      return Optional.empty();
    }
    List<License> licenses = new ArrayList<>();
    child(project, "licenses").ifPresent(list -> children(list, "license")
        .forEach(l -> licenses.add(new License(text(l, "name"), text(l, "url")))));
    List<Dependency> dependencies = new ArrayList<>();
    child(project, "dependencies").ifPresent(list -> children(list, "dependency")
        .forEach(d -> dependencies.add(new Dependency(text(d, "groupId"), text(d, "artifactId"), text(d, "scope"),
            text(d, "version")))));
    String scm = child(project, "scm").map(s -> Optional.ofNullable(text(s, "url"))
        .orElse(text(s, "connection"))).orElse(null);
    return Optional.of(new MavenPom(text(project, "packaging"), text(project, "name"), text(project, "description"),
        text(project, "url"), licenses, scm, dependencies));
  }

  /** The versions an uploaded maven-metadata.xml lists; empty when it does not parse. */
  static List<String> listedVersions(byte[] metadata) {
    Optional<Document> parsed = document(metadata);
    List<String> versions = new ArrayList<>();
    parsed.map(Document::getDocumentElement).filter(root -> root.getTagName().equals("metadata")).ifPresent(root -> {
      Optional.ofNullable(text(root, "version")).ifPresent(versions::add);
      child(root, "versioning").flatMap(v -> child(v, "versions")).ifPresent(list -> children(list, "version")
          .forEach(v -> versions.add(v.getTextContent().strip())));
    });
    return versions;
  }

  /** Parses XML with DTDs, external entities and XInclude refused (XXE-safe). */
  static Optional<Document> document(byte[] content) {
    return dev.wharf.format.XmlDocuments.parse(content);
  }

  /** The version's metadata document (the shape shared with the CodeArtifact API); absent fields left out. */
  String metadataJson() {
    ObjectNode out = JSON.createObjectNode();
    put(out, "packaging", packagingOrJar());
    put(out, "name", name);
    put(out, "description", description);
    put(out, "url", url);
    putObjects(out, "licenses", licenses, (l, license) -> {
      put(l, "name", license.name());
      put(l, "url", license.url());
    });
    put(out, "scm", scm);
    putObjects(out, "dependencies", dependencies, (d, dependency) -> {
      put(d, "namespace", dependency.groupId());
      put(d, "package", dependency.artifactId());
      put(d, "dependencyType", dependency.scope() == null ? "compile" : dependency.scope());
      put(d, "versionRequirement", dependency.version());
    });
    return out.toString();
  }

  /** An array of one object per item, each filled by {@code fill}; left out when there are no items. */
  private static <T> void putObjects(ObjectNode node, String field, List<T> items, BiConsumer<ObjectNode, T> fill) {
    if (!items.isEmpty()) {
      ArrayNode array = node.putArray(field);
      items.forEach(item -> fill.accept(array.addObject(), item));
    }
  }

  private static void put(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  static Optional<Element> child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  static String text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty()).orElse(null);
  }
}
