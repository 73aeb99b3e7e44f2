package dev.wharf.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.error.WharfException;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.MalformedPolicyException;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Domains and repositories with CodeArtifact's names, limits and errors: create, describe, list,
 * update, delete, permissions policies, tags and upstream graphs. Callers have been authorized
 * already; this service checks the request and the state it changes.
 */
public final class CatalogService {
  public static final int MAX_UPSTREAMS = 10;
  public static final int MAX_TAGS = 50;
  public static final int MAX_POLICY_LENGTH = 7168;
  private static final Pattern DOMAIN_NAME = Pattern.compile("[a-z][a-z0-9\\-]{0,48}[a-z0-9]");
  private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{1,99}");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern CONTROL = Pattern.compile("\\p{C}");

  private final CatalogStore store;
  private final String region;
  private final Clock clock;
  private final List<java.util.function.Consumer<Repository>> repositoryDeletedListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Cache<String, Optional<List<AttachedPolicy>>> policies =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).recordStats().build();
  private final Cache<String, Map<String, List<String>>> tagContexts =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).recordStats().build();

  /** Its caches by metric name, for hit rates (built with {@code recordStats}). */
  public Map<String, Cache<?, ?>> caches() {
    return Map.of("catalog.policies", policies, "catalog.tags", tagContexts, "catalog.connections", connections,
        "catalog.upstreams", upstreamLists);
  }

  public CatalogService(CatalogStore store, String region, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.region = Objects.requireNonNull(region, "region");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String region() {
    return region;
  }

  /** Registers work to do when a repository is deleted (its packages go with it, as in CodeArtifact). */
  public void onRepositoryDeleted(java.util.function.Consumer<Repository> listener) {
    repositoryDeletedListeners.add(Objects.requireNonNull(listener));
  }

  /** Registers a callback run after every committed change to domains, repositories or their policies. */
  public void onChange(Runnable listener) {
    changeListeners.add(Objects.requireNonNull(listener));
  }

  /** Drops the cached resource policies, upstream lists and external connections (another node changed something). */
  public void invalidate() {
    policies.invalidateAll();
    tagContexts.invalidateAll();
    upstreamLists.invalidateAll();
    connections.invalidateAll();
  }

  private void changed() {
    policies.invalidateAll();
    tagContexts.invalidateAll();
    upstreamLists.invalidateAll();
    connections.invalidateAll();
    changeListeners.forEach(Runnable::run);
  }

  private static final java.util.regex.Pattern CONNECTION_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-:]{1,99}");

  private volatile Map<String, String> knownConnections = Map.of();
  private volatile java.util.Set<String> configuredConnections = java.util.Set.of();

  /**
   * The external connections: those CodeArtifact has (each name with the package format it serves),
   * and those this server has an upstream URL for (only those can be associated).
   */
  public void externalConnections(Map<String, String> known, java.util.Set<String> configured) {
    this.knownConnections = Map.copyOf(known);
    this.configuredConnections = java.util.Set.copyOf(configured);
  }

  /** The package format an external connection serves, if CodeArtifact has that connection. */
  public Optional<String> externalConnectionFormat(String connection) {
    return Optional.ofNullable(knownConnections.get(connection));
  }

  private final Cache<List<String>, Optional<String>> connections =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).recordStats().build();

  /** A repository's external connection, if any; cached like {@link #upstreams}. */
  public Optional<String> externalConnection(String owner, String domainName, String name) {
    return connections.get(List.of(owner, domainName, name), k -> store.externalConnection(owner, domainName, name));
  }

  /**
   * AssociateExternalConnection: one per repository, a name CodeArtifact knows that this server is
   * configured to reach.
   */
  public Repository associateExternalConnection(String owner, String domainName, String name, String connection) {
    requireConnectionName(connection);
    Repository repository = describeRepository(owner, domainName, name);
    if (!knownConnections.containsKey(connection)) {
      throw new WharfException.Invalid("ValidationException", "Unknown external connection " + connection + "; known: "
          + String.join(", ", new java.util.TreeSet<>(knownConnections.keySet())));
    }
    if (!configuredConnections.contains(connection)) {
      throw new WharfException.Invalid("ValidationException", "External connection " + connection
          + " is not configured on this server (the operator sets its URL with --external-connection "
          + connection + "=URL)");
    }
    Optional<String> existing = store.externalConnection(owner, domainName, name);
    if (existing.isPresent()) {
      if (existing.get().equals(connection)) {
        throw new WharfException.Conflict("ConflictException", "Repository " + name + " already has external connection "
            + connection, "repository", name);
      }
      throw new WharfException.LimitExceeded("ServiceQuotaExceededException", "Repository " + name
          + " already has external connection " + existing.get() + "; a repository can have only one");
    }
    switch (store.setExternalConnection(owner, domainName, name, connection)) {
      case DONE -> changed();
      case NOT_FOUND -> throw repositoryNotFound(domainName, name);
      default -> throw new WharfException.LimitExceeded("ServiceQuotaExceededException", "Repository " + name
          + " already has an external connection; a repository can have only one");
    }
    return repository;
  }

  /** DisassociateExternalConnection. */
  public Repository disassociateExternalConnection(String owner, String domainName, String name, String connection) {
    requireConnectionName(connection);
    Repository repository = describeRepository(owner, domainName, name);
    if (!store.externalConnection(owner, domainName, name).map(connection::equals).orElse(false)
        || store.setExternalConnection(owner, domainName, name, null) != CatalogStore.Outcome.DONE) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Repository " + name
          + " has no external connection " + connection, "repository", name);
    }
    changed();
    return repository;
  }

  private static void requireConnectionName(String connection) {
    if (connection == null || !CONNECTION_NAME.matcher(connection).matches()) {
      throw new WharfException.Invalid("ValidationException", "externalConnection must match "
          + CONNECTION_NAME.pattern());
    }
  }

  private final Cache<List<String>, List<String>> upstreamLists =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(30)).recordStats().build();

  /**
   * A repository's direct upstreams in priority order, empty when it has none or does not exist;
   * cached, so a read through an upstream graph queries no repository: cleared by every catalog change
   * on this node and, through the cluster's change bus, on the others (the 30-second expiry only
   * bounds a missed notification).
   */
  public List<String> upstreams(String owner, String domainName, String name) {
    return upstreamLists.get(List.of(owner, domainName, name), k -> store.findRepository(owner, domainName, name)
        .map(CatalogStore.RepositoryRow::upstreams).orElse(List.of()));
  }

  // ---------------------------------------------------------------- validation

  public static String requireDomainName(String name) {
    if (name == null || !DOMAIN_NAME.matcher(name).matches()) {
      throw invalid("domain", name, "must satisfy regular expression pattern: [a-z][a-z0-9\\-]{0,48}[a-z0-9]");
    }
    return name;
  }

  public static String requireRepositoryName(String name, String field) {
    if (name == null || !REPOSITORY_NAME.matcher(name).matches()) {
      throw invalid(field, name, "must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9._\\-]{1,99}");
    }
    return name;
  }

  /** The domain owner: the given account id, or the caller's account when absent. */
  public static String ownerOrCaller(String domainOwner, String callerAccount) {
    if (domainOwner == null) {
      return callerAccount;
    }
    if (!ACCOUNT_ID.matcher(domainOwner).matches()) {
      throw invalid("domainOwner", domainOwner, "must satisfy regular expression pattern: [0-9]{12}");
    }
    return domainOwner;
  }

  private static WharfException.Invalid invalid(String field, String value, String constraint) {
    return new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + value + "' at '"
        + field + "' failed to satisfy constraint: Member " + constraint);
  }

  private static String requireDescription(String description) {
    if (description != null && (description.length() > 1000 || CONTROL.matcher(description).find())) {
      throw invalid("description", description, "must have length less than or equal to 1000 and no control characters");
    }
    return description;
  }

  private static void requirePolicy(String document) {
    if (document == null || document.isEmpty() || document.length() > MAX_POLICY_LENGTH) {
      throw invalid("policyDocument", document == null ? null : "(" + (document == null ? 0 : document.length()) + " chars)",
          "must have length between 1 and " + MAX_POLICY_LENGTH);
    }
    try {
      PolicyDocument.parseNew(document, PolicyKind.RESOURCE);
    } catch (MalformedPolicyException e) {
      throw new WharfException.Invalid("ValidationException", "Invalid policy document: " + e.getMessage());
    }
  }

  private static List<Tag> requireTags(List<Tag> tags) {
    Set<String> keys = new HashSet<>();
    for (Tag tag : tags) {
      if (tag.key() == null || tag.key().isEmpty() || tag.key().length() > 128 || CONTROL.matcher(tag.key()).find()) {
        throw invalid("tags.member.key", tag.key(), "must have length between 1 and 128");
      }
      if (tag.value() == null || tag.value().length() > 256 || CONTROL.matcher(tag.value()).find()) {
        throw invalid("tags.member.value", tag.value(), "must have length less than or equal to 256");
      }
      if (tag.key().startsWith("aws:")) {
        throw new WharfException.Invalid("ValidationException", "Tag keys may not start with aws:");
      }
      if (!keys.add(tag.key())) {
        throw new WharfException.Invalid("ValidationException", "Duplicate tag key " + tag.key());
      }
    }
    return tags;
  }

  // ---------------------------------------------------------------- domains

  public Domain createDomain(String owner, String name, String encryptionKey, List<Tag> tags) {
    requireDomainName(name);
    requireTags(tags);
    if (tags.size() > MAX_TAGS) {
      throw new WharfException.LimitExceeded("ServiceQuotaExceededException", "A resource can have at most " + MAX_TAGS + " tags");
    }
    String key = encryptionKey != null ? encryptionKey : "arn:aws:kms:" + region + ":" + owner + ":alias/aws/codeartifact";
    var row = new CatalogStore.DomainRow(owner, name, key, clock.instant(), 0, null, null);
    if (store.insertDomain(row) == CatalogStore.Outcome.ALREADY_EXISTS) {
      throw new WharfException.Conflict("ConflictException", "Domain " + name + " already exists in account " + owner,
          "domain", name);
    }
    store.putTags(CodeArtifactArns.domain(region, owner, name), tags);
    changed();
    return domain(row);
  }

  private Domain domain(CatalogStore.DomainRow row) {
    return new Domain(row.owner(), row.name(), CodeArtifactArns.domain(region, row.owner(), row.name()),
        row.encryptionKey(), row.createdAt(), row.repositoryCount());
  }

  public Domain describeDomain(String owner, String name) {
    requireDomainName(name);
    return store.findDomain(owner, name).map(this::domain).orElseThrow(() -> domainNotFound(owner, name));
  }

  private static WharfException.NotFound domainNotFound(String owner, String name) {
    return new WharfException.NotFound("ResourceNotFoundException",
        "Domain " + name + " not found in account " + owner, "domain", name);
  }

  public List<Domain> listDomains(String owner) {
    return store.listDomains(owner).stream().map(this::domain).toList();
  }

  public Domain deleteDomain(String owner, String name) {
    Domain domain = describeDomain(owner, name);
    switch (store.deleteDomain(owner, name)) {
      case DONE -> {
        removeAllTags(domain.arn());
        changed();
      }
      case NOT_FOUND -> throw domainNotFound(owner, name);
      case HAS_REPOSITORIES -> throw new WharfException.Conflict("ConflictException",
          "Domain " + name + " cannot be deleted while it contains repositories", "domain", name);
      case ALREADY_EXISTS, HAS_DOWNSTREAMS, REVISION_MISMATCH, LIMIT_EXCEEDED -> throw new IllegalStateException("unexpected outcome");
    }
    return domain;
  }

  public ResourcePolicy putDomainPolicy(String owner, String name, String expectedRevision, String document) {
    requireDomainName(name);
    requirePolicy(document);
    String revision = newRevision();
    handlePolicyOutcome(store.setDomainPolicy(owner, name, expectedRevision, document, revision),
        () -> domainNotFound(owner, name), "domain", name);
    return new ResourcePolicy(CodeArtifactArns.domain(region, owner, name), revision, document);
  }

  public ResourcePolicy getDomainPolicy(String owner, String name) {
    CatalogStore.DomainRow row = store.findDomain(owner, requireDomainName(name)).orElseThrow(() -> domainNotFound(owner, name));
    if (row.policy() == null) {
      throw new WharfException.NotFound("ResourceNotFoundException", "No permissions policy is set on domain " + name,
          "domain", name);
    }
    return new ResourcePolicy(CodeArtifactArns.domain(region, owner, name), row.policyRevision(), row.policy());
  }

  public ResourcePolicy deleteDomainPolicy(String owner, String name, String expectedRevision) {
    ResourcePolicy current = getDomainPolicy(owner, name);
    handlePolicyOutcome(store.setDomainPolicy(owner, name, expectedRevision, null, null),
        () -> domainNotFound(owner, name), "domain", name);
    return current;
  }

  private void handlePolicyOutcome(CatalogStore.Outcome outcome, java.util.function.Supplier<WharfException> notFound,
      String type, String id) {
    switch (outcome) {
      case DONE -> changed();
      case NOT_FOUND -> throw notFound.get();
      case REVISION_MISMATCH -> throw new WharfException.Conflict("ConflictException",
          "The policy revision does not match the current revision", type, id);
      case ALREADY_EXISTS, HAS_REPOSITORIES, HAS_DOWNSTREAMS, LIMIT_EXCEEDED -> throw new IllegalStateException("unexpected outcome");
    }
  }

  private static String newRevision() {
    return UUID.randomUUID().toString();
  }

  // ---------------------------------------------------------------- repositories

  public Repository createRepository(String owner, String domainName, String name, String administratorAccount,
      String description, List<String> upstreams, List<Tag> tags) {
    requireDomainName(domainName);
    requireRepositoryName(name, "repository");
    requireDescription(description);
    requireTags(tags);
    describeDomain(owner, domainName);
    checkUpstreams(owner, domainName, name, upstreams);
    var row = new CatalogStore.RepositoryRow(owner, domainName, name, administratorAccount, description, upstreams,
        clock.instant(), null, null);
    switch (store.insertRepository(row)) {
      case DONE -> { }
      case NOT_FOUND -> throw domainNotFound(owner, domainName);
      case ALREADY_EXISTS -> throw new WharfException.Conflict("ConflictException",
          "Repository " + name + " already exists in domain " + domainName, "repository", name);
      case HAS_REPOSITORIES, HAS_DOWNSTREAMS, REVISION_MISMATCH, LIMIT_EXCEEDED -> throw new IllegalStateException("unexpected outcome");
    }
    store.putTags(CodeArtifactArns.repository(region, owner, domainName, name), tags);
    changed();
    return repository(row);
  }

  /** Upstreams: in the same domain, existing, not the repository itself, no duplicates, no cycle, at most 10. */
  private void checkUpstreams(String owner, String domainName, String name, List<String> upstreams) {
    if (upstreams.size() > MAX_UPSTREAMS) {
      throw new WharfException.Invalid("ValidationException",
          "A repository can have at most " + MAX_UPSTREAMS + " upstream repositories");
    }
    if (new LinkedHashSet<>(upstreams).size() != upstreams.size()) {
      throw new WharfException.Invalid("ValidationException", "The list of upstream repositories contains duplicates");
    }
    Map<String, List<String>> graph = new HashMap<>();
    for (CatalogStore.RepositoryRow row : store.listRepositories(owner, domainName)) {
      graph.put(row.name(), row.upstreams());
    }
    for (String upstream : upstreams) {
      requireRepositoryName(upstream, "upstreams.member.repositoryName");
      if (upstream.equals(name)) {
        throw new WharfException.Invalid("ValidationException", "A repository cannot be its own upstream");
      }
      if (!graph.containsKey(upstream)) {
        throw new WharfException.NotFound("ResourceNotFoundException",
            "Upstream repository " + upstream + " not found in domain " + domainName, "repository", upstream);
      }
    }
    graph.put(name, upstreams);
    Deque<String> pending = new ArrayDeque<>(upstreams);
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      String next = pending.pop();
      if (next.equals(name)) {
        throw new WharfException.Invalid("ValidationException",
            "Adding these upstreams would create a cycle through repository " + name);
      }
      if (seen.add(next)) {
        pending.addAll(graph.getOrDefault(next, List.of()));
      }
    }
  }

  private Repository repository(CatalogStore.RepositoryRow row) {
    return new Repository(row.domainOwner(), row.domainName(), row.name(),
        CodeArtifactArns.repository(region, row.domainOwner(), row.domainName(), row.name()), row.administratorAccount(),
        row.description(), row.upstreams(), row.createdAt());
  }

  public Repository describeRepository(String owner, String domainName, String name) {
    requireDomainName(domainName);
    requireRepositoryName(name, "repository");
    return store.findRepository(owner, domainName, name).map(this::repository)
        .orElseThrow(() -> repositoryNotFound(domainName, name));
  }

  private static WharfException.NotFound repositoryNotFound(String domainName, String name) {
    return new WharfException.NotFound("ResourceNotFoundException",
        "Repository " + name + " not found in domain " + domainName, "repository", name);
  }

  public List<Repository> listRepositoriesInDomain(String owner, String domainName) {
    describeDomain(owner, domainName);
    return store.listRepositories(owner, domainName).stream().map(this::repository).toList();
  }

  public List<Repository> listRepositoriesAdministeredBy(String accountId) {
    return store.listRepositoriesAdministeredBy(accountId).stream().map(this::repository).toList();
  }

  public Repository updateRepository(String owner, String domainName, String name, String description, List<String> upstreams) {
    describeRepository(owner, domainName, name);
    requireDescription(description);
    if (upstreams != null) {
      checkUpstreams(owner, domainName, name, upstreams);
    }
    if (store.updateRepository(owner, domainName, name, description, upstreams) == CatalogStore.Outcome.NOT_FOUND) {
      throw repositoryNotFound(domainName, name);
    }
    changed();
    return describeRepository(owner, domainName, name);
  }

  public Repository deleteRepository(String owner, String domainName, String name) {
    Repository repository = describeRepository(owner, domainName, name);
    switch (store.deleteRepository(owner, domainName, name)) {
      case DONE -> {
        removeAllTags(repository.arn());
        repositoryDeletedListeners.forEach(listener -> listener.accept(repository));
        changed();
      }
      case NOT_FOUND -> throw repositoryNotFound(domainName, name);
      case HAS_DOWNSTREAMS -> throw new WharfException.Conflict("ConflictException",
          "Repository " + name + " is an upstream of other repositories; remove it from their upstreams first",
          "repository", name);
      case ALREADY_EXISTS, HAS_REPOSITORIES, REVISION_MISMATCH, LIMIT_EXCEEDED -> throw new IllegalStateException("unexpected outcome");
    }
    return repository;
  }

  public ResourcePolicy putRepositoryPolicy(String owner, String domainName, String name, String expectedRevision,
      String document) {
    describeRepository(owner, domainName, name);
    requirePolicy(document);
    String revision = newRevision();
    handlePolicyOutcome(store.setRepositoryPolicy(owner, domainName, name, expectedRevision, document, revision),
        () -> repositoryNotFound(domainName, name), "repository", name);
    return new ResourcePolicy(CodeArtifactArns.repository(region, owner, domainName, name), revision, document);
  }

  public ResourcePolicy getRepositoryPolicy(String owner, String domainName, String name) {
    requireDomainName(domainName);
    requireRepositoryName(name, "repository");
    CatalogStore.RepositoryRow row = store.findRepository(owner, domainName, name)
        .orElseThrow(() -> repositoryNotFound(domainName, name));
    if (row.policy() == null) {
      throw new WharfException.NotFound("ResourceNotFoundException", "No permissions policy is set on repository " + name,
          "repository", name);
    }
    return new ResourcePolicy(CodeArtifactArns.repository(region, owner, domainName, name), row.policyRevision(), row.policy());
  }

  public ResourcePolicy deleteRepositoryPolicy(String owner, String domainName, String name, String expectedRevision) {
    ResourcePolicy current = getRepositoryPolicy(owner, domainName, name);
    handlePolicyOutcome(store.setRepositoryPolicy(owner, domainName, name, expectedRevision, null, null),
        () -> repositoryNotFound(domainName, name), "repository", name);
    return current;
  }

  // ---------------------------------------------------------------- resource policies for authorization

  /** The domain's policy, if the domain exists (empty list when it has none); empty Optional when it does not exist. */
  public Optional<List<AttachedPolicy>> domainPolicies(String owner, String domainName) {
    return policies.get("d/" + owner + "/" + domainName, key -> store.findDomain(owner, domainName)
        .map(row -> policyList(CodeArtifactArns.domain(region, owner, domainName), row.policy())));
  }

  /** The domain's and the repository's policies, if the repository exists. */
  public Optional<List<AttachedPolicy>> repositoryPolicies(String owner, String domainName, String name) {
    // Read the domain's entry first: a cache loader must not touch the same cache (Caffeine, like
    // ConcurrentHashMap, throws "Recursive update" when both keys land in one bin).
    List<AttachedPolicy> domain = domainPolicies(owner, domainName).orElse(List.of());
    return policies.get("r/" + owner + "/" + domainName + "/" + name, key -> {
      Optional<CatalogStore.RepositoryRow> row = store.findRepository(owner, domainName, name);
      if (row.isEmpty()) {
        return Optional.empty();
      }
      List<AttachedPolicy> list = new ArrayList<>(domain);
      list.addAll(policyList(CodeArtifactArns.repository(region, owner, domainName, name), row.get().policy()));
      return Optional.of(List.copyOf(list));
    });
  }

  /**
   * The {@code aws:ResourceTag/KEY} condition keys of a domain or repository ARN, for its policy
   * decisions (empty when it has no tags), so a policy conditioned on tags applies as in AWS.
   */
  public Map<String, List<String>> resourceTagContext(String arn) {
    return tagContexts.get(arn, key -> {
      Map<String, List<String>> context = new HashMap<>();
      store.tags(arn).forEach(tag -> context.put("aws:ResourceTag/" + tag.key(), List.of(tag.value())));
      return Map.copyOf(context);
    });
  }

  private static List<AttachedPolicy> policyList(String arn, String document) {
    return document == null ? List.of()
        : List.of(new AttachedPolicy(arn + "/permissions-policy", PolicyDocument.parseStored(document, PolicyKind.RESOURCE)));
  }

  // ---------------------------------------------------------------- tags

  /** Checks that the ARN names an existing domain, repository or package group of this region; returns its parts. */
  public CodeArtifactArns.Parsed requireTaggable(String arn) {
    CodeArtifactArns.Parsed parsed = CodeArtifactArns.parse(arn)
        .orElseThrow(() -> new WharfException.Invalid("ValidationException", "Invalid resource ARN: " + arn));
    boolean exists = parsed.isRepository()
        ? store.findRepository(parsed.owner(), parsed.domain(), parsed.repository()).isPresent()
        : parsed.isPackageGroup()
            // the stored pattern is canonical, and so is the ARN of a group: another spelling names nothing
            ? store.packageGroupExists(parsed.owner(), parsed.domain(), parsed.packageGroup())
                && arn.equals(CodeArtifactArns.packageGroup(region, parsed.owner(), parsed.domain(), parsed.packageGroup()))
            : store.findDomain(parsed.owner(), parsed.domain()).isPresent();
    if (!exists || !arn.startsWith("arn:aws:codeartifact:" + region + ":")) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Resource " + arn + " not found",
          parsed.isRepository() ? "repository" : parsed.isPackageGroup() ? "package-group" : "domain", arn);
    }
    return parsed;
  }

  public List<Tag> listTags(String arn) {
    requireTaggable(arn);
    return store.tags(arn);
  }

  public void tagResource(String arn, List<Tag> tags) {
    requireTaggable(arn);
    requireTags(tags);
    Set<String> keys = new HashSet<>();
    store.tags(arn).forEach(t -> keys.add(t.key()));
    tags.forEach(t -> keys.add(t.key()));
    if (keys.size() > MAX_TAGS) {
      throw new WharfException.LimitExceeded("ServiceQuotaExceededException", "A resource can have at most " + MAX_TAGS + " tags");
    }
    store.putTags(arn, tags);
    changed(); // policies conditioned on aws:ResourceTag decide differently now
  }

  public void untagResource(String arn, List<String> keys) {
    requireTaggable(arn);
    store.removeTags(arn, keys);
    changed();
  }

  private void removeAllTags(String arn) {
    store.removeTags(arn, store.tags(arn).stream().map(Tag::key).toList());
  }

  /** Removes every tag of a resource that is gone (a deleted package group). */
  public void removeTags(String arn) {
    removeAllTags(arn);
    changed();
  }
}
