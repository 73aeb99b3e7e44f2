package dev.wharf.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.RestJsonPages;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.api.aws.RestOperation.Permission;
import dev.wharf.api.aws.RestOperation.ProtectedResource;
import dev.wharf.api.aws.RestRequest;
import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.catalog.Domain;
import dev.wharf.catalog.Repository;
import dev.wharf.catalog.ResourcePolicy;
import dev.wharf.catalog.Tag;
import dev.wharf.error.WharfException;
import dev.wharf.format.RepositoryPath;
import dev.wharf.identity.PermissionService;
import dev.wharf.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** CodeArtifact's domain, repository, policy, tag and endpoint operations over rest-json. */
public final class CatalogEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CatalogService catalog;
  private final Optional<String> publicUrl;
  private final PermissionService permissions;

  /** @param publicUrl the base URL clients reach the server at when a proxy fronts it; else the request's own */
  /** The package formats, in the order of the model's enum (the format registry's names). */
  private final List<String> formats;

  public CatalogEndpoints(CatalogService catalog, Optional<String> publicUrl, PermissionService permissions,
      List<String> formats) {
    this.formats = List.copyOf(formats);
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
  }

  public List<RestOperation> operations() {
    List<RestOperation> ops = new ArrayList<>();
    ops.add(op("CreateDomain", "POST", "/v1/domain", tagging(this::domainInCallerAccount), r -> {
      List<Tag> tags = tags(r, "tags");
      Domain domain = catalog.createDomain(r.principal().accountId(), r.requiredQuery("domain", "domain"),
          r.bodyText("encryptionKey"), tags);
      return wrap("domain", domainDescription(domain));
    }));
    ops.add(op("DescribeDomain", "GET", "/v1/domain", this::domain, r ->
        wrap("domain", domainDescription(catalog.describeDomain(owner(r), domainName(r))))));
    ops.add(op("DeleteDomain", "DELETE", "/v1/domain", this::domain, r ->
        wrap("domain", domainDescription(catalog.deleteDomain(owner(r), domainName(r))))));
    ops.add(op("ListDomains", "POST", "/v1/domains", r -> new ProtectedResource("*", r.principal().accountId(), List.of()), r -> {
      Integer max = r.bodyInt("maxResults", 1, 1000);
      List<Domain> domains = catalog.listDomains(r.principal().accountId());
      return RestJsonPages.page(domains, r.bodyText("nextToken"), max, "domains", CatalogEndpoints::domainSummary);
    }));
    ops.add(op("PutDomainPermissionsPolicy", "PUT", "/v1/domain/permissions/policy", this::domainFromBody, r -> {
      String owner = CatalogService.ownerOrCaller(r.bodyText("domainOwner"), r.principal().accountId());
      return wrap("policy", policy(catalog.putDomainPolicy(owner, r.requiredBodyText("domain"),
          r.bodyText("policyRevision"), r.requiredBodyText("policyDocument"))));
    }));
    ops.add(op("GetDomainPermissionsPolicy", "GET", "/v1/domain/permissions/policy", this::domain, r ->
        wrap("policy", policy(catalog.getDomainPolicy(owner(r), domainName(r))))));
    ops.add(op("DeleteDomainPermissionsPolicy", "DELETE", "/v1/domain/permissions/policy", this::domain, r ->
        wrap("policy", policy(catalog.deleteDomainPolicy(owner(r), domainName(r), r.query("policy-revision"))))));

    ops.add(op("CreateRepository", "POST", "/v1/repository", tagging(this::newRepository), r -> {
      List<String> upstreams = upstreams(r);
      requireAssociable(r, upstreams);
      List<Tag> tags = tags(r, "tags");
      Repository repository = catalog.createRepository(owner(r), domainName(r), repositoryName(r),
          r.principal().accountId(), r.bodyText("description"), upstreams == null ? List.of() : upstreams, tags);
      return wrap("repository", repositoryDescription(repository));
    }));
    ops.add(op("DescribeRepository", "GET", "/v1/repository", this::repository, r ->
        wrap("repository", repositoryDescription(catalog.describeRepository(owner(r), domainName(r), repositoryName(r))))));
    ops.add(op("UpdateRepository", "PUT", "/v1/repository", this::repository, r -> {
      List<String> upstreams = upstreams(r);
      requireAssociable(r, upstreams);
      return wrap("repository", repositoryDescription(catalog.updateRepository(owner(r), domainName(r),
          repositoryName(r), r.bodyText("description"), upstreams)));
    }));
    ops.add(op("AssociateExternalConnection", "POST", "/v1/repository/external-connection", this::repository, r ->
        wrap("repository", repositoryDescription(catalog.associateExternalConnection(owner(r), domainName(r),
            repositoryName(r), r.query("external-connection"))))));
    ops.add(op("DisassociateExternalConnection", "DELETE", "/v1/repository/external-connection", this::repository, r ->
        wrap("repository", repositoryDescription(catalog.disassociateExternalConnection(owner(r), domainName(r),
            repositoryName(r), r.query("external-connection"))))));
    ops.add(op("DeleteRepository", "DELETE", "/v1/repository", this::repository, r ->
        wrap("repository", repositoryDescription(catalog.deleteRepository(owner(r), domainName(r), repositoryName(r))))));
    ops.add(op("ListRepositories", "POST", "/v1/repositories", r -> new ProtectedResource("*", r.principal().accountId(), List.of()), r -> {
      Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
      String prefix = r.query("repository-prefix");
      List<Repository> repositories = catalog.listRepositoriesAdministeredBy(r.principal().accountId()).stream()
          .filter(repo -> prefix == null || repo.name().startsWith(prefix)).toList();
      return RestJsonPages.page(repositories, r.query("next-token"), max, "repositories", CatalogEndpoints::repositorySummary);
    }));
    ops.add(op("ListRepositoriesInDomain", "POST", "/v1/domain/repositories", this::domain, r -> {
      Integer max = r.queryInt("max-results", "maxResults", 1, 1000);
      String prefix = r.query("repository-prefix");
      String administrator = r.query("administrator-account");
      List<Repository> repositories = catalog.listRepositoriesInDomain(owner(r), domainName(r)).stream()
          .filter(repo -> prefix == null || repo.name().startsWith(prefix))
          .filter(repo -> administrator == null || repo.administratorAccount().equals(administrator)).toList();
      return RestJsonPages.page(repositories, r.query("next-token"), max, "repositories", CatalogEndpoints::repositorySummary);
    }));
    ops.add(op("PutRepositoryPermissionsPolicy", "PUT", "/v1/repository/permissions/policy", this::repository, r ->
        wrap("policy", policy(catalog.putRepositoryPolicy(owner(r), domainName(r), repositoryName(r),
            r.bodyText("policyRevision"), r.requiredBodyText("policyDocument"))))));
    ops.add(op("GetRepositoryPermissionsPolicy", "GET", "/v1/repository/permissions/policy", this::repository, r ->
        wrap("policy", policy(catalog.getRepositoryPolicy(owner(r), domainName(r), repositoryName(r))))));
    ops.add(op("DeleteRepositoryPermissionsPolicy", "DELETE", "/v1/repository/permissions/policies", this::repository, r ->
        wrap("policy", policy(catalog.deleteRepositoryPolicy(owner(r), domainName(r), repositoryName(r),
            r.query("policy-revision"))))));
    ops.add(op("GetRepositoryEndpoint", "GET", "/v1/repository/endpoint", this::repository, r -> {
      String format = r.requiredQuery("format", "format");
      if (!formats.contains(format)) {
        throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + format
            + "' at 'format' failed to satisfy constraint: Member must satisfy enum value set: " + formats);
      }
      String endpointType = r.query("endpointType");
      if (endpointType != null && !endpointType.equals("ipv4") && !endpointType.equals("dualstack")) {
        throw new WharfException.Invalid("ValidationException", "endpointType must be ipv4 or dualstack");
      }
      Repository repository = catalog.describeRepository(owner(r), domainName(r), repositoryName(r));
      return JSON.createObjectNode().put("repositoryEndpoint", repositoryEndpoint(publicUrl.orElse(r.serverOrigin()), repository, format));
    }));

    ops.add(op("TagResource", "POST", "/v1/tag", this::taggedResource, r -> {
      List<Tag> tags = tags(r, "tags");
      if (r.body().path("tags").isMissingNode()) {
        throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value null at 'tags'"
            + " failed to satisfy constraint: Member must not be null");
      }
      catalog.tagResource(r.requiredQuery("resourceArn", "resourceArn"), tags);
      return null;
    }));
    ops.add(op("UntagResource", "POST", "/v1/untag", this::taggedResource, r -> {
      List<String> keys = r.bodyList("tagKeys", 200, node -> {
        if (!node.isTextual()) {
          throw new WharfException.Invalid("ValidationException", "tagKeys must be strings");
        }
        return node.asText();
      });
      if (keys == null) {
        throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value null at 'tagKeys'"
            + " failed to satisfy constraint: Member must not be null");
      }
      catalog.untagResource(r.requiredQuery("resourceArn", "resourceArn"), keys);
      return null;
    }));
    ops.add(op("ListTagsForResource", "POST", "/v1/tags", this::taggedResource, r -> {
      ArrayNode tags = JSON.createArrayNode();
      catalog.listTags(r.requiredQuery("resourceArn", "resourceArn"))
          .forEach(tag -> tags.addObject().put("key", tag.key()).put("value", tag.value()));
      ObjectNode out = JSON.createObjectNode();
      out.set("tags", tags);
      return out;
    }));
    return List.copyOf(ops);
  }

  /** {base}/{domain}-{owner}/{format}/{repo}/ — the URL package clients are given. */
  public static String repositoryEndpoint(String baseUrl, Repository repository, String format) {
    return RepositoryPath.endpoint(baseUrl, repository.domainName(), repository.domainOwner(), format, repository.name());
  }

  private static RestOperation op(String name, String method, String path, RestOperation.ResourceResolver resource,
      RestOperation.Handler handler) {
    return new RestOperation(name, method, path, new Permission.PolicyAction("codeartifact:" + name, resource), handler);
  }

  // ---------------------------------------------------------------- request members

  static String owner(RestRequest r) {
    return CatalogService.ownerOrCaller(r.query("domain-owner"), r.principal().accountId());
  }

  static String domainName(RestRequest r) {
    return CatalogService.requireDomainName(r.requiredQuery("domain", "domain"));
  }

  private static String repositoryName(RestRequest r) {
    return CatalogService.requireRepositoryName(r.requiredQuery("repository", "repository"), "repository");
  }

  private static List<String> upstreams(RestRequest r) {
    return r.bodyList("upstreams", 100, node -> {
      JsonNode name = node.path("repositoryName");
      if (!name.isTextual()) {
        throw new WharfException.Invalid("ValidationException", "Each upstream needs a repositoryName");
      }
      return name.asText();
    });
  }

  static List<Tag> tags(RestRequest r, String member) {
    List<Tag> tags = r.bodyList(member, 200, node -> {
      if (!node.path("key").isTextual() || !node.path("value").isTextual()) {
        throw new WharfException.Invalid("ValidationException", "Each tag needs a string key and value");
      }
      return new Tag(node.path("key").asText(), node.path("value").asText());
    });
    return tags == null ? List.of() : tags;
  }

  // ---------------------------------------------------------------- resources for authorization

  /**
   * Making a repository an upstream of another lets whoever reads the downstream read the upstream's
   * packages, so CodeArtifact requires codeartifact:AssociateWithDownstreamRepository on each
   * upstream repository named (its policy, else its domain's), besides the operation's own action.
   */
  private void requireAssociable(RestRequest r, List<String> upstreams) {
    if (upstreams == null) {
      return;
    }
    String owner = owner(r);
    String domain = domainName(r);
    String action = "codeartifact:AssociateWithDownstreamRepository";
    for (String upstream : new java.util.LinkedHashSet<>(upstreams)) {
      String name = CatalogService.requireRepositoryName(upstream, "upstreams.member.repositoryName");
      String arn = CodeArtifactArns.repository(catalog.region(), owner, domain, name);
      List<dev.wharf.policy.AttachedPolicy> policies = catalog.repositoryPolicies(owner, domain, name)
          .or(() -> catalog.domainPolicies(owner, domain)).orElse(List.of());
      Decision decision = permissions.authorize(r.principal(), r.origin(), action, arn, owner, policies,
          catalog.resourceTagContext(arn));
      if (!decision.allowed()) {
        throw PermissionService.denied(r.principal(), action, arn, decision);
      }
    }
  }

  /**
   * Creating a domain or repository with tags also tags it: as in AWS, the caller also needs
   * codeartifact:TagResource on it for those tags (aws:RequestTag, aws:TagKeys), besides the operation's action.
   */
  static RestOperation.ResourceResolver tagging(RestOperation.ResourceResolver created) {
    return r -> {
      ProtectedResource resource = created.resolve(r);
      boolean tagged = r.body() != null && !r.body().path("tags").isEmpty();
      return tagged ? resource.alsoRequiring("codeartifact:TagResource") : resource;
    };
  }

  /**
   * The tag condition keys of the request: aws:RequestTag/KEY for each tag it sets ({@code tags}) and
   * aws:TagKeys for the keys it sets or removes ({@code tagKeys}). Malformed members are left to the handler.
   */
  static Map<String, List<String>> requestTagContext(RestRequest r) {
    Map<String, List<String>> context = new java.util.HashMap<>();
    List<String> keys = new ArrayList<>();
    if (r.body() != null) {
      for (JsonNode tag : r.body().path("tags")) {
        if (tag.path("key").isTextual() && tag.path("value").isTextual()) {
          context.put("aws:RequestTag/" + tag.path("key").asText(), List.of(tag.path("value").asText()));
          keys.add(tag.path("key").asText());
        }
      }
      for (JsonNode key : r.body().path("tagKeys")) {
        if (key.isTextual()) {
          keys.add(key.asText());
        }
      }
    }
    if (!keys.isEmpty()) {
      context.put("aws:TagKeys", List.copyOf(new java.util.LinkedHashSet<>(keys)));
    }
    return context;
  }

  static Map<String, List<String>> merged(Map<String, List<String>> first, Map<String, List<String>> second) {
    Map<String, List<String>> all = new java.util.HashMap<>(first);
    all.putAll(second);
    return all;
  }

  private ProtectedResource domainInCallerAccount(RestRequest r) {
    String owner = r.principal().accountId();
    String domain = domainName(r);
    return new ProtectedResource(CodeArtifactArns.domain(catalog.region(), owner, domain), owner, List.of(),
        requestTagContext(r));
  }

  private ProtectedResource newRepository(RestRequest r) {
    ProtectedResource repository = repository(r);
    return new ProtectedResource(repository.arn(), repository.accountId(), repository.policies(),
        merged(repository.context(), requestTagContext(r)));
  }

  private ProtectedResource domain(RestRequest r) {
    return domainResource(owner(r), domainName(r));
  }

  private ProtectedResource domainFromBody(RestRequest r) {
    String owner = CatalogService.ownerOrCaller(r.bodyText("domainOwner"), r.principal().accountId());
    return domainResource(owner, CatalogService.requireDomainName(r.requiredBodyText("domain")));
  }

  private ProtectedResource domainResource(String owner, String domain) {
    String arn = CodeArtifactArns.domain(catalog.region(), owner, domain);
    return new ProtectedResource(arn, owner, catalog.domainPolicies(owner, domain).orElse(List.of()),
        catalog.resourceTagContext(arn));
  }

  private ProtectedResource repository(RestRequest r) {
    String owner = owner(r);
    String domain = domainName(r);
    String repository = repositoryName(r);
    List<dev.wharf.policy.AttachedPolicy> policies = catalog.repositoryPolicies(owner, domain, repository)
        .or(() -> catalog.domainPolicies(owner, domain)).orElse(List.of());
    String arn = CodeArtifactArns.repository(catalog.region(), owner, domain, repository);
    return new ProtectedResource(arn, owner, policies, catalog.resourceTagContext(arn));
  }

  private ProtectedResource taggedResource(RestRequest r) {
    String arn = r.requiredQuery("resourceArn", "resourceArn");
    CodeArtifactArns.Parsed parsed = CodeArtifactArns.parse(arn)
        .orElseThrow(() -> new WharfException.Invalid("ValidationException", "Invalid resource ARN: " + arn));
    List<dev.wharf.policy.AttachedPolicy> policies = parsed.isRepository()
        ? catalog.repositoryPolicies(parsed.owner(), parsed.domain(), parsed.repository()).orElse(List.of())
        : catalog.domainPolicies(parsed.owner(), parsed.domain()).orElse(List.of());
    return new ProtectedResource(arn, parsed.owner(), policies,
        merged(catalog.resourceTagContext(arn), requestTagContext(r)));
  }

  // ---------------------------------------------------------------- rendering

  static ObjectNode wrap(String name, ObjectNode value) {
    ObjectNode out = JSON.createObjectNode();
    out.set(name, value);
    return out;
  }

  private static ObjectNode domainSummary(Domain domain) {
    return JSON.createObjectNode().put("name", domain.name()).put("owner", domain.owner()).put("arn", domain.arn())
        .put("status", "Active").put("createdTime", RestJsonPages.epochSeconds(domain.createdAt())).put("encryptionKey", domain.encryptionKey());
  }

  private static ObjectNode domainDescription(Domain domain) {
    return domainSummary(domain).put("repositoryCount", domain.repositoryCount()).put("assetSizeBytes", 0L);
  }

  private static ObjectNode repositorySummary(Repository repository) {
    ObjectNode node = JSON.createObjectNode().put("name", repository.name())
        .put("administratorAccount", repository.administratorAccount()).put("domainName", repository.domainName())
        .put("domainOwner", repository.domainOwner()).put("arn", repository.arn());
    if (repository.description() != null) {
      node.put("description", repository.description());
    }
    return node.put("createdTime", RestJsonPages.epochSeconds(repository.createdAt()));
  }

  private ObjectNode repositoryDescription(Repository repository) {
    ObjectNode node = repositorySummary(repository);
    ArrayNode upstreams = node.putArray("upstreams");
    repository.upstreams().forEach(name -> upstreams.addObject().put("repositoryName", name));
    ArrayNode connections = node.putArray("externalConnections");
    catalog.externalConnection(repository.domainOwner(), repository.domainName(), repository.name())
        .ifPresent(name -> connections.addObject().put("externalConnectionName", name)
            .put("packageFormat", catalog.externalConnectionFormat(name).orElse("generic"))
            .put("status", "Available"));
    return node;
  }

  private static ObjectNode policy(ResourcePolicy policy) {
    return JSON.createObjectNode().put("resourceArn", policy.resourceArn()).put("revision", policy.revision())
        .put("document", policy.document());
  }

}
