package dev.wharf.token;

import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.identity.PermissionService;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.Decision;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every package endpoint (npm, PyPI, Maven) asks: is this token valid for this repository's
 * domain, and may its principal, under the policies as they are now, do this action here?
 */
public final class RepositoryAccessService {
  private final TokenService tokens;
  private final CatalogService catalog;
  private final PermissionService permissions;

  public RepositoryAccessService(TokenService tokens, CatalogService catalog, PermissionService permissions) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
  }

  public String region() {
    return catalog.region();
  }

  /** The outcome of a package request's authorization. */
  public sealed interface Access {
    /** The token is missing, invalid, expired, revoked, or for another domain: answer 401. */
    record Unauthenticated(String message) implements Access {}

    /** The token is valid but its principal may not do the action: answer 403. */
    record Denied(AuthorizationToken token, String message) implements Access {}

    /** The repository does not exist (checked after authentication): answer 404. */
    record NoSuchRepository(AuthorizationToken token) implements Access {}

    record Allowed(AuthorizationToken token, Decision decision) implements Access {}
  }

  /**
   * Authorizes an action (e.g. codeartifact:ReadFromRepository) on a repository, or on a package in
   * it when packageArn is non-null, for the presented token.
   */
  public Access authorize(String token, PermissionService.RequestOrigin origin, String domainOwner, String domainName,
      String repository, String action, String packageArn) {
    return authorize(token, domainOwner, domainName, repository, action, packageArn != null ? packageArn
        : CodeArtifactArns.repository(catalog.region(), domainOwner, domainName, repository),
        // a repository's tags are its aws:ResourceTag keys; a package has none of its own
        (principal, resource, policies) -> permissions.authorize(principal, origin, action, resource, domainOwner,
            policies, packageArn != null ? Map.of() : catalog.resourceTagContext(resource)));
  }

  /**
   * Authorizes an action on the packages of one format in a repository, before the request says which package:
   * allowed when the action might be allowed on one of them, denied when it could be allowed on none (so a request
   * whose body names the package can be refused before the body is read).
   */
  public Access authorizeAnyPackage(String token, PermissionService.RequestOrigin origin, String domainOwner,
      String domainName, String repository, String format, String action) {
    String packages = CodeArtifactArns.packagesArn(catalog.region(), domainOwner, domainName, repository, format);
    String prefix = packages.substring(0, packages.length() - 1); // ...:package/DOMAIN/REPOSITORY/FORMAT/
    return authorize(token, domainOwner, domainName, repository, action, packages,
        (principal, resource, policies) -> permissions.authorizeAnyUnder(principal, origin, action, prefix,
            domainOwner, policies));
  }

  /** How one authorization decides, for the principal, the resource named in refusals and the repository's policies. */
  private interface Decider {
    Decision decide(dev.wharf.identity.Principal principal, String resource, List<AttachedPolicy> policies);
  }

  private Access authorize(String token, String domainOwner, String domainName, String repository, String action,
      String resource, Decider decider) {
    AuthorizationToken verified;
    try {
      verified = tokens.verifyFor(token, domainOwner, domainName);
    } catch (InvalidTokenException e) {
      return new Access.Unauthenticated(e.getMessage());
    }
    Optional<List<AttachedPolicy>> policies = catalog.repositoryPolicies(domainOwner, domainName, repository);
    Decision decision = decider.decide(verified.principal(), resource, policies.orElse(List.of()));
    if (!decision.allowed()) {
      return new Access.Denied(verified, "User: " + verified.principal().arn() + " is not authorized to perform: " + action
          + " on resource: " + resource);
    }
    if (policies.isEmpty()) {
      return new Access.NoSuchRepository(verified);
    }
    return new Access.Allowed(verified, decision);
  }
}
