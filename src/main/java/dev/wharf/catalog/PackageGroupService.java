package dev.wharf.catalog;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.catalog.PackageGroupStore.Coordinates;
import dev.wharf.catalog.PackageGroupStore.GroupRow;
import dev.wharf.error.WharfException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CodeArtifact's package groups: a tree of patterns per domain (the root {@code /*} at the top, each group's
 * parent the most specific other group that covers its pattern), the group a package belongs to (the most
 * specific one whose pattern matches it), and each group's origin restrictions with the repositories they allow.
 */
public final class PackageGroupService {
  /** Description and contact information: at most 1,000 characters and no control characters. */
  public static final int MAX_TEXT_LENGTH = 1000;

  private static final Pattern PRINTABLE = Pattern.compile("\\P{C}*");

  private final PackageGroupStore store;
  private final CatalogService catalog;
  private final List<String> formats;
  private final Clock clock;

  /**
   * @param formats the package formats a pattern may name
   */
  public PackageGroupService(PackageGroupStore store, CatalogService catalog, Collection<String> formats,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.formats = List.copyOf(formats);
    this.clock = Objects.requireNonNull(clock, "clock");
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
    switch (store.insert(row)) {
      case DONE -> { }
      case NOT_FOUND -> throw domainNotFound(owner, domain);
      case ALREADY_EXISTS -> throw new WharfException.Conflict("ConflictException", "Package group " + pattern
          + " already exists in domain " + domain, "package-group", pattern.toString());
      case HAS_REPOSITORIES, HAS_DOWNSTREAMS, REVISION_MISMATCH -> throw new IllegalStateException("unexpected outcome");
    }
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
    return groups.stream().filter(candidate -> pattern.isCoveredBy(candidate.pattern()))
        .min((a, b) -> PackageGroupPattern.MOST_SPECIFIC_FIRST.compare(a.pattern(), b.pattern()));
  }

  /** The group a package belongs to: the most specific one whose pattern matches it. */
  public PackageGroup associatedGroup(String owner, String domain, String format, String namespace, String name) {
    if (!formats.contains(format)) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + format
          + "' at 'format' failed to satisfy constraint: Member must satisfy enum value set: " + formats);
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

  /** The group's restrictions, each resolved through INHERIT up the tree. */
  public Map<RestrictionType, Restriction> restrictions(PackageGroup group) {
    List<PackageGroup> all = list(group.domainOwner(), group.domainName(), null);
    Map<RestrictionType, Long> counts = store.allowedRepositoryCounts(group.domainOwner(), group.domainName(),
        group.pattern().toString());
    Map<RestrictionType, Restriction> restrictions = new LinkedHashMap<>();
    for (RestrictionType type : RestrictionType.values()) {
      PackageGroup from = group;
      while (from.modes().get(type) == Mode.INHERIT) {
        from = parentAmong(from.pattern(), all).orElseThrow(() -> new IllegalStateException("root inherits"));
      }
      Mode effective = from.modes().get(type);
      restrictions.put(type, new Restriction(group.modes().get(type), effective,
          from == group ? Optional.empty() : Optional.of(from),
          effective == Mode.ALLOW_SPECIFIC_REPOSITORIES && from == group ? counts.getOrDefault(type, 0L) : 0L));
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
