package dev.wharf.packages.http;

import static dev.wharf.packages.http.PackageRequests.domainName;
import static dev.wharf.packages.http.PackageRequests.owner;
import static dev.wharf.packages.http.PackageRequests.packageNotFound;
import static dev.wharf.packages.http.PackageRequests.repositoryMember;

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
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.identity.PermissionService;
import dev.wharf.packages.OriginRestrictions;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.OriginControlService;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.packages.VersionLifecycleService.BatchResult;
import dev.wharf.packages.VersionLifecycleService.VersionOutcome;
import dev.wharf.packages.VersionStatus;
import dev.wharf.policy.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * CodeArtifact's package management operations over rest-json: DescribePackage, DeletePackage,
 * PutPackageOriginConfiguration, GetPackageVersionReadme, ListPackageVersionDependencies,
 * UpdatePackageVersionsStatus, DeletePackageVersions, DisposePackageVersions and
 * CopyPackageVersions. Each declares its IAM action on the package's ARN (for a copy: the
 * destination's, and the caller must also be allowed ReadFromRepository on the source repository).
 */
public final class PackageManagementEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STATUSES = List.of("Published", "Unfinished", "Unlisted", "Archived", "Disposed",
      "Deleted");
  /** PackageName, PackageNamespace and PackageVersion in the model: 1..255 characters, none of # / or whitespace. */
  private static final Pattern NAME = Pattern.compile("[^#/\\s]{1,255}");
  private static final Pattern REVISION = Pattern.compile("\\S{1,50}");
  private static final int MAX_VERSIONS = 100;

  private final PackageService packages;
  private final OriginControlService origins;
  private final VersionLifecycleService lifecycle;
  private final UpstreamService upstreams;
  private final CatalogService catalog;
  private final PackageRequests requests;
  private final FormatRegistry formats;
  private final PermissionService permissions;

  public PackageManagementEndpoints(PackageService packages, OriginControlService origins,
      VersionLifecycleService lifecycle, UpstreamService upstreams, CatalogService catalog,
      PermissionService permissions, FormatRegistry formats) {
    this.formats = Objects.requireNonNull(formats, "formats");
    this.packages = Objects.requireNonNull(packages, "packages");
    this.origins = Objects.requireNonNull(origins, "origins");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.requests = new PackageRequests(packages, catalog, formats);
    this.permissions = Objects.requireNonNull(permissions, "permissions");
  }

  public List<RestOperation> operations() {
    List<RestOperation> ops = new ArrayList<>();
    ops.add(op("DescribePackage", "GET", "/v1/package", requests::packageResource, r -> {
      PackageKey key = requests.existingPackage(r);
      ObjectNode description = keyFields(JSON.createObjectNode(), key, "name");
      // in effect: the package's own configuration combined with its package group's restrictions
      description.set("originConfiguration", originConfiguration(origins.effectiveRestrictions(key)));
      // Wharf's addition, outside CodeArtifact's model (SDKs and the aws CLI ignore it): the package's
      // dist-tags (npm), which the web console shows.
      Map<String, String> tags = packages.distTags(key);
      if (!tags.isEmpty()) {
        ObjectNode distTags = description.putObject("distTags");
        new java.util.TreeMap<>(tags).forEach(distTags::put);
      }
      ObjectNode out = JSON.createObjectNode();
      out.set("package", description);
      return out;
    }));
    ops.add(op("DeletePackage", "DELETE", "/v1/package", requests::packageResource, r -> {
      PackageKey key = requests.existingPackage(r);
      OriginRestrictions restrictions = origins.originRestrictions(key);
      PackageSummary deleted = packages.deletePackage(key).orElseThrow(() -> packageNotFound(key));
      ObjectNode summary = keyFields(JSON.createObjectNode(), deleted.key(), "package");
      summary.set("originConfiguration", originConfiguration(restrictions));
      ObjectNode out = JSON.createObjectNode();
      out.set("deletedPackage", summary);
      return out;
    }));
    ops.add(op("PutPackageOriginConfiguration", "POST", "/v1/package", requests::packageResource, r -> {
      requests.requireRepository(r);
      PackageKey key = requests.key(r);
      // It creates the package when there is none: only one a client could publish or read.
      if (packages.packageRecord(key).isEmpty()) {
        formats.require(key.format()).requireCreatable(key.namespace(), key.name());
      }
      JsonNode restrictions = r.body().path("restrictions");
      if (restrictions.isMissingNode() || restrictions.isNull()) {
        throw missing("restrictions");
      }
      if (!restrictions.isObject()) {
        throw new WharfException.Invalid("ValidationException", "Member restrictions must be a structure");
      }
      OriginRestrictions wanted = new OriginRestrictions(mode(restrictions, "publish"), mode(restrictions, "upstream"));
      origins.putOriginRestrictions(key, wanted);
      ObjectNode out = JSON.createObjectNode();
      out.set("originConfiguration", originConfiguration(wanted));
      return out;
    }));
    ops.add(op("GetPackageVersionReadme", "GET", "/v1/package/version/readme", requests::packageResource, r -> {
      PackageVersion version = requests.existingVersion(r);
      ObjectNode out = versionFields(version);
      String readme = formats.require(version.key().format()).describe(version).readme();
      if (readme != null) {
        out.put("readme", readme);
      }
      return out;
    }));
    ops.add(op("ListPackageVersionDependencies", "POST", "/v1/package/version/dependencies", requests::packageResource, r -> {
      PackageVersion version = requests.existingVersion(r);
      ObjectNode out = RestJsonPages.page(formats.require(version.key().format()).describe(version).dependencies(), r.query("next-token"), null,
          "dependencies", dependency -> {
            ObjectNode node = JSON.createObjectNode();
            if (dependency.namespace() != null) {
              node.put("namespace", dependency.namespace());
            }
            node.put("package", dependency.name());
            if (dependency.dependencyType() != null) {
              node.put("dependencyType", dependency.dependencyType());
            }
            if (dependency.versionRequirement() != null) {
              node.put("versionRequirement", dependency.versionRequirement());
            }
            return node;
          });
      out.setAll(versionFields(version));
      return out;
    }));
    ops.add(op("UpdatePackageVersionsStatus", "POST", "/v1/package/versions/update_status", requests::packageResource, r -> {
      PackageKey key = requests.existingPackage(r);
      List<String> versions = versions(r, true);
      Map<String, String> revisions = revisions(r);
      VersionStatus expected = status(r.bodyText("expectedStatus"), "expectedStatus");
      String target = r.requiredBodyText("targetStatus");
      VersionStatus targetStatus = status(target, "targetStatus");
      return render(lifecycle.updateVersionsStatus(key, versions, revisions, expected, targetStatus));
    }));
    ops.add(op("DeletePackageVersions", "POST", "/v1/package/versions/delete", requests::packageResource, r -> {
      PackageKey key = requests.existingPackage(r);
      List<String> versions = versions(r, true);
      VersionStatus expected = status(r.bodyText("expectedStatus"), "expectedStatus");
      return render(lifecycle.deleteVersions(key, versions, expected));
    }));
    ops.add(op("DisposePackageVersions", "POST", "/v1/package/versions/dispose", requests::packageResource, r -> {
      PackageKey key = requests.existingPackage(r);
      List<String> versions = versions(r, true);
      Map<String, String> revisions = revisions(r);
      VersionStatus expected = status(r.bodyText("expectedStatus"), "expectedStatus");
      return render(lifecycle.disposeVersions(key, versions, revisions, expected));
    }));
    ops.add(op("CopyPackageVersions", "POST", "/v1/package/versions/copy", this::copyDestination, r -> {
      String owner = owner(r);
      String domain = domainName(r);
      String source = repositoryMember(r, "source-repository", "sourceRepository");
      String destination = repositoryMember(r, "destination-repository", "destinationRepository");
      List<String> versions = versions(r, false);
      Map<String, String> revisions = revisions(r);
      if ((versions == null) == revisions.isEmpty() || (versions != null && r.body().has("versionRevisions"))) {
        throw new WharfException.Invalid("ValidationException", "Specify versions or versionRevisions, not both");
      }
      if (source.equals(destination)) {
        throw new WharfException.Invalid("ValidationException",
            "The source and destination repositories must be different");
      }
      if (r.body().has("allowOverwrite") && !r.body().path("allowOverwrite").isBoolean()
          || r.body().has("includeFromUpstream") && !r.body().path("includeFromUpstream").isBoolean()) {
        throw new WharfException.Invalid("ValidationException", "allowOverwrite and includeFromUpstream must be booleans");
      }
      catalog.describeRepository(owner, domain, source);
      catalog.describeRepository(owner, domain, destination);
      requireReadable(r, owner, domain, source);
      PackageKey sourceKey = requests.key(r, source);
      // includeFromUpstream: versions only the source's upstream repositories have are copied too (read
      // permission on the source is what reading through it takes); external connections are not asked.
      boolean includeFromUpstream = r.body().path("includeFromUpstream").asBoolean(false);
      if (includeFromUpstream ? !upstreams.existsInRepositories(sourceKey) : packages.findPackage(sourceKey).isEmpty()) {
        throw packageNotFound(sourceKey);
      }
      return render(lifecycle.copyVersions(sourceKey, destination, versions == null ? List.of() : versions, revisions,
          r.body().path("allowOverwrite").asBoolean(false),
          includeFromUpstream ? upstreams.upstreamVersions(sourceKey) : v -> java.util.Optional.empty()));
    }));
    return List.copyOf(ops);
  }

  private static RestOperation op(String name, String method, String path, RestOperation.ResourceResolver resource,
      RestOperation.Handler handler) {
    return new RestOperation(name, method, path, new Permission.PolicyAction("codeartifact:" + name, resource), handler);
  }

  // ---------------------------------------------------------------- rendering

  static ObjectNode originConfiguration(OriginRestrictions restrictions) {
    ObjectNode node = JSON.createObjectNode();
    node.putObject("restrictions").put("publish", restrictions.publish().name())
        .put("upstream", restrictions.upstream().name());
    return node;
  }

  private static ObjectNode keyFields(ObjectNode node, PackageKey key, String nameMember) {
    node.put("format", key.format());
    if (key.namespaceOrNull() != null) {
      node.put("namespace", key.namespace());
    }
    node.put(nameMember, key.name());
    return node;
  }

  private static ObjectNode versionFields(PackageVersion version) {
    return keyFields(JSON.createObjectNode(), version.key(), "package").put("version", version.version())
        .put("versionRevision", version.revision());
  }

  private static ObjectNode render(BatchResult result) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode successful = out.putObject("successfulVersions");
    ObjectNode failed = out.putObject("failedVersions");
    result.outcomes().forEach((version, outcome) -> {
      switch (outcome) {
        case VersionOutcome.Succeeded done -> successful.putObject(version).put("revision", done.revision())
            .put("status", done.status());
        case VersionOutcome.Failed failure -> failed.putObject(version).put("errorCode", failure.code().name())
            .put("errorMessage", failure.message());
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- request members

  private static WharfException.Invalid missing(String member) {
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value null at '" + member
        + "' failed to satisfy constraint: Member must not be null");
  }

  private static WharfException.Invalid pattern(String value, String member) {
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
        + member + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [^#/\\s]+"
        + " and have length between 1 and 255");
  }

  private static VersionStatus status(String value, String member) {
    if (value == null) {
      return null;
    }
    if (!STATUSES.contains(value)) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
          + member + "' failed to satisfy constraint: Member must satisfy enum value set: " + STATUSES);
    }
    if ("Deleted".equals(value)) {
      throw new WharfException.Invalid("ValidationException", "A version cannot have the status Deleted here ("
          + member + ")");
    }
    return VersionStatus.fromWireName(value);
  }

  private static OriginRestrictions.Mode mode(JsonNode restrictions, String member) {
    JsonNode node = restrictions.path(member);
    if (node.isMissingNode() || node.isNull()) {
      throw missing("restrictions." + member);
    }
    String value = node.asText();
    if (!node.isTextual() || !(value.equals("ALLOW") || value.equals("BLOCK"))) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value
          + "' at 'restrictions." + member + "' failed to satisfy constraint: Member must satisfy enum value set: [ALLOW,"
          + " BLOCK]");
    }
    return OriginRestrictions.Mode.valueOf(value);
  }

  /** The body's versions list, each read as the format's API reads versions (null when absent and not required). */
  private List<String> versions(RestRequest r, boolean required) {
    JsonNode node = r.body().path("versions");
    if (node.isMissingNode() || node.isNull()) {
      if (required) {
        throw missing("versions");
      }
      return null;
    }
    if (!node.isArray()) {
      throw new WharfException.Invalid("ValidationException", "Member versions must be a list");
    }
    if (node.size() > MAX_VERSIONS) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value at 'versions' failed"
          + " to satisfy constraint: Member must have length less than or equal to " + MAX_VERSIONS);
    }
    UnaryOperator<String> apiVersion = requests.apiVersions(r);
    List<String> versions = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual() || !NAME.matcher(element.asText()).matches()) {
        throw pattern(element.asText(), "versions");
      }
      versions.add(apiVersion.apply(element.asText()));
    }
    return versions;
  }

  /** The body's versionRevisions, each version read as the format's API reads versions (empty when absent). */
  private Map<String, String> revisions(RestRequest r) {
    JsonNode node = r.body().path("versionRevisions");
    Map<String, String> revisions = new LinkedHashMap<>();
    if (node.isMissingNode() || node.isNull()) {
      return revisions;
    }
    if (!node.isObject()) {
      throw new WharfException.Invalid("ValidationException", "Member versionRevisions must be a map");
    }
    if (node.size() > MAX_VERSIONS) {
      throw new WharfException.Invalid("ValidationException", "Member versionRevisions must have at most "
          + MAX_VERSIONS + " entries");
    }
    UnaryOperator<String> apiVersion = requests.apiVersions(r);
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!NAME.matcher(entry.getKey()).matches()) {
        throw pattern(entry.getKey(), "versionRevisions");
      }
      if (!entry.getValue().isTextual() || !REVISION.matcher(entry.getValue().asText()).matches()) {
        throw new WharfException.Invalid("ValidationException", "The revision of version " + entry.getKey()
            + " must be a string of 1 to 50 non-space characters");
      }
      String version = apiVersion.apply(entry.getKey());
      String earlier = revisions.put(version, entry.getValue().asText());
      if (earlier != null && !earlier.equals(entry.getValue().asText())) {
        throw new WharfException.Invalid("ValidationException", "versionRevisions names version " + version
            + " twice, with different revisions");
      }
    }
    return revisions;
  }

  // ---------------------------------------------------------------- resources for authorization

  private ProtectedResource copyDestination(RestRequest r) {
    return requests.packageResource(requests.key(r, repositoryMember(r, "destination-repository",
        "destinationRepository")));
  }

  /** A copy reads the source: the caller must be allowed codeartifact:ReadFromRepository on it too. */
  private void requireReadable(RestRequest r, String owner, String domain, String repository) {
    String arn = CodeArtifactArns.repository(catalog.region(), owner, domain, repository);
    String action = "codeartifact:ReadFromRepository";
    Decision decision = permissions.authorize(r.principal(), r.origin(), action, arn, owner,
        requests.policies(owner, domain, repository), catalog.resourceTagContext(arn));
    if (!decision.allowed()) {
      throw PermissionService.denied(r.principal(), action, arn, decision);
    }
  }
}
