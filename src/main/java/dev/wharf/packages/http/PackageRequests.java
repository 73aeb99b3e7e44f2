package dev.wharf.packages.http;

import dev.wharf.api.aws.RestOperation.ProtectedResource;
import dev.wharf.api.aws.RestRequest;
import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.PackageFormat;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageNames;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageVersion;
import dev.wharf.policy.AttachedPolicy;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The request members every CodeArtifact package operation reads (domain, owner, repository,
 * format, namespace, package, version), validated once as the model says, and the resources they
 * are authorized on: the repository or the package ARN, with the repository's permissions policy
 * (else the domain's).
 */
final class PackageRequests {
  private final PackageService packages;
  private final CatalogService catalog;
  private final FormatRegistry formats;

  PackageRequests(PackageService packages, CatalogService catalog, FormatRegistry formats) {
    this.packages = Objects.requireNonNull(packages, "packages");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.formats = Objects.requireNonNull(formats, "formats");
  }

  /** The format a request names, validated against the model's enum. */
  PackageFormat requireFormat(String format) {
    return formats.require(format);
  }

  static String owner(RestRequest r) {
    return CatalogService.ownerOrCaller(r.query("domain-owner"), r.principal().accountId());
  }

  static String domainName(RestRequest r) {
    return CatalogService.requireDomainName(r.requiredQuery("domain", "domain"));
  }

  static String repositoryName(RestRequest r) {
    return repositoryMember(r, "repository", "repository");
  }

  /** A repository name from another member (e.g. CopyPackageVersions' source and destination). */
  static String repositoryMember(RestRequest r, String wireName, String member) {
    return CatalogService.requireRepositoryName(r.requiredQuery(wireName, member), member);
  }

  String format(RestRequest r) {
    return requireFormat(r.requiredQuery("format", "format")).name();
  }

  static String namespace(RestRequest r) {
    String namespace = r.query("namespace");
    return namespace == null ? null : PackageNames.requireModelName(namespace, "namespace");
  }

  static String packageName(RestRequest r) {
    return PackageNames.requireModelName(r.requiredQuery("package", "package"), "package");
  }

  /** The package the request names, in the repository of its {@code repository} member. */
  PackageKey key(RestRequest r) {
    return key(r, repositoryName(r));
  }

  /**
   * The package the request names, in {@code repository}: its namespace and name read as the format's
   * {@link PackageFormat#apiNames} says (CodeArtifact normalizes NuGet's and Swift's: {@code --package
   * Newtonsoft.JSON} is {@code newtonsoft.json}); ARNs are made of the stored names.
   */
  PackageKey key(RestRequest r, String repository) {
    PackageFormat format = requireFormat(r.requiredQuery("format", "format"));
    dev.wharf.format.StoredNames names = format.apiNames();
    String namespace = namespace(r);
    return new PackageKey(owner(r), domainName(r), repository, format.name(),
        namespace == null ? null : names.storedNamespace(namespace), names.storedName(packageName(r)));
  }

  /**
   * How the request's package versions are read: as its format's API reads them ({@link PackageFormat#apiVersion};
   * CodeArtifact normalizes NuGet's: {@code --package-version 1.01.0} is {@code 1.1.0}). Every version member of the
   * package API (a single version, the versions list, the keys of versionRevisions) is read through this, after the
   * model's checks.
   */
  UnaryOperator<String> apiVersions(RestRequest r) {
    return requireFormat(r.requiredQuery("format", "format"))::apiVersion;
  }

  /** The request's single version member, validated as the model says and read as its format's API reads it. */
  String version(RestRequest r) {
    return apiVersions(r).apply(PackageNames.requireModelName(r.requiredQuery("version", "packageVersion"),
        "packageVersion"));
  }

  /** @throws WharfException.NotFound when the domain or repository does not exist */
  void requireRepository(RestRequest r) {
    catalog.describeRepository(owner(r), domainName(r), repositoryName(r));
  }

  static WharfException.NotFound packageNotFound(PackageKey key) {
    return new WharfException.NotFound("ResourceNotFoundException", "Package " + PackageService.displayName(key)
        + " not found in repository " + key.repository(), "package", key.name());
  }

  static WharfException.NotFound versionNotFound(PackageKey key, String version) {
    return new WharfException.NotFound("ResourceNotFoundException", "Package version " + version + " of "
        + PackageService.displayName(key) + " not found", "package-version", version);
  }

  PackageKey existingPackage(RestRequest r) {
    requireRepository(r);
    PackageKey key = key(r);
    if (packages.findPackage(key).isEmpty()) {
      throw packageNotFound(key);
    }
    return key;
  }

  PackageVersion existingVersion(RestRequest r) {
    PackageKey key = existingPackage(r);
    String version = version(r);
    return packages.version(key, version).orElseThrow(() -> versionNotFound(key, version));
  }

  List<AttachedPolicy> policies(String owner, String domain, String repository) {
    return catalog.repositoryPolicies(owner, domain, repository).or(() -> catalog.domainPolicies(owner, domain))
        .orElse(List.of());
  }

  ProtectedResource repositoryResource(RestRequest r) {
    String owner = owner(r);
    String domain = domainName(r);
    String repository = repositoryName(r);
    String arn = CodeArtifactArns.repository(catalog.region(), owner, domain, repository);
    return new ProtectedResource(arn, owner, policies(owner, domain, repository), catalog.resourceTagContext(arn));
  }

  ProtectedResource packageResource(PackageKey key) {
    return new ProtectedResource(CodeArtifactArns.packageArn(catalog.region(), key.domainOwner(), key.domainName(),
        key.repository(), key.format(), key.namespace(), key.name()), key.domainOwner(),
        policies(key.domainOwner(), key.domainName(), key.repository()));
  }

  ProtectedResource packageResource(RestRequest r) {
    return packageResource(key(r));
  }
}
