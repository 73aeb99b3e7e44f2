package dev.wharf.packages.http;

import static dev.wharf.packages.http.PackageRequests.domainName;
import static dev.wharf.packages.http.PackageRequests.owner;
import static dev.wharf.packages.http.PackageRequests.repositoryName;
import static dev.wharf.packages.http.PackageRequests.versionNotFound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.api.aws.RestOperation.Permission;
import dev.wharf.api.aws.RestOperation.ProtectedResource;
import dev.wharf.api.aws.RestRequest;
import dev.wharf.api.aws.StreamedPayload;
import dev.wharf.api.aws.StreamedResponse;
import dev.wharf.catalog.CatalogService;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.PackageFormat;
import dev.wharf.format.generic.GenericFormat;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageNames;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CodeArtifact's asset operations over rest-json, both streamed: PublishPackageVersion (a generic
 * package's asset, the request body, straight into the blob store once the caller is authenticated
 * and authorized) and GetPackageVersionAsset (any format's asset, the response body, from the blob
 * store). Each declares its IAM action on the package ARN, with the repository's permissions policy.
 */
public final class PackageAssetEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PackageAssetEndpoints.class);

  private final PackageService packages;
  private final PublishingService publishing;
  private final CatalogService catalog;
  private final PackageRequests requests;
  private final long maxAssetBytes;

  public PackageAssetEndpoints(PackageService packages, PublishingService publishing, CatalogService catalog,
      FormatRegistry formats, long maxAssetBytes) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.publishing = Objects.requireNonNull(publishing, "publishing");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.requests = new PackageRequests(packages, catalog, formats);
    if (maxAssetBytes < 1) {
      throw new IllegalArgumentException("maxAssetBytes must be positive");
    }
    this.maxAssetBytes = maxAssetBytes;
  }

  public List<RestOperation> operations() {
    return List.of(
        new RestOperation("PublishPackageVersion", "POST", "/v1/package/version/publish",
            new Permission.PolicyAction("codeartifact:PublishPackageVersion", this::publishResource), this::publish,
            new RestOperation.Payload.Streamed(maxAssetBytes)),
        new RestOperation("GetPackageVersionAsset", "GET", "/v1/package/version/asset",
            new Permission.PolicyAction("codeartifact:GetPackageVersionAsset", requests::packageResource), this::asset));
  }

  // ---------------------------------------------------------------- PublishPackageVersion

  /** The members PublishPackageVersion takes, validated as the model and the generic format constrain them. */
  private record Publication(PackageKey key, String version, String assetName, String assetSha256, boolean unfinished) {}

  private Publication publication(RestRequest r) {
    PackageFormat format = requests.requireFormat(r.requiredQuery("format", "format"));
    String namespace = r.query("namespace");
    String name = r.requiredQuery("package", "package");
    String version = r.requiredQuery("version", "packageVersion");
    String assetName = r.requiredQuery("asset", "assetName");
    format.requirePublishableWithApi(namespace, name, version, assetName);
    PackageKey key = new PackageKey(owner(r), domainName(r), repositoryName(r), format.name(), namespace, name);
    String sha256 = r.payload().declaredSha256();
    if (sha256 == null) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value at 'assetSHA256'"
          + " failed to satisfy constraint: Member must be the SHA-256 of assetContent, 64 lower-case hex characters,"
          + " sent in the x-amz-content-sha256 header");
    }
    String unfinished = r.query("unfinished");
    if (unfinished != null && !unfinished.equals("true") && !unfinished.equals("false")) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + unfinished
          + "' at 'unfinished' failed to satisfy constraint: Member must be true or false");
    }
    return new Publication(key, version, assetName, sha256, "true".equals(unfinished));
  }

  private ProtectedResource publishResource(RestRequest r) {
    return requests.packageResource(publication(r).key());
  }

  private Object publish(RestRequest r) {
    Publication publication = publication(r);
    catalog.describeRepository(publication.key().domainOwner(), publication.key().domainName(),
        publication.key().repository());
    StreamedPayload payload = r.payload();
    PublishingService.PublishedAsset published = publishing.publishAsset(publication.key(), publication.version(),
        GenericFormat.VERSION_DOCUMENT, new PublishingService.AssetContent(publication.assetName(), payload.content(), maxAssetBytes),
        publication.assetSha256(), publication.unfinished());
    PackageVersion version = published.version();
    ObjectNode out = JSON.createObjectNode().put("format", version.key().format())
        .put("namespace", version.key().namespace()).put("package", version.key().name())
        .put("version", version.version()).put("versionRevision", version.revision())
        .put("status", version.status().wireName());
    out.set("asset", assetSummary(published.asset()));
    return out;
  }

  // ---------------------------------------------------------------- GetPackageVersionAsset

  private Object asset(RestRequest r) {
    PackageKey key = requests.key(r);
    String versionName = requests.version(r);
    String assetName = PackageNames.requireModelAssetName(r.requiredQuery("asset", "asset"), "asset");
    String revision = r.query("revision");
    catalog.describeRepository(key.domainOwner(), key.domainName(), key.repository());
    if (packages.findPackage(key).isEmpty()) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Package " + PackageService.displayName(key)
          + " not found in repository " + key.repository(), "package", key.name());
    }
    PackageVersion version = packages.version(key, versionName).orElseThrow(() -> versionNotFound(key, versionName));
    if (revision != null && !revision.equals(version.revision())) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Package version " + versionName + " of "
          + PackageService.displayName(key) + " has no revision " + revision, "package-version", versionName);
    }
    if (!version.status().downloadable()) {
      if (version.status() == VersionStatus.DISPOSED) {
        throw new WharfException.NotFound("ResourceNotFoundException", "Package version " + versionName + " of "
            + PackageService.displayName(key) + " is Disposed: its assets were deleted", "asset", assetName);
      }
      throw new WharfException.Conflict("ConflictException", "Package version " + versionName + " of "
          + PackageService.displayName(key) + " is " + version.status().wireName() + ": its assets cannot be downloaded",
          "package-version", versionName);
    }
    PackageAsset asset = packages.assets(key, versionName).stream().filter(a -> a.name().equals(assetName)).findFirst()
        .orElseThrow(() -> new WharfException.NotFound("ResourceNotFoundException", "Asset " + assetName
            + " not found in package version " + versionName + " of " + PackageService.displayName(key), "asset",
            assetName));
    // A missing blob answers as a missing asset does (logged: the store lost content it should hold).
    InputStream content = packages.open(asset).orElseThrow(() -> {
      LOG.error("blob {} of asset {} of {} {} is missing", asset.sha256(), assetName, PackageService.displayName(key),
          versionName);
      return new WharfException.NotFound("ResourceNotFoundException", "Asset " + assetName + " of package version "
          + versionName + " of " + PackageService.displayName(key) + " is missing from the blob store", "asset",
          assetName);
    });
    Map<String, String> headers = new java.util.LinkedHashMap<>(dev.wharf.api.http.DownloadHeaders.forFile(asset.name()));
    headers.put("X-AssetName", headerValue(asset.name()));
    headers.put("X-PackageVersion", headerValue(version.version()));
    headers.put("X-PackageVersionRevision", version.revision());
    return new StreamedResponse("application/octet-stream", asset.size(), headers, content);
  }

  /** HTTP header values travel as bytes: a name's UTF-8 bytes, each carried by the ISO-8859-1 character of that value. */
  private static String headerValue(String value) {
    return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- members and resources

  private static ObjectNode assetSummary(PackageAsset asset) {
    ObjectNode node = JSON.createObjectNode().put("name", asset.name()).put("size", asset.size());
    node.putObject("hashes").put("MD5", asset.md5()).put("SHA-1", asset.sha1()).put("SHA-256", asset.sha256())
        .put("SHA-512", asset.sha512());
    return node;
  }

}
