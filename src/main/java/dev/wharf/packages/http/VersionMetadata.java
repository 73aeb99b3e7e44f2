package dev.wharf.packages.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.packages.PackageVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the CodeArtifact API shows of a version, read from the format's own version document
 * (package_versions.metadata): npm's manifest, the PyPI upload's metadata fields, or the Maven
 * shape taken from the POM. Unknown or malformed documents give empty answers, never errors.
 */
final class VersionMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** PEP 508: a name, optional [extras], then a version specifier, a URL (@ ...) and/or a marker (; ...). */
  private static final Pattern REQUIREMENT =
      Pattern.compile("^\\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\\s*(\\[[^\\]]*\\])?\\s*(.*)$");

  record License(String name, String url) {}

  record Dependency(String namespace, String name, String dependencyType, String versionRequirement) {}

  private final PackageVersion version;
  private final JsonNode document;

  VersionMetadata(PackageVersion version) {
    this.version = version;
    JsonNode parsed;
    try {
      parsed = version.metadata() == null ? MissingNode.getInstance() : JSON.readTree(version.metadata());
    } catch (IOException e) {
      parsed = MissingNode.getInstance();
    }
    this.document = parsed == null || !parsed.isObject() ? MissingNode.getInstance() : parsed;
  }

  private String format() {
    return version.key().format();
  }

  private String text(String field) {
    JsonNode node = document.path(field);
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  /** npm: @scope/name; PyPI: the name as uploaded; others: the package name. */
  String displayName() {
    return switch (format()) {
      case "npm" -> version.key().namespace().isEmpty() ? version.key().name()
          : "@" + version.key().namespace() + "/" + version.key().name();
      case "pypi" -> text("name") != null ? text("name") : version.key().name();
      default -> version.key().name();
    };
  }

  String summary() {
    if (version.summary() != null && !version.summary().isBlank()) {
      return version.summary();
    }
    return switch (format()) {
      case "npm", "maven" -> text("description");
      case "pypi" -> text("summary");
      default -> null;
    };
  }

  String homePage() {
    return switch (format()) {
      case "npm" -> text("homepage");
      case "pypi" -> text("home_page") != null ? text("home_page") : projectUrl("homepage", "home");
      case "maven" -> text("url");
      default -> null;
    };
  }

  String sourceCodeRepository() {
    return switch (format()) {
      case "npm" -> urlOf(document.path("repository"));
      case "pypi" -> projectUrl("source", "source code", "repository", "code");
      case "maven" -> urlOf(document.path("scm"));
      default -> null;
    };
  }

  /** A string, or an object's url (npm's repository, Maven's scm). */
  private static String urlOf(JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank()) {
      return node.asText();
    }
    JsonNode url = node.path("url");
    return url.isTextual() && !url.asText().isBlank() ? url.asText() : null;
  }

  /** PyPI's Project-URL entries are "Label, https://...". */
  private String projectUrl(String... labels) {
    for (JsonNode entry : document.path("project_urls")) {
      String[] parts = entry.asText().split(",", 2);
      if (parts.length == 2) {
        String label = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (String wanted : labels) {
          if (label.equals(wanted)) {
            return parts[1].trim();
          }
        }
      }
    }
    return null;
  }

  List<License> licenses() {
    List<License> licenses = new ArrayList<>();
    switch (format()) {
      case "npm" -> {
        addNpmLicense(licenses, document.path("license"));
        document.path("licenses").forEach(node -> addNpmLicense(licenses, node));
      }
      case "pypi" -> {
        String license = text("license");
        if (license != null) {
          licenses.add(new License(license, null));
        } else {
          for (JsonNode classifier : document.path("classifiers")) {
            String value = classifier.asText();
            if (value.startsWith("License :: ")) {
              licenses.add(new License(value.substring(value.lastIndexOf("::") + 2).trim(), null));
            }
          }
        }
      }
      case "maven" -> document.path("licenses").forEach(node -> {
        String name = node.path("name").isTextual() ? node.path("name").asText() : null;
        String url = node.path("url").isTextual() ? node.path("url").asText() : null;
        if (name != null || url != null) {
          licenses.add(new License(name, url));
        }
      });
      default -> { }
    }
    return licenses;
  }

  private static void addNpmLicense(List<License> licenses, JsonNode node) {
    if (node.isTextual() && !node.asText().isBlank()) {
      licenses.add(new License(node.asText(), null));
    } else if (node.isObject() && node.path("type").isTextual()) {
      licenses.add(new License(node.path("type").asText(), node.path("url").isTextual() ? node.path("url").asText() : null));
    }
  }

  /** npm: the manifest's readme; PyPI: the long description; Maven: the POM's description; else none. */
  String readme() {
    return switch (format()) {
      case "npm" -> text("readme");
      case "pypi" -> text("description");
      case "maven" -> text("description");
      default -> null;
    };
  }

  List<Dependency> dependencies() {
    List<Dependency> dependencies = new ArrayList<>();
    switch (format()) {
      case "npm" -> {
        npmDependencies(dependencies, "dependencies", "regular");
        npmDependencies(dependencies, "devDependencies", "dev");
        npmDependencies(dependencies, "peerDependencies", "peer");
        npmDependencies(dependencies, "optionalDependencies", "optional");
      }
      case "pypi" -> document.path("requires_dist").forEach(node -> {
        Dependency dependency = pythonRequirement(node.asText());
        if (dependency != null) {
          dependencies.add(dependency);
        }
      });
      default -> document.path("dependencies").forEach(node -> {
        String name = node.path("package").isTextual() ? node.path("package").asText() : null;
        if (name != null) {
          dependencies.add(new Dependency(textOf(node, "namespace"), name, textOf(node, "dependencyType"),
              textOf(node, "versionRequirement")));
        }
      });
    }
    return dependencies;
  }

  private static String textOf(JsonNode node, String field) {
    return node.path(field).isTextual() && !node.path(field).asText().isEmpty() ? node.path(field).asText() : null;
  }

  private void npmDependencies(List<Dependency> into, String field, String type) {
    document.path(field).properties().forEach(entry -> {
      String name = entry.getKey();
      String namespace = null;
      if (name.startsWith("@") && name.indexOf('/') > 1) {
        namespace = name.substring(1, name.indexOf('/'));
        name = name.substring(name.indexOf('/') + 1);
      }
      into.add(new Dependency(namespace, name, type, entry.getValue().isTextual() ? entry.getValue().asText() : null));
    });
  }

  /** "requests[socks] (>=2.0,<3) ; python_version < '3.8'" → requests, ">=2.0,<3; python_version < '3.8'". */
  static Dependency pythonRequirement(String requirement) {
    Matcher matcher = REQUIREMENT.matcher(requirement);
    if (!matcher.matches()) {
      return null;
    }
    String rest = matcher.group(3).trim();
    String marker = null;
    int semicolon = rest.indexOf(';');
    if (semicolon >= 0 && !rest.startsWith("@")) {
      marker = rest.substring(semicolon + 1).trim();
      rest = rest.substring(0, semicolon).trim();
    }
    if (rest.startsWith("(") && rest.endsWith(")")) {
      rest = rest.substring(1, rest.length() - 1).trim();
    }
    String versionRequirement = rest.isEmpty() ? null : rest;
    if (marker != null && !marker.isEmpty()) {
      versionRequirement = (versionRequirement == null ? "" : versionRequirement) + "; " + marker;
    }
    return new Dependency(null, matcher.group(1), "Requires-Dist", versionRequirement);
  }
}
