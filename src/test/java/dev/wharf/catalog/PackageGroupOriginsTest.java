package dev.wharf.catalog;

import static dev.wharf.catalog.PackageGroup.Mode.ALLOW;
import static dev.wharf.catalog.PackageGroup.Mode.ALLOW_SPECIFIC_REPOSITORIES;
import static dev.wharf.catalog.PackageGroup.Mode.BLOCK;
import static dev.wharf.catalog.PackageGroup.Mode.INHERIT;
import static dev.wharf.catalog.PackageGroup.RestrictionType.EXTERNAL_UPSTREAM;
import static dev.wharf.catalog.PackageGroup.RestrictionType.INTERNAL_UPSTREAM;
import static dev.wharf.catalog.PackageGroup.RestrictionType.PUBLISH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.catalog.PackageGroup.Mode;
import dev.wharf.catalog.PackageGroup.RestrictionType;
import dev.wharf.format.FormatRegistry;
import dev.wharf.format.StoredNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a domain's package groups decide whether a package's versions may enter a repository. */
class PackageGroupOriginsTest {
  private static final Map<String, StoredNames> FORMATS = FormatRegistry.standardStoredNames();

  private final Map<PackageGroupPattern, Map<RestrictionType, Mode>> modes = new HashMap<>();
  private final Map<PackageGroupPattern, Map<RestrictionType, Set<String>>> allowed = new HashMap<>();

  private void group(String pattern, Mode publish, Mode external, Mode internal) {
    modes.put(PackageGroupPattern.parse(pattern, FORMATS),
        Map.of(PUBLISH, publish, EXTERNAL_UPSTREAM, external, INTERNAL_UPSTREAM, internal));
  }

  private void allow(String pattern, RestrictionType type, String... repositories) {
    allowed.computeIfAbsent(PackageGroupPattern.parse(pattern, FORMATS), p -> new HashMap<>())
        .put(type, Set.of(repositories));
  }

  private boolean allows(String format, String namespace, String name, RestrictionType type, String repository) {
    return PackageGroupOrigins.resolve(modes, allowed).decide(format, namespace, name, type, repository)
        .orElseThrow().allowed();
  }

  @Test
  void theRootAloneAllowsEveryWayIntoEveryRepository() {
    group("/*", ALLOW, ALLOW, ALLOW);
    for (RestrictionType type : RestrictionType.values()) {
      assertThat(allows("npm", "", "left-pad", type, "any")).isTrue();
    }
  }

  @Test
  void thePackagesMostSpecificGroupDecidesNotABroaderOne() {
    group("/*", ALLOW, ALLOW, ALLOW);
    group("/npm/*", BLOCK, INHERIT, INHERIT);
    group("/npm/acme/*", ALLOW, INHERIT, INHERIT);
    group("/npm/acme/secret$", BLOCK, INHERIT, INHERIT);
    assertThat(allows("npm", "", "left-pad", PUBLISH, "r")).as("/npm/*").isFalse();
    assertThat(allows("npm", "acme", "ui", PUBLISH, "r")).as("/npm/acme/* is more specific").isTrue();
    assertThat(allows("npm", "acme", "secret", PUBLISH, "r")).as("the exact name is the most specific").isFalse();
    assertThat(allows("pypi", "", "requests", PUBLISH, "r")).as("another format: the root").isTrue();
  }

  @Test
  void inheritTakesTheFirstAncestorThatSetsAModeTypeByType() {
    group("/*", ALLOW, BLOCK, ALLOW);
    group("/npm/*", INHERIT, ALLOW, BLOCK);
    group("/npm/acme~", INHERIT, INHERIT, INHERIT);
    group("/npm/acme/*", INHERIT, INHERIT, INHERIT);
    PackageGroupOrigins origins = PackageGroupOrigins.resolve(modes, allowed);
    var restrictions = origins.group(PackageGroupPattern.parse("/npm/acme/*", FORMATS)).orElseThrow().restrictions();
    assertThat(restrictions.get(PUBLISH).mode()).isEqualTo(ALLOW);
    assertThat(restrictions.get(PUBLISH).setBy()).isEqualTo(PackageGroupPattern.ROOT);
    assertThat(restrictions.get(EXTERNAL_UPSTREAM).mode()).isEqualTo(ALLOW);
    assertThat(restrictions.get(EXTERNAL_UPSTREAM).setBy().toString()).isEqualTo("/npm/*");
    assertThat(restrictions.get(INTERNAL_UPSTREAM).mode()).isEqualTo(BLOCK);
    assertThat(allows("npm", "acme", "ui", INTERNAL_UPSTREAM, "r")).isFalse();
    assertThat(allows("npm", "acme", "ui", EXTERNAL_UPSTREAM, "r")).isTrue();
    assertThat(allows("maven", "org", "core", EXTERNAL_UPSTREAM, "r")).as("the root's BLOCK").isFalse();
  }

  @Test
  void allowSpecificRepositoriesAllowsTheRepositoriesOfTheListOfTheGroupThatSetIt() {
    group("/*", ALLOW, ALLOW, ALLOW);
    group("/npm/acme/*", ALLOW_SPECIFIC_REPOSITORIES, INHERIT, INHERIT);
    allow("/npm/acme/*", PUBLISH, "releases");
    group("/npm/acme/ui~", INHERIT, INHERIT, INHERIT);
    allow("/npm/acme/ui~", PUBLISH, "scratch"); // a list of its own is not used while it inherits
    assertThat(allows("npm", "acme", "core", PUBLISH, "releases")).isTrue();
    assertThat(allows("npm", "acme", "core", PUBLISH, "scratch")).isFalse();
    assertThat(allows("npm", "acme", "ui-kit", PUBLISH, "releases")).isTrue();
    assertThat(allows("npm", "acme", "ui-kit", PUBLISH, "scratch")).isFalse();
    assertThat(allows("npm", "acme", "core", INTERNAL_UPSTREAM, "scratch")).as("other types").isTrue();
  }

  @Test
  void allowSpecificRepositoriesWithAnEmptyListAllowsNoRepository() {
    group("/*", ALLOW_SPECIFIC_REPOSITORIES, ALLOW, ALLOW);
    assertThat(allows("generic", "ns", "tool", PUBLISH, "anything")).isFalse();
  }

  @Test
  void aChainOfInheritWithoutTheRootIsAnErrorNotAnAllow() {
    group("/npm/*", INHERIT, INHERIT, INHERIT);
    assertThatThrownBy(() -> PackageGroupOrigins.resolve(modes, allowed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDomainWithoutGroupsDecidesNothing() {
    assertThat(PackageGroupOrigins.NONE.decide("npm", "", "x", PUBLISH, "r")).isEmpty();
  }
}
