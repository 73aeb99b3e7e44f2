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
import dev.wharf.policy.AttachedPolicy;
import java.util.ArrayList;
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
  private static final List<String> VERSION_STATUSES = List.of("Published", "Unfinished", "Unlisted", "Archived",
      "Disposed", "Deleted");

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
      var restrictions = packages.originRestrictions(owner(r), domainName(r), repositoryName(r));
      return RestJsonPages.page(found, r.query("next-token"), r.queryInt("max-results", "maxResults", 1, 1000), "packages",
          summary -> {
            ObjectNode node = JSON.createObjectNode().put("format", summary.key().format());
            if (summary.key().namespaceOrNull() != null) {
              node.put("namespace", summary.key().namespace());
            }
            node.put("package", summary.key().name());
            node.set("originConfiguration", PackageManagementEndpoints.originConfiguration(
                restrictions.getOrDefault(summary.key(), dev.wharf.packages.OriginRestrictions.DEFAULT)));
            return node;
          });
    }));
    ops.add(op("ListPackageVersions", "POST", "/v1/package/versions", this::packageResource, r -> {
      // Paged in the store, not from the package's cached document: a page costs the same with
      // 10,000 versions as with 10, also right after a write.
      requireRepository(r);
      PackageKey key = key(r);
      if (packages.packageRecord(key).isEmpty()) {
        throw packageNotFound(key);
      }
      String status = enumMember(r, "status", "status", VERSION_STATUSES);
      String originType = enumMember(r, "originType", "originType", List.of("INTERNAL", "EXTERNAL", "UNKNOWN"));
      String sortBy = enumMember(r, "sortBy", "sortBy", List.of("PUBLISHED_TIME"));
      Integer maxResults = r.queryInt("max-results", "maxResults", 1, 1000);
      int limit = maxResults == null ? 100 : maxResults;
      int offset = RestJsonPages.offset(r.query("next-token"));
      PackageService.VersionPage page = packages.versionPage(key, status, originType, sortBy != null, offset, limit);
      ObjectNode out = JSON.createObjectNode();
      var list = out.putArray("versions");
      for (PackageVersion v : page.versions()) {
        ObjectNode node = list.addObject().put("version", v.version()).put("revision", v.revision())
            .put("status", v.status().wireName());
        origin(node, v);
      }
      if (page.more()) {
        out.put("nextToken", RestJsonPages.token(offset + page.versions().size()));
      }
      out.put("format", key.format());
      if (key.namespaceOrNull() != null) {
        out.put("namespace", key.namespace());
      }
      out.put("package", key.name());
      packages.defaultDisplayVersion(key).ifPresent(v -> out.put("defaultDisplayVersion", v));
      return out;
    }));
    ops.add(op("DescribePackageVersion", "GET", "/v1/package/version", this::packageResource, r -> {
      PackageVersion version = existingVersion(r);
      PackageKey key = version.key();
      ObjectNode node = JSON.createObjectNode().put("format", key.format());
      if (key.namespaceOrNull() != null) {
        node.put("namespace", key.namespace());
      }
      // Read from the format's own version document (PyPI keeps the name as uploaded; the package is stored normalized).
      VersionMetadata metadata = new VersionMetadata(version);
      node.put("packageName", key.name()).put("displayName", metadata.displayName()).put("version", version.version());
      putIfPresent(node, "summary", metadata.summary());
      putIfPresent(node, "homePage", metadata.homePage());
      putIfPresent(node, "sourceCodeRepository", metadata.sourceCodeRepository());
      node.put("publishedTime", RestJsonPages.epochSeconds(version.publishedAt())).put("revision", version.revision())
          .put("status", version.status().wireName());
      var licenses = node.putArray("licenses");
      for (VersionMetadata.License license : metadata.licenses()) {
        ObjectNode entry = licenses.addObject();
        putIfPresent(entry, "name", license.name());
        putIfPresent(entry, "url", license.url());
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

  private static WharfException.NotFound packageNotFound(PackageKey key) {
    return new WharfException.NotFound("ResourceNotFoundException", "Package " + PackageService.displayName(key)
        + " not found in repository " + key.repository(), "package", key.name());
  }

  private PackageKey existingPackage(RestRequest r) {
    requireRepository(r);
    PackageKey key = key(r);
    if (packages.findPackage(key).isEmpty()) {
      throw packageNotFound(key);
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

  private static void putIfPresent(ObjectNode node, String member, String value) {
    if (value != null) {
      node.put(member, value);
    }
  }

  private static String enumMember(RestRequest r, String wireName, String member, List<String> allowed) {
    String value = r.query(wireName);
    if (value != null && !allowed.contains(value)) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
          + member + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
    }
    return value;
  }
}
