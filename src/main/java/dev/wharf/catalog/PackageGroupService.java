package dev.wharf.catalog;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupStore.Coordinates;
import dev.wharf.catalog.PackageGroupStore.GroupRow;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.error.WharfException;
import dev.wharf.format.StoredNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * CodeArtifact's package groups: a tree of patterns per domain (the root {@code /*} at the top, each group's
 * parent the most specific other group that covers its pattern), the group a package belongs to (the most
 * specific one whose pattern matches it), and each group's origin restrictions with the repositories they allow.
 * A domain's restrictions are resolved once and cached ({@link #origins}), so deciding whether a version may
 * enter a repository reads no database row when warm; every change here clears the domain's entry and is
 * announced ({@link #onChange}) so other nodes clear theirs.
 */
public final class PackageGroupService {
  /** Description and contact information: at most 1,000 characters and no control characters. */
  public static final int MAX_TEXT_LENGTH = 1000;

  /**
   * How many groups a domain may have, the root {@code /*} included: CodeArtifact has a quota of package groups
   * per domain, but the quota page read for this did not state it; 1,000 is Wharf's choice (docs/compatibility.md).
   */
  public static final int MAX_GROUPS_PER_DOMAIN = 1000;

  private static final Pattern PRINTABLE = Pattern.compile("\\P{C}*");

  private final PackageGroupStore store;
  private final CatalogService catalog;
  private final Map<String, StoredNames> formats;
  private final int maxGroupsPerDomain;
  private final Clock clock;
  private final Cache<List<String>, PackageGroupOrigins> origins =
      Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
  private final List<BiConsumer<String, String>> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * @param formats the package formats a pattern may name, each with how it stores namespaces and names (the
   *     format layer's {@code FormatRegistry.storedNames()}), in the order the API lists them
   * @param maxGroupsPerDomain the quota of groups per domain ({@link #MAX_GROUPS_PER_DOMAIN})
   */
  public PackageGroupService(PackageGroupStore store, CatalogService catalog, Map<String, StoredNames> formats,
      int maxGroupsPerDomain, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.formats = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(formats));
    if (maxGroupsPerDomain < 1) {
      throw new IllegalArgumentException("a domain has at least its root group: maxGroupsPerDomain must be positive");
    }
    this.maxGroupsPerDomain = maxGroupsPerDomain;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Its cache by metric name, for hit rates (built with {@code recordStats}). */
  public Map<String, Cache<?, ?>> caches() {
    return Map.of("catalog.package_groups", origins);
  }

  /** Registers a callback run after every committed change to a domain's groups, with the domain's owner and name. */
  public void onChange(BiConsumer<String, String> listener) {
    changeListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Drops the domain's resolved restrictions (another node changed its groups). */
  public void invalidate(String owner, String domain) {
    origins.invalidate(List.of(owner, domain));
  }

  /** Drops every domain's resolved restrictions (a repository or domain went, or the change bus resynchronised). */
  public void invalidateAll() {
    origins.invalidateAll();
  }

  private void changed(String owner, String domain) {
    invalidate(owner, domain);
    changeListeners.forEach(listener -> listener.accept(owner, domain));
  }

  /**
   * The domain's groups with their restrictions resolved, from the cache: what decides whether a package's
   * versions may be published to, retained in or fetched into a repository. Empty ({@link PackageGroupOrigins#NONE})
   * for a domain that does not exist.
   */
  public PackageGroupOrigins origins(String owner, String domain) {
    return origins.get(List.of(owner, domain), key -> load(owner, domain));
  }

  /**
   * Why the package's group does not let its versions enter {@code repository} the way {@code type} names (its
   * pattern and mode, for the refusal's message), or empty when it does. From the cache.
   */
  public Optional<String> refusal(String owner, String domain, String repository, String format, String namespace,
      String name, RestrictionType type) {
    return origins(owner, domain).decide(format, namespace, name, type, repository)
        .filter(decision -> !decision.allowed())
        .map(decision -> "the origin configuration of its package group " + decision.group() + " (" + type + ": "
            + decision.restriction().mode() + (decision.restriction().mode() == Mode.ALLOW_SPECIFIC_REPOSITORIES
                ? ", and " + repository + " is not an allowed repository" : "")
            + (decision.restriction().setBy().equals(decision.group()) ? ""
                : ", inherited from " + decision.restriction().setBy()) + ")");
  }

  private PackageGroupOrigins load(String owner, String domain) {
    Map<PackageGroupPattern, Map<RestrictionType, Mode>> modes = new java.util.HashMap<>();
    store.list(owner, domain).forEach(row -> modes.put(pattern(row.pattern()), row.modes()));
    if (modes.isEmpty()) {
      return PackageGroupOrigins.NONE;
    }
    Map<PackageGroupPattern, Map<RestrictionType, Set<String>>> allowed = new java.util.HashMap<>();
    for (PackageGroupStore.AllowedRepository entry : store.allowedRepositoriesOfDomain(owner, domain)) {
      allowed.computeIfAbsent(pattern(entry.pattern()), p -> new EnumMap<>(RestrictionType.class))
          .computeIfAbsent(entry.type(), t -> new java.util.HashSet<>()).add(entry.repository());
    }
    return PackageGroupOrigins.resolve(modes, allowed);
  }

  /** Parses a pattern as the API accepts it, or throws ValidationException. */
  public PackageGroupPattern pattern(String text) {
    return PackageGroupPattern.parse(text, formats);
  }

  /** The ARN of a group: its canonical pattern percent-encoded, as CodeArtifact encodes it. */
  public String arn(String owner, String domain, PackageGroupPattern pattern) {
    return CodeArtifactArns.packageGroup(catalog.region(), owner, domain, pattern.toString());
  }

  public PackageGroup create(String owner, String domain, String patternText, String contactInfo, String description,
      List<Tag> tags) {
    PackageGroupPattern pattern = pattern(patternText);
    requireText(description, "description");
    requireText(contactInfo, "contactInfo");
    catalog.describeDomain(owner, domain);
    Map<RestrictionType, Mode> modes = new EnumMap<>(RestrictionType.class);
    for (RestrictionType type : RestrictionType.values()) {
      modes.put(type, Mode.INHERIT);
    }
    GroupRow row = new GroupRow(owner, domain, pattern.toString(), description, contactInfo, clock.instant(), modes);
    switch (store.insert(row, maxGroupsPerDomain)) {
      case DONE -> { }
      case NOT_FOUND -> throw domainNotFound(owner, domain);
      case LIMIT_EXCEEDED -> throw new WharfException.LimitExceeded("ServiceQuotaExceededException", "Domain " + domain
          + " has " + maxGroupsPerDomain + " package groups, the most a domain may have (the root group included):"
          + " delete one first", "domain", domain);
      case ALREADY_EXISTS -> throw new WharfException.Conflict("ConflictException", "Package group " + pattern
          + " already exists in domain " + domain, "package-group", pattern.toString());
      case HAS_REPOSITORIES, HAS_DOWNSTREAMS, REVISION_MISMATCH -> throw new IllegalStateException("unexpected outcome");
    }
    changed(owner, domain);
    PackageGroup group = group(row);
    if (!tags.isEmpty()) {
      catalog.tagResource(group.arn(), tags);
    }
    return group;
  }

  public PackageGroup describe(String owner, String domain, String patternText) {
    PackageGroupPattern pattern = pattern(patternText);
    catalog.describeDomain(owner, domain);
    return store.find(owner, domain, pattern.toString()).map(this::group)
        .orElseThrow(() -> groupNotFound(domain, pattern));
  }

  /** Whether the group exists (for tagging); false for a pattern that does not parse. */
  public boolean exists(String owner, String domain, String patternText) {
    try {
      return store.find(owner, domain, pattern(patternText).toString()).isPresent();
    } catch (WharfException.Invalid notAPattern) {
      return false;
    }
  }

  /** Sets the description and contact information that are non-null. */
  public PackageGroup update(String owner, String domain, String patternText, String description, String contactInfo) {
    PackageGroupPattern pattern = pattern(patternText);
    requireText(description, "description");
    requireText(contactInfo, "contactInfo");
    catalog.describeDomain(owner, domain);
    if (store.update(owner, domain, pattern.toString(), description, contactInfo) != CatalogStore.Outcome.DONE) {
      throw groupNotFound(domain, pattern);
    }
    return describe(owner, domain, pattern.toString());
  }

  /** Deletes a group (never the root); its children become its parent's children. */
  public PackageGroup delete(String owner, String domain, String patternText) {
    PackageGroup group = describe(owner, domain, patternText);
    if (group.isRoot()) {
      throw new WharfException.Invalid("ValidationException", "The root package group /* cannot be deleted");
    }
    if (store.delete(owner, domain, group.pattern().toString()) != CatalogStore.Outcome.DONE) {
      throw groupNotFound(domain, group.pattern());
    }
    changed(owner, domain);
    catalog.removeTags(group.arn());
    return group;
  }

  /** The domain's groups whose pattern starts with {@code prefix} (all when null), ordered by pattern. */
  public List<PackageGroup> list(String owner, String domain, String prefix) {
    catalog.describeDomain(owner, domain);
    return store.list(owner, domain).stream().filter(row -> prefix == null || row.pattern().startsWith(prefix))
        .map(this::group).sorted(java.util.Comparator.comparing(group -> group.pattern().toString())).toList();
  }

  /** The group's direct children, ordered by pattern. */
  public List<PackageGroup> children(String owner, String domain, String patternText) {
    PackageGroup parent = describe(owner, domain, patternText);
    List<PackageGroup> all = list(owner, domain, null);
    return all.stream().filter(group -> parentAmong(group.pattern(), all).map(p -> p.pattern().equals(parent.pattern()))
        .orElse(false)).toList();
  }

  /** The group's parent: none for the root. */
  public Optional<PackageGroup> parent(PackageGroup group) {
    return parentAmong(group.pattern(), list(group.domainOwner(), group.domainName(), null));
  }

  private static Optional<PackageGroup> parentAmong(PackageGroupPattern pattern, List<PackageGroup> groups) {
    return PackageGroupOrigins.parent(pattern, groups.stream().map(PackageGroup::pattern).toList())
        .flatMap(parent -> groups.stream().filter(group -> group.pattern().equals(parent)).findFirst());
  }

  /** The group a package belongs to: the most specific one whose pattern matches it. */
  public PackageGroup associatedGroup(String owner, String domain, String format, String namespace, String name) {
    if (!formats.containsKey(format)) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + format
          + "' at 'format' failed to satisfy constraint: Member must satisfy enum value set: " + formats.keySet());
    }
    return mostSpecific(list(owner, domain, null), format, namespace, name).orElseThrow(
        () -> new IllegalStateException("domain " + domain + " has no root package group"));
  }

  private static Optional<PackageGroup> mostSpecific(List<PackageGroup> groups, String format, String namespace,
      String name) {
    return groups.stream().filter(group -> group.pattern().matches(format, namespace, name))
        .min((a, b) -> PackageGroupPattern.MOST_SPECIFIC_FIRST.compare(a.pattern(), b.pattern()));
  }

  /**
   * The packages of the domain that belong to the group. With {@code preview}, those that would belong to it
   * were it created (the group need not exist).
   */
  public List<Coordinates> associatedPackages(String owner, String domain, String patternText, boolean preview) {
    PackageGroupPattern pattern = pattern(patternText);
    List<PackageGroup> groups = new ArrayList<>(list(owner, domain, null));
    boolean exists = groups.stream().anyMatch(group -> group.pattern().equals(pattern));
    if (!exists && !preview) {
      throw groupNotFound(domain, pattern);
    }
    if (!exists) {
      groups.add(new PackageGroup(owner, domain, pattern, arn(owner, domain, pattern), null, null, clock.instant(),
          Map.of()));
    }
    return store.packagesOfDomain(owner, domain, pattern.format()).stream()
        .filter(p -> mostSpecific(groups, p.format(), p.namespace(), p.name())
            .map(group -> group.pattern().equals(pattern)).orElse(false))
        .toList();
  }

  /** A restriction's mode as set, the mode in effect, and the group it was inherited from (if inherited). */
  public record Restriction(Mode mode, Mode effectiveMode, Optional<PackageGroup> inheritedFrom, long repositories) {}

  /** The group's restrictions, each resolved through INHERIT up the tree (as the decisions resolve them). */
  public Map<RestrictionType, Restriction> restrictions(PackageGroup group) {
    String owner = group.domainOwner();
    String domain = group.domainName();
    // a group another node has just created may not be in this node's cache yet (the bus is a few ms behind)
    PackageGroupOrigins.Resolved resolved = origins(owner, domain).group(group.pattern()).or(() -> {
      invalidate(owner, domain);
      return origins(owner, domain).group(group.pattern());
    }).orElseThrow(() -> groupNotFound(domain, group.pattern()));
    Map<RestrictionType, Long> counts = store.allowedRepositoryCounts(owner, domain, group.pattern().toString());
    Map<RestrictionType, Restriction> restrictions = new LinkedHashMap<>();
    for (RestrictionType type : RestrictionType.values()) {
      PackageGroupOrigins.Effective effective = resolved.restrictions().get(type);
      boolean own = effective.setBy().equals(group.pattern());
      Optional<PackageGroup> from = own ? Optional.empty()
          : Optional.of(new PackageGroup(owner, domain, effective.setBy(), arn(owner, domain, effective.setBy()),
              null, null, group.createdAt(), Map.of()));
      restrictions.put(type, new Restriction(group.modes().get(type), effective.mode(), from,
          effective.mode() == Mode.ALLOW_SPECIFIC_REPOSITORIES && own ? counts.getOrDefault(type, 0L) : 0L));
    }
    return restrictions;
  }

  /** What an origin update added and removed, per restriction type. */
  public record AllowedRepositoryUpdates(Map<RestrictionType, List<String>> added,
      Map<RestrictionType, List<String>> removed) {}

  /**
   * Sets restriction modes and edits the allowed-repository lists in one step. The root group cannot inherit;
   * the repositories named must exist in the domain.
   */
  public AllowedRepositoryUpdates updateOrigin(String owner, String domain, String patternText,
      Map<RestrictionType, Mode> modes, Map<RestrictionType, List<String>> add,
      Map<RestrictionType, List<String>> remove) {
    PackageGroup group = describe(owner, domain, patternText);
    if (group.isRoot() && modes.containsValue(Mode.INHERIT)) {
      throw new WharfException.Invalid("ValidationException",
          "The root package group /* has no parent to inherit from: INHERIT is not allowed");
    }
    add.values().forEach(names -> names.forEach(name -> catalog.describeRepository(owner, domain, name)));
    if (store.updateOrigin(owner, domain, group.pattern().toString(), modes, add, remove)
        != CatalogStore.Outcome.DONE) {
      throw groupNotFound(domain, group.pattern());
    }
    changed(owner, domain);
    return new AllowedRepositoryUpdates(add, remove);
  }

  public List<String> allowedRepositories(String owner, String domain, String patternText, RestrictionType type) {
    PackageGroup group = describe(owner, domain, patternText);
    return store.allowedRepositories(owner, domain, group.pattern().toString(), type);
  }

  private PackageGroup group(GroupRow row) {
    PackageGroupPattern pattern = pattern(row.pattern());
    return new PackageGroup(row.domainOwner(), row.domainName(), pattern, arn(row.domainOwner(), row.domainName(),
        pattern), row.description(), row.contactInfo(), row.createdAt(), row.modes());
  }

  private static void requireText(String value, String member) {
    if (value != null && (value.length() > MAX_TEXT_LENGTH || !PRINTABLE.matcher(value).matches())) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value at '" + member
          + "' failed to satisfy constraint: Member must have length less than or equal to " + MAX_TEXT_LENGTH
          + " and contain no control characters");
    }
  }

  private static WharfException.NotFound domainNotFound(String owner, String domain) {
    return new WharfException.NotFound("ResourceNotFoundException",
        "Domain " + domain + " not found in account " + owner, "domain", domain);
  }

  private static WharfException.NotFound groupNotFound(String domain, PackageGroupPattern pattern) {
    return new WharfException.NotFound("ResourceNotFoundException",
        "Package group " + pattern + " not found in domain " + domain, "package-group", pattern.toString());
  }
}
