package dev.wharf.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.packages.PackageVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A version's own document (package_versions.metadata: npm's manifest, the PyPI upload's metadata
 * fields, the Maven shape taken from the POM), read leniently for {@link VersionDescription}: an
 * unknown or malformed document reads as empty.
 */
public final class VersionDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PackageVersion version;
  private final JsonNode document;

  public VersionDocument(PackageVersion version) {
    this.version = version;
    JsonNode parsed;
    try {
      parsed = version.metadata() == null ? MissingNode.getInstance() : JSON.readTree(version.metadata());
    } catch (IOException e) {
      parsed = MissingNode.getInstance();
    }
    this.document = parsed == null || !parsed.isObject() ? MissingNode.getInstance() : parsed;
  }

  public PackageVersion version() {
    return version;
  }

  /** The document's field (a missing node when absent). */
  public JsonNode path(String field) {
    return document.path(field);
  }

  /** A non-blank text field, or null. */
  public String text(String field) {
    return textOf(document, field);
  }

  /** A node's non-blank text field, or null. */
  public static String textOf(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  /** The summary the version was stored with, else the document's {@code field}. */
  public String summary(String field) {
    String stored = version.summary();
    return stored != null && !stored.isBlank() ? stored : field == null ? null : text(field);
  }

  /** A string, or an object's url (npm's repository, Maven's scm). */
  public static String urlOf(JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank()) {
      return node.asText();
    }
    return textOf(node, "url");
  }

  /**
   * The dependencies in Wharf's own list shape ({@code dependencies: [{package, namespace,
   * dependencyType, versionRequirement}]}), as Maven's document and upstream copies store them.
   */
  public List<VersionDescription.Dependency> listedDependencies() {
    List<VersionDescription.Dependency> dependencies = new ArrayList<>();
    document.path("dependencies").forEach(node -> {
      String name = textOf(node, "package");
      if (name != null) {
        dependencies.add(new VersionDescription.Dependency(textOf(node, "namespace"), name,
            textOf(node, "dependencyType"), textOf(node, "versionRequirement")));
      }
    });
    return dependencies;
  }
}
