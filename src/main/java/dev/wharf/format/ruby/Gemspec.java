package dev.wharf.format.ruby;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wharf.error.WharfException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The part of a gem's specification ({@code metadata.gz}: the YAML RubyGems writes) that an index,
 * {@code gem install} and the API need. The YAML is read as plain data: its {@code !ruby/object}
 * tags construct nothing, aliases and nesting are bounded (an alias bomb is refused), and only the
 * fields below are kept.
 *
 * @param platform {@code ruby}, or a platform such as {@code x86_64-linux}
 * @param dependencies runtime and development dependencies, in the gemspec's order
 */
record Gemspec(String name, String version, String platform, String summary, String description, List<String> authors,
    List<String> email, String homepage, List<String> licenses, Map<String, String> metadata,
    List<Dependency> dependencies, List<Constraint> requiredRubyVersion, List<Constraint> requiredRubygemsVersion,
    String rubygemsVersion, int specificationVersion, String date) {

  /** One requirement: an operator and a version ({@code ~> 1.0}). */
  record Constraint(String operator, String version) {
    @Override
    public String toString() {
      return operator + " " + version;
    }
  }

  /** A dependency: {@code runtime} or {@code development}, with its requirements. */
  record Dependency(String name, String type, List<Constraint> requirements) {}

  /** The largest {@code metadata.gz} inflated. */
  static final int MAX_BYTES = 1024 * 1024;
  private static final int MAX_LIST = 10_000;
  private static final ObjectMapper YAML;

  static {
    LoaderOptions limits = new LoaderOptions();
    limits.setMaxAliasesForCollections(20);
    limits.setAllowRecursiveKeys(false);
    limits.setNestingDepthLimit(32);
    limits.setCodePointLimit(MAX_BYTES);
    limits.setAllowDuplicateKeys(false);
    YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build());
  }

  static List<String> operators() {
    return List.of("=", "!=", ">", "<", ">=", "<=", "~>");
  }

  /** @throws WharfException.Invalid for YAML that is not a gem specification this can read */
  static Gemspec parse(byte[] yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException | RuntimeException e) {
      throw new WharfException.Invalid("The gem's metadata.gz is not a YAML gem specification");
    }
    if (root == null || !root.isObject()) {
      throw new WharfException.Invalid("The gem's metadata.gz is not a YAML gem specification");
    }
    String name = text(root, "name");
    String version = root.path("version").isObject() ? text(root.path("version"), "version") : text(root, "version");
    if (name == null || version == null) {
      throw new WharfException.Invalid("The gem's specification has no name or version");
    }
    RubyNames.requireName(name);
    RubyNames.requireVersion(version);
    String platform = platform(root.path("platform"));
    List<Dependency> dependencies = new ArrayList<>();
    JsonNode deps = root.path("dependencies");
    if (deps.size() > MAX_LIST) {
      throw new WharfException.Invalid("The gem has more than " + MAX_LIST + " dependencies");
    }
    for (JsonNode dep : deps) {
      String depName = text(dep, "name");
      if (depName == null || !RubyNames.validName(depName)) {
        throw new WharfException.Invalid("The gem has a dependency with an invalid name");
      }
      String type = dep.path("type").asText(":runtime").replaceFirst("^:", "");
      if (!type.equals("runtime") && !type.equals("development")) {
        throw new WharfException.Invalid("Dependency " + depName + " has an unknown type " + type);
      }
      dependencies.add(new Dependency(depName, type, requirement(dep.path("requirement"), depName)));
    }
    int specificationVersion = root.path("specification_version").asInt(4);
    return new Gemspec(name, version, platform, text(root, "summary"), text(root, "description"), strings(root.path("authors")),
        strings(root.path("email")), text(root, "homepage"), strings(root.path("licenses")), metadata(root.path("metadata")),
        List.copyOf(dependencies), requirement(root.path("required_ruby_version"), "required_ruby_version"),
        requirement(root.path("required_rubygems_version"), "required_rubygems_version"),
        text(root, "rubygems_version") != null ? text(root, "rubygems_version") : "3.3.15",
        specificationVersion < 1 || specificationVersion > 4 ? 4 : specificationVersion,
        root.path("date").asText("").matches("\\d{4}-\\d{2}-\\d{2}.*") ? root.path("date").asText().substring(0, 10)
            : "1980-01-02"); // RubyGems' default date; Gem::Specification#date= refuses anything else
  }

  /** The name RubyGems gives the gem's file, without {@code .gem}: {@code name-version[-platform]}. */
  String fullName() {
    return RubyNames.fullName(name, version, platform);
  }

  private static String platform(JsonNode node) {
    String platform;
    if (node.isObject()) { // a Gem::Platform: cpu, os, version
      List<String> parts = new ArrayList<>();
      for (String field : List.of("cpu", "os", "version")) {
        String value = text(node, field);
        if (value != null) {
          parts.add(value);
        }
      }
      platform = String.join("-", parts);
    } else {
      platform = node.isTextual() ? node.asText() : "ruby";
    }
    if (platform.isEmpty()) {
      platform = "ruby";
    }
    if (!RubyNames.validPlatform(platform)) {
      throw new WharfException.Invalid("The gem's platform '" + platform + "' is not a platform RubyGems names");
    }
    return platform;
  }

  private static List<Constraint> requirement(JsonNode requirement, String what) {
    List<Constraint> constraints = new ArrayList<>();
    JsonNode list = requirement.path("requirements");
    if (list.size() > 100) {
      throw new WharfException.Invalid("The requirement of " + what + " has more than 100 parts");
    }
    for (JsonNode pair : list) {
      String operator = pair.path(0).asText("");
      JsonNode versionNode = pair.path(1);
      String version = versionNode.isObject() ? text(versionNode, "version") : versionNode.asText(null);
      if (!operators().contains(operator) || version == null || !RubyNames.validVersion(version)) {
        throw new WharfException.Invalid("The requirement of " + what + " is malformed");
      }
      constraints.add(new Constraint(operator, version));
    }
    if (constraints.isEmpty()) {
      constraints.add(new Constraint(">=", "0"));
    }
    return List.copyOf(constraints);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(value -> {
        if (value.isValueNode() && !value.isNull() && values.size() < MAX_LIST) {
          values.add(value.asText());
        }
      });
    }
    return List.copyOf(values);
  }

  private static Map<String, String> metadata(JsonNode node) {
    Map<String, String> values = new LinkedHashMap<>();
    node.properties().forEach(entry -> {
      if (entry.getValue().isValueNode() && !entry.getValue().isNull() && values.size() < MAX_LIST) {
        values.put(entry.getKey(), entry.getValue().asText());
      }
    });
    return values;
  }
}
