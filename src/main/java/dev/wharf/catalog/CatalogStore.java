package dev.wharf.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of domains, repositories, their policies and tags. Knows nothing of policy evaluation. */
public interface CatalogStore {

  /** A stored domain row (ARNs are computed by the service). */
  record DomainRow(String owner, String name, String encryptionKey, Instant createdAt, int repositoryCount,
      String policy, String policyRevision) {}

  /** A stored repository row. */
  record RepositoryRow(String domainOwner, String domainName, String name, String administratorAccount,
      String description, List<String> upstreams, Instant createdAt, String policy, String policyRevision) {}

  /** How a guarded change ended. */
  enum Outcome {
    DONE,
    NOT_FOUND,
    ALREADY_EXISTS,
    HAS_REPOSITORIES,
    HAS_DOWNSTREAMS,
    REVISION_MISMATCH,
    /** A quota would be exceeded (a domain's package groups). */
    LIMIT_EXCEEDED
  }

  Outcome insertDomain(DomainRow domain);

  Optional<DomainRow> findDomain(String owner, String name);

  List<DomainRow> listDomains(String owner);

  Outcome deleteDomain(String owner, String name);

  /** Sets (document non-null) or removes the domain policy when the expected revision matches (null = any). */
  Outcome setDomainPolicy(String owner, String name, String expectedRevision, String document, String newRevision);

  Outcome insertRepository(RepositoryRow repository);

  Optional<RepositoryRow> findRepository(String domainOwner, String domainName, String name);

  List<RepositoryRow> listRepositories(String domainOwner, String domainName);

  /** Repositories administered by an account, across domains. */
  List<RepositoryRow> listRepositoriesAdministeredBy(String accountId);

  /** Updates description (when non-null) and upstreams (when non-null). */
  Outcome updateRepository(String domainOwner, String domainName, String name, String description, List<String> upstreams);

  Outcome deleteRepository(String domainOwner, String domainName, String name);

  /** The repository's external connection name, if it has one. */
  Optional<String> externalConnection(String domainOwner, String domainName, String name);

  /**
   * Sets (or with null removes) the repository's one external connection; ALREADY_EXISTS when it
   * has another one (nothing changes), NOT_FOUND when the repository does not exist.
   */
  Outcome setExternalConnection(String domainOwner, String domainName, String name, String connection);

  Outcome setRepositoryPolicy(String domainOwner, String domainName, String name, String expectedRevision,
      String document, String newRevision);

  /** Whether the domain has a package group with this canonical pattern (for tagging it). */
  boolean packageGroupExists(String domainOwner, String domainName, String pattern);

  List<Tag> tags(String resourceArn);

  void putTags(String resourceArn, List<Tag> tags);

  void removeTags(String resourceArn, List<String> keys);
}
