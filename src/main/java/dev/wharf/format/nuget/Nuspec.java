package dev.wharf.format.nuget;

import dev.wharf.error.WharfException;
import dev.wharf.format.XmlDocuments;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What Wharf reads from a {@code .nuspec}: the id and version, the descriptive fields NuGet's
 * registration shows, the readme's path in the package, and the dependencies by target framework
 * (a flat {@code <dependencies>} list is one group without a framework).
 *
 * @param version the version as written; {@link #normalizedVersion()} is what is stored
 */
public record Nuspec(String id, String version, String normalizedVersion, String title, String description,
    String summary, String authors, String tags, String projectUrl, String licenseExpression, String licenseUrl,
    String repositoryUrl, String readme, List<DependencyGroup> dependencyGroups) {
  static final int MAX_DEPENDENCIES = 10_000;
  static final int MAX_GROUPS = 1_000;
  private static final int MAX_TEXT = 64 * 1024;

  /** The dependencies for one target framework (null: any). */
  public record DependencyGroup(String targetFramework, List<Dependency> dependencies) {}

  /** A dependency: its id and its version range as written (null: any version). */
  public record Dependency(String id, String range) {}

  /**
   * Parses a {@code .nuspec}.
   *
   * @throws WharfException.Invalid when it is not XML, has no {@code package/metadata}, or its id or
   *     version is invalid, or it lists more dependencies than any real package
   */
  public static Nuspec parse(byte[] xml) {
    Element root = XmlDocuments.parse(xml).map(d -> d.getDocumentElement())
        .orElseThrow(() -> new WharfException.Invalid("The .nuspec is not well-formed XML (or declares a DTD)"));
    if (!root.getTagName().equals("package")) {
      throw new WharfException.Invalid("The .nuspec's root element is <" + root.getTagName() + ">, not <package>");
    }
    Element metadata = child(root, "metadata");
    if (metadata == null) {
      throw new WharfException.Invalid("The .nuspec has no <metadata>");
    }
    String id = NugetNames.requireId(text(metadata, "id"));
    String version = text(metadata, "version");
    String normalized = NugetNames.requireVersion(version);
    Element license = child(metadata, "license");
    String licenseExpression = license != null && "expression".equals(license.getAttribute("type"))
        ? bounded(license.getTextContent().strip()) : null;
    Element repository = child(metadata, "repository");
    String repositoryUrl = repository == null || repository.getAttribute("url").isBlank() ? null
        : bounded(repository.getAttribute("url"));
    return new Nuspec(id, version.strip(), normalized, text(metadata, "title"), text(metadata, "description"),
        text(metadata, "summary"), text(metadata, "authors"), text(metadata, "tags"), text(metadata, "projectUrl"),
        licenseExpression, text(metadata, "licenseUrl"), repositoryUrl, text(metadata, "readme"),
        dependencyGroups(child(metadata, "dependencies")));
  }

  private static List<DependencyGroup> dependencyGroups(Element dependencies) {
    List<DependencyGroup> groups = new ArrayList<>();
    if (dependencies == null) {
      return groups;
    }
    int[] count = {0};
    List<Dependency> flat = dependencies(dependencies, count);
    if (!flat.isEmpty()) {
      groups.add(new DependencyGroup(null, flat));
    }
    for (Element group : children(dependencies, "group")) {
      if (groups.size() >= MAX_GROUPS) {
        throw new WharfException.Invalid("The .nuspec has more than " + MAX_GROUPS + " dependency groups");
      }
      String framework = group.getAttribute("targetFramework");
      groups.add(new DependencyGroup(framework.isBlank() ? null : bounded(framework.strip()), dependencies(group, count)));
    }
    return List.copyOf(groups);
  }

  private static List<Dependency> dependencies(Element parent, int[] count) {
    List<Dependency> out = new ArrayList<>();
    for (Element dependency : children(parent, "dependency")) {
      if (++count[0] > MAX_DEPENDENCIES) {
        throw new WharfException.Invalid("The .nuspec has more than " + MAX_DEPENDENCIES + " dependencies");
      }
      String id = NugetNames.requireId(dependency.getAttribute("id"));
      String range = dependency.getAttribute("version");
      out.add(new Dependency(id, range.isBlank() ? null : bounded(range.strip())));
    }
    return List.copyOf(out);
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        out.add(element);
      }
    }
    return out;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    if (element == null) {
      return null;
    }
    String text = element.getTextContent().strip();
    return text.isEmpty() ? null : bounded(text);
  }

  private static String bounded(String text) {
    if (text.length() > MAX_TEXT) {
      throw new WharfException.Invalid("A field of the .nuspec is longer than " + MAX_TEXT + " characters");
    }
    return text;
  }
}
