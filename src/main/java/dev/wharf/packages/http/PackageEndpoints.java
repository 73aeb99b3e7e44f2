package dev.wharf.packages.http;

import static dev.wharf.packages.http.PackageRequests.domainName;
import static dev.wharf.packages.http.PackageRequests.owner;
import static dev.wharf.packages.http.PackageRequests.packageNotFound;
import static dev.wharf.packages.http.PackageRequests.repositoryName;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.RestJsonPages;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.api.aws.RestOperation.Permission;
import dev.wharf.api.aws.RestRequest;
import dev.wharf.catalog.CatalogService;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.VersionDescription;
import dev.wharf.packages.OriginRestrictions;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageListingService;
import dev.wharf.packages.PackageNames;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageStore;
import dev.wharf.packages.PackageVersion;
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
  private static final List<String> VERSION_STATUSES = List.of("Published", "Unfinished", "Unlisted", "Archived",
      "Disposed", "Deleted");

  private final PackageService packages;
  private final PackageListingService listing;
  private final FormatRegistry formats;
  private final PackageRequests requests;

  public PackageEndpoints(PackageService packages, PackageListingService listing, CatalogService catalog,
      FormatRegistry formats) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.listing = Objects.requireNonNull(listing, "listing");
    this.formats = Objects.requireNonNull(formats, "formats");
    this.requests = new PackageRequests(packages, catalog, formats);
  }

  public List<RestOperation> operations() {
    List<RestOperation> ops = new ArrayList<>();
    ops.add(op("ListPackages", "POST", "/v1/packages", requests::repositoryResource, r -> {
      requests.requireRepository(r);
      String format = r.query("format");
      // with a format, the prefixes are read as that format's API names are (NuGet's and Swift's normalized)
      dev.wharf.format.StoredNames names = format == null ? dev.wharf.format.StoredNames.AS_WRITTEN
          : requests.requireFormat(format).apiNames();
      String publish = enumMember(r, "publish", "publish", List.of("ALLOW", "BLOCK"));
      String upstream = enumMember(r, "upstream", "upstream", List.of("ALLOW", "BLOCK"));
      // The origin-configuration filters of CodeArtifact: only packages whose setting is the one asked for.
      // namespace is a prefix too (the model: "it has prefix-matching behavior"); both follow the model's pattern.
      String packagePrefix = r.query("package-prefix");
      if (packagePrefix != null) {
        PackageNames.requireModelName(packagePrefix, "packagePrefix");
      }
      // Paged in the store by keyset (the token names the last package returned), every filter in the
      // query: a page costs the same however many packages the repository has and however deep it is.
      String namespace = PackageRequests.namespace(r);
      var filter = new PackageStore.PackageFilter(format, namespace == null ? null : names.storedNamespace(namespace),
          packagePrefix == null ? null : names.storedName(packagePrefix),
          publish == null ? null : OriginRestrictions.Mode.valueOf(publish),
          upstream == null ? null : OriginRestrictions.Mode.valueOf(upstream));
      Integer maxResults = r.queryInt("max-results", "maxResults", 1, 1000);
      int limit = maxResults == null ? 100 : maxResults;
      var after = PackagePageToken.decode(r.query("next-token"), owner(r), domainName(r), repositoryName(r), filter);
      PackageListingService.PackagePage page = listing.packagePage(owner(r), domainName(r), repositoryName(r), filter,
          after, limit);
      ObjectNode out = JSON.createObjectNode();
      var list = out.putArray("packages");
      for (PackageStore.ListedPackage listed : page.packages()) {
        PackageKey key = listed.summary().key();
        ObjectNode node = list.addObject().put("format", key.format());
        if (key.namespaceOrNull() != null) {
          node.put("namespace", key.namespace());
        }
        node.put("package", key.name());
        node.set("originConfiguration", PackageManagementEndpoints.originConfiguration(listed.restrictions()));
      }
      if (page.more()) {
        out.put("nextToken", PackagePageToken.encode(owner(r), domainName(r), repositoryName(r), filter,
            PackageStore.PackagePosition.of(page.packages().getLast().summary().key())));
      }
      return out;
    }));
    ops.add(op("ListPackageVersions", "POST", "/v1/package/versions", requests::packageResource, r -> {
      // Paged in the store, not from the package's cached document, by keyset (the token names the
      // last version returned): a page costs the same with 10,000 versions as with 10, however deep,
      // also right after a write.
      requests.requireRepository(r);
      PackageKey key = requests.key(r);
      if (packages.packageRecord(key).isEmpty()) {
        throw packageNotFound(key);
      }
      String status = enumMember(r, "status", "status", VERSION_STATUSES);
      String originType = enumMember(r, "originType", "originType", List.of("INTERNAL", "EXTERNAL", "UNKNOWN"));
      String sortBy = enumMember(r, "sortBy", "sortBy", List.of("PUBLISHED_TIME"));
      Integer maxResults = r.queryInt("max-results", "maxResults", 1, 1000);
      int limit = maxResults == null ? 100 : maxResults;
      boolean newestFirst = sortBy != null;
      var after = VersionPageToken.decode(r.query("next-token"), key, status, originType, newestFirst);
      PackageListingService.VersionPage page = listing.versionPage(key, status, originType, newestFirst, after, limit);
      ObjectNode out = JSON.createObjectNode();
      var list = out.putArray("versions");
      for (PackageVersion v : page.versions()) {
        ObjectNode node = list.addObject().put("version", v.version()).put("revision", v.revision())
            .put("status", v.status().wireName());
        origin(node, v);
      }
      if (page.more()) {
        out.put("nextToken", VersionPageToken.encode(key, status, originType, newestFirst,
            PackageStore.VersionPosition.of(page.versions().getLast())));
      }
      out.put("format", key.format());
      if (key.namespaceOrNull() != null) {
        out.put("namespace", key.namespace());
      }
      out.put("package", key.name());
      packages.defaultDisplayVersion(key, formats.require(key.format()).displayVersionTag().orElse(null))
          .ifPresent(v -> out.put("defaultDisplayVersion", v));
      return out;
    }));
    ops.add(op("DescribePackageVersion", "GET", "/v1/package/version", requests::packageResource, r -> {
      PackageVersion version = requests.existingVersion(r);
      PackageKey key = version.key();
      ObjectNode node = JSON.createObjectNode().put("format", key.format());
      if (key.namespaceOrNull() != null) {
        node.put("namespace", key.namespace());
      }
      // Read from the format's own version document (PyPI keeps the name as uploaded; the package is stored normalized).
      VersionDescription metadata = formats.require(key.format()).describe(version);
      node.put("packageName", key.name()).put("displayName", metadata.displayName()).put("version", version.version());
      putIfPresent(node, "summary", metadata.summary());
      putIfPresent(node, "homePage", metadata.homePage());
      putIfPresent(node, "sourceCodeRepository", metadata.sourceCodeRepository());
      node.put("publishedTime", RestJsonPages.epochSeconds(version.publishedAt())).put("revision", version.revision())
          .put("status", version.status().wireName());
      var licenses = node.putArray("licenses");
      for (VersionDescription.License license : metadata.licenses()) {
        ObjectNode entry = licenses.addObject();
        putIfPresent(entry, "name", license.name());
        putIfPresent(entry, "url", license.url());
      }
      origin(node, version);
      ObjectNode out = JSON.createObjectNode();
      out.set("packageVersion", node);
      return out;
    }));
    ops.add(op("ListPackageVersionAssets", "POST", "/v1/package/version/assets", requests::packageResource, r -> {
      PackageVersion version = requests.existingVersion(r);
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

  /**
   * CodeArtifact's PackageVersionOrigin: where the version entered the domain (the repository it was
   * published to or the external connection it came from, wherever it is read now) and how. Without
   * a known entry point (versions ingested before Wharf recorded the connection) domainEntryPoint is
   * left out, as both its members are optional.
   */
  private static void origin(ObjectNode node, PackageVersion version) {
    ObjectNode origin = node.putObject("origin");
    PackageVersion.EntryPoint entryPoint = version.entryPoint();
    if (entryPoint.repositoryName() != null) {
      origin.putObject("domainEntryPoint").put("repositoryName", entryPoint.repositoryName());
    } else if (entryPoint.externalConnectionName() != null) {
      origin.putObject("domainEntryPoint").put("externalConnectionName", entryPoint.externalConnectionName());
    }
    origin.put("originType", version.origin());
  }

  // ---------------------------------------------------------------- request members

  // ---------------------------------------------------------------- resources for authorization

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
