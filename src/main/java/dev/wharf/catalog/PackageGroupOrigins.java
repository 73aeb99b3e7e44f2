package dev.wharf.catalog;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A domain's package groups with their origin restrictions resolved: for each group and restriction type the
 * mode in effect (INHERIT followed up the tree to the first ancestor that sets one) and the allowed-repository
 * list of the group that set it. It answers, in memory, whether a package's versions may enter a repository one
 * way (published, retained from an upstream repository, fetched from an external connection). Immutable; the
 * service caches one per domain.
 */
public final class PackageGroupOrigins {
  /** A domain with no groups at all (none can be seen once the domain exists; kept for safety): allows everything. */
  public static final PackageGroupOrigins NONE = new PackageGroupOrigins(List.of(), Map.of());

  /** One restriction in effect: its mode (never INHERIT), the group that set it, and that group's list. */
  public record Effective(Mode mode, PackageGroupPattern setBy, Set<String> allowedRepositories) {
    public Effective {
      allowedRepositories = Set.copyOf(allowedRepositories);
    }

    /** Whether versions may enter {@code repository} this way. */
    public boolean allows(String repository) {
      return switch (mode) {
        case ALLOW -> true;
        case BLOCK -> false;
        case ALLOW_SPECIFIC_REPOSITORIES -> allowedRepositories.contains(repository);
        case INHERIT -> throw new IllegalStateException("an effective mode is never INHERIT");
      };
    }
  }

  /** A group of the domain with its restrictions in effect. */
  public record Resolved(PackageGroupPattern pattern, Map<RestrictionType, Effective> restrictions) {
    public Resolved {
      restrictions = Map.copyOf(restrictions);
    }
  }

  /** The verdict on one way into one repository: the package's group and the restriction it has in effect. */
  public record Decision(PackageGroupPattern group, RestrictionType type, Effective restriction, boolean allowed) {}

  /** Groups most specific first; by format, with the root (the only group of no format) in every list. */
  private final Map<String, List<Resolved>> byFormat;
  private final List<Resolved> formatless;
  private final Map<PackageGroupPattern, Resolved> byPattern;

  private PackageGroupOrigins(List<Resolved> groups, Map<PackageGroupPattern, Resolved> byPattern) {
    Map<String, List<Resolved>> formats = new HashMap<>();
    List<Resolved> none = new ArrayList<>();
    for (Resolved group : groups) {
      if (group.pattern().format() == null) {
        none.add(group);
      } else {
        formats.computeIfAbsent(group.pattern().format(), f -> new ArrayList<>()).add(group);
      }
    }
    formats.values().forEach(list -> list.addAll(none));
    formats.replaceAll((format, list) -> List.copyOf(list));
    this.byFormat = Map.copyOf(formats);
    this.formatless = List.copyOf(none);
    this.byPattern = Map.copyOf(byPattern);
  }

  /**
   * Resolves a domain's groups.
   *
   * @param modes each group's own modes, by pattern
   * @param allowed each group's allowed-repository lists, by pattern (groups with none may be absent)
   * @throws IllegalStateException when a chain of INHERIT reaches no group that sets a mode (no root)
   */
  public static PackageGroupOrigins resolve(Map<PackageGroupPattern, Map<RestrictionType, Mode>> modes,
      Map<PackageGroupPattern, Map<RestrictionType, Set<String>>> allowed) {
    List<PackageGroupPattern> patterns = modes.keySet().stream().sorted(PackageGroupPattern.MOST_SPECIFIC_FIRST)
        .toList();
    Map<PackageGroupPattern, Optional<PackageGroupPattern>> parents = new HashMap<>();
    patterns.forEach(pattern -> parents.put(pattern, parent(pattern, patterns)));
    List<Resolved> groups = new ArrayList<>();
    Map<PackageGroupPattern, Resolved> byPattern = new HashMap<>();
    for (PackageGroupPattern pattern : patterns) {
      Map<RestrictionType, Effective> effective = new EnumMap<>(RestrictionType.class);
      for (RestrictionType type : RestrictionType.values()) {
        PackageGroupPattern from = pattern;
        while (modes.get(from).getOrDefault(type, Mode.INHERIT) == Mode.INHERIT) {
          PackageGroupPattern child = from;
          from = parents.get(child).orElseThrow(
              () -> new IllegalStateException("package group " + child + " inherits " + type + " from no group"));
        }
        effective.put(type, new Effective(modes.get(from).get(type), from,
            allowed.getOrDefault(from, Map.of()).getOrDefault(type, Set.of())));
      }
      Resolved resolved = new Resolved(pattern, effective);
      groups.add(resolved);
      byPattern.put(pattern, resolved);
    }
    return new PackageGroupOrigins(groups, byPattern);
  }

  /** The most specific other group whose pattern covers {@code pattern}: its parent in the tree. */
  static Optional<PackageGroupPattern> parent(PackageGroupPattern pattern, List<PackageGroupPattern> patterns) {
    return patterns.stream().filter(pattern::isCoveredBy).min(PackageGroupPattern.MOST_SPECIFIC_FIRST);
  }

  /** The group's restrictions in effect; empty when the domain has no such group. */
  public Optional<Resolved> group(PackageGroupPattern pattern) {
    return Optional.ofNullable(byPattern.get(pattern));
  }

  /** The group a package belongs to: the most specific one whose pattern matches it. */
  public Optional<Resolved> associatedGroup(String format, String namespace, String name) {
    for (Resolved group : byFormat.getOrDefault(format, formatless)) {
      if (group.pattern().matches(format, namespace, name)) {
        return Optional.of(group);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the package's versions may enter {@code repository} the way {@code type} names, as its group decides
   * (allowed when the domain has no group, which cannot happen once it has its root).
   */
  public Optional<Decision> decide(String format, String namespace, String name, RestrictionType type,
      String repository) {
    return associatedGroup(format, namespace, name).map(group -> {
      Effective restriction = group.restrictions().get(type);
      return new Decision(group.pattern(), type, restriction, restriction.allows(repository));
    });
  }
}
