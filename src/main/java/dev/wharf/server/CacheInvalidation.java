package dev.wharf.server;

import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.PackageGroupService;
import dev.wharf.cluster.ChangeBus;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.IdentityService;
import dev.wharf.identity.oidc.OidcProviderService;
import dev.wharf.identity.PermissionService;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.token.TokenService;
import java.util.List;
import java.util.Optional;

/**
 * Connects every cache that holds state another node can change to the {@link ChangeBus}: a
 * service's own change clears its caches locally and is published; a change published by another
 * node clears the same caches here. See docs/cluster.md for the list and the bounds.
 */
final class CacheInvalidation {
  static final String IDENTITY = "identity";
  static final String CATALOG = "catalog";
  static final String TOKENS = "tokens";
  static final String PACKAGES = "packages";
  static final String PACKAGE_GROUPS = "package-groups";
  /** Separates the fields of a package key in a notification (no package name can contain it). */
  private static final String SEPARATOR = "\u001f";

  private CacheInvalidation() {}

  static void connect(ChangeBus bus, IdentityService identity, OidcProviderService oidcProviders, CredentialService credentials,
      PermissionService permissions, TokenService tokens, CatalogService catalog, PackageService packages,
      PackageGroupService packageGroups) {
    // Users, access keys, roles and identity policies: resolved keys and roles, identity policies and
    // the token principals' existence are cached; any IAM change clears them all.
    identity.onChange(() -> bus.publish(IDENTITY, ChangeBus.EVERYTHING));
    oidcProviders.onChange(() -> bus.publish(IDENTITY, ChangeBus.EVERYTHING));
    bus.subscribe(IDENTITY, key -> {
      oidcProviders.invalidate();
      credentials.invalidate();
      permissions.invalidate();
      tokens.invalidatePrincipals();
    });
    // Domain and repository policies (and the domains and repositories they hang on).
    // A deleted repository leaves its domain's allowed-repository lists, a deleted domain takes its groups:
    // the resolved package-group restrictions go with any catalog change.
    catalog.onChange(packageGroups::invalidateAll);
    catalog.onChange(() -> bus.publish(CATALOG, ChangeBus.EVERYTHING));
    bus.subscribe(CATALOG, key -> {
      catalog.invalidate();
      packageGroups.invalidateAll();
    });
    // A domain's package groups, resolved (origin restrictions decided on every publish and upstream read).
    packageGroups.onChange((owner, domain) -> bus.publish(PACKAGE_GROUPS, owner + SEPARATOR + domain));
    bus.subscribe(PACKAGE_GROUPS, key -> {
      List<String> fields = List.of(key.split(SEPARATOR, -1));
      if (fields.size() == 2) {
        packageGroups.invalidate(fields.get(0), fields.get(1));
      } else {
        packageGroups.invalidateAll();
      }
    });
    // Token keys and the revocation list are held whole in memory: a revocation names its token; a
    // key change (or a resynchronization) re-reads both.
    tokens.onChange(revoked -> bus.publish(TOKENS, revoked.orElse(ChangeBus.EVERYTHING)));
    bus.subscribe(TOKENS, key -> {
      if (key.equals(ChangeBus.EVERYTHING)) {
        tokens.reload();
      } else {
        tokens.noteRevoked(key);
      }
    });
    // Package documents (npm packuments are rendered from, and cached against, the document instance).
    packages.onChange(key -> bus.publish(PACKAGES, key.map(CacheInvalidation::encode).orElse(ChangeBus.EVERYTHING)));
    bus.subscribe(PACKAGES, key -> decode(key).ifPresentOrElse(packages::invalidate, packages::invalidateAll));
    // A node that has just started may have created a token key (first start of a cluster, nodes
    // starting together): the others must load it before they meet a token it sealed.
    bus.publish(TOKENS, ChangeBus.EVERYTHING);
    bus.start();
  }

  static String encode(PackageKey key) {
    return String.join(SEPARATOR, key.domainOwner(), key.domainName(), key.repository(), key.format(),
        key.namespace(), key.name());
  }

  static Optional<PackageKey> decode(String encoded) {
    List<String> fields = List.of(encoded.split(SEPARATOR, -1));
    if (fields.size() != 6) {
      return Optional.empty();
    }
    return Optional.of(new PackageKey(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4),
        fields.get(5)));
  }
}
