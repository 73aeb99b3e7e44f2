package dev.wharf.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.RestJsonPages;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.api.aws.RestOperation.Permission;
import dev.wharf.api.aws.RestOperation.ProtectedResource;
import dev.wharf.api.aws.RestRequest;
import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.PackageGroup;
import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupPattern;
import dev.wharf.catalog.PackageGroupService;
import dev.wharf.catalog.PackageGroupService.Restriction;
import dev.wharf.error.WharfException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CodeArtifact's ten package group operations over rest-json. Each names the IAM action of its own name on the
 * package group's ARN (the domain's for ListPackageGroups and GetAssociatedPackageGroup), decided with the
 * domain's resource policy: package groups have none of their own.
 */
public final class PackageGroupEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PackageGroupService groups;
  private final CatalogService catalog;

  public PackageGroupEndpoints(PackageGroupService groups, CatalogService catalog) {
    this.groups = Objects.requireNonNull(groups, "groups");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  public List<RestOperation> operations() {
    List<RestOperation> ops = new ArrayList<>();
    ops.add(op("CreatePackageGroup", "POST", "/v1/package-group",
        CatalogEndpoints.tagging(r -> withRequestTags(r, group(r, r.requiredBodyText("packageGroup")))), r -> {
          PackageGroup group = groups.create(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r),
              r.requiredBodyText("packageGroup"), r.bodyText("contactInfo"), r.bodyText("description"),
              CatalogEndpoints.tags(r, "tags"));
          return CatalogEndpoints.wrap("packageGroup", description(group));
        }));
    ops.add(op("DescribePackageGroup", "GET", "/v1/package-group", this::groupInQuery, r ->
        CatalogEndpoints.wrap("packageGroup", description(groups.describe(CatalogEndpoints.owner(r),
            CatalogEndpoints.domainName(r), patternQuery(r))))));
    ops.add(op("UpdatePackageGroup", "PUT", "/v1/package-group", r -> group(r, r.requiredBodyText("packageGroup")), r ->
        CatalogEndpoints.wrap("packageGroup", description(groups.update(CatalogEndpoints.owner(r),
            CatalogEndpoints.domainName(r), r.requiredBodyText("packageGroup"), r.bodyText("description"),
            r.bodyText("contactInfo"))))));
    ops.add(op("DeletePackageGroup", "DELETE", "/v1/package-group", this::groupInQuery, r -> {
      PackageGroup group = groups.describe(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r), patternQuery(r));
      ObjectNode description = description(group); // as it was, with its parent, before it goes
      groups.delete(group.domainOwner(), group.domainName(), group.pattern().toString());
      return CatalogEndpoints.wrap("packageGroup", description);
    }));
    ops.add(op("ListPackageGroups", "POST", "/v1/package-groups", this::domain, r -> {
      Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
      String prefix = r.query("prefix");
      if (prefix != null && prefix.length() > PackageGroupPattern.MAX_LENGTH) {
        throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value at 'prefix'"
            + " failed to satisfy constraint: Member must have length less than or equal to 520");
      }
      List<PackageGroup> list = groups.list(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r), prefix);
      return RestJsonPages.page(list, r.query("next-token"), max, "packageGroups", this::description);
    }));
    ops.add(op("ListSubPackageGroups", "POST", "/v1/package-groups/sub-groups", this::groupInQuery, r -> {
      Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
      List<PackageGroup> children = groups.children(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r),
          patternQuery(r));
      return RestJsonPages.page(children, r.query("next-token"), max, "packageGroups", this::description);
    }));
    ops.add(op("GetAssociatedPackageGroup", "GET", "/v1/get-associated-package-group", this::domain, r -> {
      String namespace = r.query("namespace");
      PackageGroup group = groups.associatedGroup(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r),
          r.requiredQuery("format", "format"), namespace == null ? "" : namespace, r.requiredQuery("package", "package"));
      ObjectNode out = CatalogEndpoints.wrap("packageGroup", description(group));
      return out.put("associationType", "STRONG");
    }));
    ops.add(op("ListAssociatedPackages", "GET", "/v1/list-associated-packages", this::groupInQuery, r -> {
      Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
      String preview = r.query("preview");
      if (preview != null && !preview.equals("true") && !preview.equals("false")) {
        throw new WharfException.Invalid("ValidationException", "preview must be true or false");
      }
      var packages = groups.associatedPackages(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r),
          patternQuery(r), "true".equals(preview));
      return RestJsonPages.page(packages, r.query("next-token"), max, "packages", p -> {
        ObjectNode node = JSON.createObjectNode().put("format", p.format());
        if (!p.namespace().isEmpty()) {
          node.put("namespace", p.namespace());
        }
        return node.put("package", p.name()).put("associationType", "STRONG");
      });
    }));
    ops.add(op("UpdatePackageGroupOriginConfiguration", "PUT", "/v1/package-group-origin-configuration",
        this::groupInQuery, r -> {
          Map<RestrictionType, Mode> modes = new EnumMap<>(RestrictionType.class);
          JsonNode restrictions = r.body() == null ? JSON.missingNode() : r.body().path("restrictions");
          if (!restrictions.isMissingNode() && !restrictions.isNull()) {
            if (!restrictions.isObject()) {
              throw new WharfException.Invalid("ValidationException", "restrictions must be a map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = restrictions.fields(); it.hasNext(); ) {
              Map.Entry<String, JsonNode> entry = it.next();
              modes.put(restrictionType(entry.getKey(), "restrictions"), mode(entry.getValue()));
            }
          }
          Map<RestrictionType, List<String>> add = allowedRepositories(r, "addAllowedRepositories");
          Map<RestrictionType, List<String>> remove = allowedRepositories(r, "removeAllowedRepositories");
          String owner = CatalogEndpoints.owner(r);
          String domain = CatalogEndpoints.domainName(r);
          groups.updateOrigin(owner, domain, patternQuery(r), modes, add, remove);
          ObjectNode out = CatalogEndpoints.wrap("packageGroup", description(groups.describe(owner, domain,
              patternQuery(r))));
          ObjectNode updates = out.putObject("allowedRepositoryUpdates");
          for (RestrictionType type : RestrictionType.values()) {
            if (add.containsKey(type) || remove.containsKey(type)) {
              ObjectNode byType = updates.putObject(type.name());
              if (add.containsKey(type)) {
                add.get(type).forEach(byType.withArray("ADDED")::add);
              }
              if (remove.containsKey(type)) {
                remove.get(type).forEach(byType.withArray("REMOVED")::add);
              }
            }
          }
          return out;
        }));
    ops.add(op("ListAllowedRepositoriesForGroup", "GET", "/v1/package-group-allowed-repositories",
        this::groupInQuery, r -> {
          Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
          RestrictionType type = restrictionType(r.requiredQuery("originRestrictionType", "originRestrictionType"),
              "originRestrictionType");
          List<String> names = groups.allowedRepositories(CatalogEndpoints.owner(r), CatalogEndpoints.domainName(r),
              patternQuery(r), type);
          ObjectNode page = RestJsonPages.page(names, r.query("next-token"), max, "allowedRepositories",
              name -> JSON.getNodeFactory().textNode(name));
          return page;
        }));
    return List.copyOf(ops);
  }

  private static RestOperation op(String name, String method, String path, RestOperation.ResourceResolver resource,
      RestOperation.Handler handler) {
    return new RestOperation(name, method, path, new Permission.PolicyAction("codeartifact:" + name, resource), handler);
  }

  // ---------------------------------------------------------------- request members

  private static String patternQuery(RestRequest r) {
    return r.requiredQuery("package-group", "packageGroup");
  }

  private static RestrictionType restrictionType(String value, String member) {
    try {
      return RestrictionType.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value
          + "' at '" + member + "' failed to satisfy constraint: Member must satisfy enum value set: "
          + List.of(RestrictionType.values()));
    }
  }

  private static Mode mode(JsonNode value) {
    try {
      return Mode.valueOf(value.asText());
    } catch (IllegalArgumentException e) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value.asText()
          + "' at 'restrictions' failed to satisfy constraint: Member must satisfy enum value set: "
          + List.of(Mode.values()));
    }
  }

  private static Map<RestrictionType, List<String>> allowedRepositories(RestRequest r, String member) {
    List<Map.Entry<RestrictionType, String>> entries = r.bodyList(member, 100, node -> {
      if (!node.path("repositoryName").isTextual() || !node.path("originRestrictionType").isTextual()) {
        throw new WharfException.Invalid("ValidationException",
            "Each of " + member + " needs a repositoryName and an originRestrictionType");
      }
      return Map.entry(restrictionType(node.path("originRestrictionType").asText(), member),
          CatalogService.requireRepositoryName(node.path("repositoryName").asText(), member + ".member.repositoryName"));
    });
    Map<RestrictionType, LinkedHashSet<String>> byType = new EnumMap<>(RestrictionType.class);
    if (entries != null) {
      entries.forEach(e -> byType.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
    }
    Map<RestrictionType, List<String>> out = new EnumMap<>(RestrictionType.class);
    byType.forEach((type, names) -> out.put(type, List.copyOf(names)));
    return out;
  }

  // ---------------------------------------------------------------- resources for authorization

  private ProtectedResource domain(RestRequest r) {
    String owner = CatalogEndpoints.owner(r);
    String domain = CatalogEndpoints.domainName(r);
    String arn = CodeArtifactArns.domain(catalog.region(), owner, domain);
    return new ProtectedResource(arn, owner, catalog.domainPolicies(owner, domain).orElse(List.of()),
        catalog.resourceTagContext(arn));
  }

  private ProtectedResource groupInQuery(RestRequest r) {
    return group(r, patternQuery(r));
  }

  /** The group's ARN (the pattern is checked first: a bad one is a ValidationException, not a denial). */
  private ProtectedResource group(RestRequest r, String patternText) {
    String owner = CatalogEndpoints.owner(r);
    String domain = CatalogEndpoints.domainName(r);
    String arn = groups.arn(owner, domain, groups.pattern(patternText));
    return new ProtectedResource(arn, owner, catalog.domainPolicies(owner, domain).orElse(List.of()),
        catalog.resourceTagContext(arn));
  }

  private static ProtectedResource withRequestTags(RestRequest r, ProtectedResource resource) {
    return new ProtectedResource(resource.arn(), resource.accountId(), resource.policies(),
        CatalogEndpoints.merged(resource.context(), CatalogEndpoints.requestTagContext(r)));
  }

  // ---------------------------------------------------------------- rendering

  private ObjectNode description(PackageGroup group) {
    ObjectNode node = JSON.createObjectNode().put("arn", group.arn()).put("pattern", group.pattern().toString())
        .put("domainName", group.domainName()).put("domainOwner", group.domainOwner())
        .put("createdTime", RestJsonPages.epochSeconds(group.createdAt()));
    if (group.contactInfo() != null) {
      node.put("contactInfo", group.contactInfo());
    }
    if (group.description() != null) {
      node.put("description", group.description());
    }
    ObjectNode restrictions = node.putObject("originConfiguration").putObject("restrictions");
    for (Map.Entry<RestrictionType, Restriction> entry : groups.restrictions(group).entrySet()) {
      Restriction restriction = entry.getValue();
      ObjectNode out = restrictions.putObject(entry.getKey().name()).put("mode", restriction.mode().name())
          .put("effectiveMode", restriction.effectiveMode().name());
      restriction.inheritedFrom().ifPresent(from -> out.set("inheritedFrom", reference(from)));
      if (restriction.effectiveMode() == Mode.ALLOW_SPECIFIC_REPOSITORIES && restriction.inheritedFrom().isEmpty()) {
        out.put("repositoriesCount", restriction.repositories());
      }
    }
    groups.parent(group).ifPresent(parent -> node.set("parent", reference(parent)));
    return node;
  }

  private static ObjectNode reference(PackageGroup group) {
    return JSON.createObjectNode().put("arn", group.arn()).put("pattern", group.pattern().toString());
  }
}
