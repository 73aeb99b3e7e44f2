package dev.wharf.catalog;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of package groups and their allowed-repository lists. Patterns are stored as their canonical
 * text. A domain's root group {@code /*} is written with the domain ({@link CatalogStore#insertDomain}).
 */
public interface PackageGroupStore {

  /** A stored package group. */
  record GroupRow(String domainOwner, String domainName, String pattern, String description, String contactInfo,
      Instant createdAt, Map<RestrictionType, Mode> modes) {
    public GroupRow {
      modes = Map.copyOf(modes);
    }
  }

  /**
   * DONE, NOT_FOUND (no such domain), ALREADY_EXISTS, or LIMIT_EXCEEDED when the domain has {@code maxGroups}
   * groups already (decided in the insert's transaction, so concurrent inserts cannot pass the limit together).
   */
  CatalogStore.Outcome insert(GroupRow group, int maxGroups);

  Optional<GroupRow> find(String domainOwner, String domainName, String pattern);

  /** Every group of the domain, in no particular order. */
  List<GroupRow> list(String domainOwner, String domainName);

  /** Sets the description and contact information where non-null; DONE or NOT_FOUND. */
  CatalogStore.Outcome update(String domainOwner, String domainName, String pattern, String description,
      String contactInfo);

  /**
   * In one transaction: sets the given modes, then adds and removes allowed repositories per restriction type;
   * DONE or NOT_FOUND.
   */
  CatalogStore.Outcome updateOrigin(String domainOwner, String domainName, String pattern,
      Map<RestrictionType, Mode> modes, Map<RestrictionType, List<String>> add,
      Map<RestrictionType, List<String>> remove);

  /** The allowed repositories of one restriction type, by name. */
  List<String> allowedRepositories(String domainOwner, String domainName, String pattern, RestrictionType type);

  /** One entry of an allowed-repository list. */
  record AllowedRepository(String pattern, RestrictionType type, String repository) {}

  /** Every allowed-repository list entry of the domain's groups, in no particular order. */
  List<AllowedRepository> allowedRepositoriesOfDomain(String domainOwner, String domainName);

  /** How many repositories each restriction type allows (types with none are absent). */
  Map<RestrictionType, Long> allowedRepositoryCounts(String domainOwner, String domainName, String pattern);

  /** A package's coordinates; the namespace is empty when it has none. */
  record Coordinates(String format, String namespace, String name) {}

  /** The distinct packages of the domain's repositories (of one format when non-null), ordered by coordinates. */
  List<Coordinates> packagesOfDomain(String domainOwner, String domainName, String format);

  /** Deletes the group with its allowed-repository lists; DONE or NOT_FOUND. */
  CatalogStore.Outcome delete(String domainOwner, String domainName, String pattern);
}
