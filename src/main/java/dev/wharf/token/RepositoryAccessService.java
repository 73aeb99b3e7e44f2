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
    AuthorizationToken verified;
    try {
      verified = tokens.verifyFor(token, domainOwner, domainName);
    } catch (InvalidTokenException e) {
      return new Access.Unauthenticated(e.getMessage());
    }
    Optional<List<AttachedPolicy>> policies = catalog.repositoryPolicies(domainOwner, domainName, repository);
    String resource = packageArn != null ? packageArn
        : CodeArtifactArns.repository(catalog.region(), domainOwner, domainName, repository);
    // A repository's tags are its aws:ResourceTag keys; a package has none of its own.
    Decision decision = permissions.authorize(verified.principal(), origin, action, resource, domainOwner,
        policies.orElse(List.of()), packageArn != null ? Map.of() : catalog.resourceTagContext(resource));
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
