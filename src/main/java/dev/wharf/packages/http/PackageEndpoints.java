package dev.wharf.packages.http;

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
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.policy.AttachedPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * CodeArtifact's package read operations over rest-json: ListPackages, ListPackageVersions,
 * DescribePackageVersion, ListPackageVersionAssets. Each declares its IAM action; the resource is
 * the repository (ListPackages) or the package ARN, with the repository's permissions policy.
 */
public final class PackageEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FORMATS = List.of("npm", "pypi", "maven", "nuget", "generic", "ruby", "swift", "cargo");

  private final PackageService packages;
  private final CatalogService catalog;

  public PackageEndpoints(PackageService packages, CatalogService catalog) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  public List<RestOperation> operations() {
    List<RestOperation> ops = new ArrayList<>();
    ops.add(op("ListPackages", "POST", "/v1/packages", this::repository, r -> {
      requireRepository(r);
      String format = r.query("format");
      if (format != null) {
        requireFormat(format);
      }
      List<PackageSummary> found = packages.listPackages(owner(r), domainName(r), repositoryName(r), format,
          r.query("namespace"), r.query("package-prefix"));
      return RestJsonPages.page(found, r.query("next-token"), r.queryInt("max-results", "maxResults", 1, 1000), "packages",
          summary -> {
            ObjectNode node = JSON.createObjectNode().put("format", summary.key().format());
            if (summary.key().namespaceOrNull() != null) {
              node.put("namespace", summary.key().namespace());
            }
            node.put("package", summary.key().name());
            node.putObject("originConfiguration").putObject("restrictions").put("publish", "ALLOW").put("upstream", "ALLOW");
            return node;
          });
    }));
    ops.add(op("ListPackageVersions", "POST", "/v1/package/versions", this::packageResource, r -> {
      PackageKey key = existingPackage(r);
      String status = r.query("status");
      String originType = r.query("originType");
      List<PackageVersion> versions = new ArrayList<>(packages.versions(key).stream()
          .filter(v -> status == null || v.status().wireName().equals(status))
          .filter(v -> originType == null || v.origin().equals(originType)).toList());
      if ("PUBLISHED_TIME".equals(r.query("sortBy"))) {
        versions.sort(Comparator.comparing(PackageVersion::publishedAt).reversed());
      }
      ObjectNode out = RestJsonPages.page(versions, r.query("next-token"), r.queryInt("max-results", "maxResults", 1, 1000),
          "versions", v -> {
            ObjectNode node = JSON.createObjectNode().put("version", v.version()).put("revision", v.revision())
                .put("status", v.status().wireName());
            origin(node, v);
            return node;
          });
      out.put("format", key.format());
      if (key.namespaceOrNull() != null) {
        out.put("namespace", key.namespace());
      }
      out.put("package", key.name());
      packages.versions(key).stream().filter(v -> v.status() == VersionStatus.PUBLISHED)
          .max(Comparator.comparing(PackageVersion::publishedAt))
          .ifPresent(v -> out.put("defaultDisplayVersion", v.version()));
      return out;
    }));
    ops.add(op("DescribePackageVersion", "GET", "/v1/package/version", this::packageResource, r -> {
      PackageVersion version = existingVersion(r);
      PackageKey key = version.key();
      ObjectNode node = JSON.createObjectNode().put("format", key.format());
      if (key.namespaceOrNull() != null) {
        node.put("namespace", key.namespace());
      }
      // PyPI keeps the name as uploaded and the license in its version document (the package is stored normalized).
      com.fasterxml.jackson.databind.JsonNode document = "pypi".equals(key.format()) ? readMetadata(version) : null;
      String displayName = document != null && document.path("name").isTextual() ? document.path("name").asText()
          : key.name();
      node.put("packageName", key.name()).put("displayName", displayName).put("version", version.version());
      // A Maven version is created by its first file; its POM's description may come later, into its document.
      com.fasterxml.jackson.databind.JsonNode maven = "maven".equals(key.format()) ? readMetadata(version) : null;
      if (version.summary() != null) {
        node.put("summary", version.summary());
      } else if (maven != null && maven.path("description").isTextual()) {
        node.put("summary", maven.path("description").asText());
      }
      node.put("publishedTime", RestJsonPages.epochSeconds(version.publishedAt())).put("revision", version.revision())
          .put("status", version.status().wireName());
      var licenses = node.putArray("licenses");
      if (document != null && document.path("license").isTextual() && !document.path("license").asText().isBlank()) {
        licenses.addObject().put("name", document.path("license").asText());
      }
      if (maven != null) {
        // Maven keeps the POM's licenses (name and url) in its version document.
        for (com.fasterxml.jackson.databind.JsonNode license : maven.path("licenses")) {
          ObjectNode entry = licenses.addObject();
          if (license.path("name").isTextual()) {
            entry.put("name", license.path("name").asText());
          }
          if (license.path("url").isTextual()) {
            entry.put("url", license.path("url").asText());
          }
        }
      }
      origin(node, version);
      ObjectNode out = JSON.createObjectNode();
      out.set("packageVersion", node);
      return out;
    }));
    ops.add(op("ListPackageVersionAssets", "POST", "/v1/package/version/assets", this::packageResource, r -> {
      PackageVersion version = existingVersion(r);
      List<PackageAsset> assets = packages.assets(version.key(), version.version());
      ObjectNode out = RestJsonPages.page(assets, r.query("next-token"), r.queryInt("max-results", "maxResults", 1, 1000), "assets",
          asset -> {
            ObjectNode node = JSON.createObjectNode().put("name", asset.name()).put("size", asset.size());
            node.putObject("hashes").put("MD5", asset.md5()).put("SHA-1", asset.sha1()).put("SHA-256", asset.sha256())
                .put("SHA-512", asset.sha512());
            return node;
          });
      out.put("format", version.key().format());
      if (version.key().namespaceOrNull() != null) {
        out.put("namespace", version.key().namespace());
      }
      out.put("package", version.key().name()).put("version", version.version())
          .put("versionRevision", version.revision());
      return out;
    }));
    return List.copyOf(ops);
  }

  private static RestOperation op(String name, String method, String path, RestOperation.ResourceResolver resource,
      RestOperation.Handler handler) {
    return new RestOperation(name, method, path, new Permission.PolicyAction("codeartifact:" + name, resource), handler);
  }

  private static void origin(ObjectNode node, PackageVersion version) {
    ObjectNode origin = node.putObject("origin");
    origin.putObject("domainEntryPoint").put("repositoryName", version.key().repository());
    origin.put("originType", version.origin());
  }

  // ---------------------------------------------------------------- request members

  private static String owner(RestRequest r) {
    return CatalogService.ownerOrCaller(r.query("domain-owner"), r.principal().accountId());
  }

  private static String domainName(RestRequest r) {
    return CatalogService.requireDomainName(r.requiredQuery("domain", "domain"));
  }

  private static String repositoryName(RestRequest r) {
    return CatalogService.requireRepositoryName(r.requiredQuery("repository", "repository"), "repository");
  }

  private static String requireFormat(String format) {
    if (!FORMATS.contains(format)) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + format
          + "' at 'format' failed to satisfy constraint: Member must satisfy enum value set: " + FORMATS);
    }
    return format;
  }

  private static PackageKey key(RestRequest r) {
    return new PackageKey(owner(r), domainName(r), repositoryName(r), requireFormat(r.requiredQuery("format", "format")),
        r.query("namespace"), r.requiredQuery("package", "package"));
  }

  private void requireRepository(RestRequest r) {
    catalog.describeRepository(owner(r), domainName(r), repositoryName(r));
  }

  private PackageKey existingPackage(RestRequest r) {
    requireRepository(r);
    PackageKey key = key(r);
    if (packages.findPackage(key).isEmpty()) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Package " + PackageService.displayName(key)
          + " not found in repository " + key.repository(), "package", key.name());
    }
    return key;
  }

  private PackageVersion existingVersion(RestRequest r) {
    PackageKey key = existingPackage(r);
    String version = r.requiredQuery("version", "packageVersion");
    return packages.version(key, version).orElseThrow(() -> new WharfException.NotFound("ResourceNotFoundException",
        "Package version " + version + " of " + PackageService.displayName(key) + " not found", "package-version", version));
  }

  // ---------------------------------------------------------------- resources for authorization

  private List<AttachedPolicy> policies(String owner, String domain, String repository) {
    return catalog.repositoryPolicies(owner, domain, repository).or(() -> catalog.domainPolicies(owner, domain))
        .orElse(List.of());
  }

  private ProtectedResource repository(RestRequest r) {
    String owner = owner(r);
    String domain = domainName(r);
    String repository = repositoryName(r);
    return new ProtectedResource(CodeArtifactArns.repository(catalog.region(), owner, domain, repository), owner,
        policies(owner, domain, repository));
  }

  private ProtectedResource packageResource(RestRequest r) {
    PackageKey key = key(r);
    return new ProtectedResource(CodeArtifactArns.packageArn(catalog.region(), key.domainOwner(), key.domainName(),
        key.repository(), key.format(), key.namespace(), key.name()), key.domainOwner(),
        policies(key.domainOwner(), key.domainName(), key.repository()));
  }

  // ---------------------------------------------------------------- rendering

  private static com.fasterxml.jackson.databind.JsonNode readMetadata(PackageVersion version) {
    try {
      return JSON.readTree(version.metadata());
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
