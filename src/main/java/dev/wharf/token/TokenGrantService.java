package dev.wharf.token;

import dev.wharf.catalog.CatalogService;
import dev.wharf.catalog.CodeArtifactArns;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GetAuthorizationToken exactly as AWS documents it: duration rules, the two permissions it needs
 * ({@code codeartifact:GetAuthorizationToken} on the domain, with the domain policy across accounts,
 * and {@code sts:GetServiceBearerToken} for {@code codeartifact.amazonaws.com}).
 */
public final class TokenGrantService {
  public static final long DEFAULT_DURATION_SECONDS = 43200;
  public static final long MIN_DURATION_SECONDS = 900;
  public static final long MAX_DURATION_SECONDS = 43200;

  private final TokenService tokens;
  private final CatalogService catalog;
  private final PermissionService permissions;
  private final Clock clock;

  public TokenGrantService(TokenService tokens, CatalogService catalog, PermissionService permissions, Clock clock) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Issues a token for the caller on the domain.
   *
   * @param durationSeconds null for the default (12 hours); 0 only with role-session credentials
   */
  public IssuedToken getAuthorizationToken(Principal caller, PermissionService.RequestOrigin origin, String domainOwner,
      String domainName, Long durationSeconds) {
    CatalogService.requireDomainName(domainName);
    String owner = CatalogService.ownerOrCaller(domainOwner, caller.accountId());
    Instant now = clock.instant();
    Instant expires;
    long duration = durationSeconds == null ? DEFAULT_DURATION_SECONDS : durationSeconds;
    if (duration == 0) {
      Principal.Session session = caller.session();
      if (session == null) {
        throw new WharfException.Invalid("ValidationException", "A durationSeconds of 0 is only valid with temporary"
            + " credentials (an assumed role); the token then expires with the session");
      }
      expires = session.expiresAt();
    } else if (duration < MIN_DURATION_SECONDS || duration > MAX_DURATION_SECONDS) {
      throw new WharfException.Invalid("ValidationException", "1 validation error detected: Value '" + duration
          + "' at 'durationSeconds' failed to satisfy constraint: Member must be 0 or between " + MIN_DURATION_SECONDS
          + " and " + MAX_DURATION_SECONDS);
    } else {
      expires = now.plus(Duration.ofSeconds(duration));
    }

    String domainArn = CodeArtifactArns.domain(catalog.region(), owner, domainName);
    Optional<List<AttachedPolicy>> domainPolicies = catalog.domainPolicies(owner, domainName);
    Decision onDomain = permissions.authorize(caller, origin, "codeartifact:GetAuthorizationToken", domainArn, owner,
        domainPolicies.orElse(List.of()), catalog.resourceTagContext(domainArn));
    if (!onDomain.allowed()) {
      throw PermissionService.denied(caller, "codeartifact:GetAuthorizationToken", domainArn, onDomain);
    }
    Decision bearer = permissions.authorize(caller, origin, "sts:GetServiceBearerToken", "*", caller.accountId(), List.of(),
        Map.of("sts:AWSServiceName", List.of("codeartifact.amazonaws.com")));
    if (!bearer.allowed()) {
      throw PermissionService.denied(caller, "sts:GetServiceBearerToken", "*", bearer);
    }
    if (domainPolicies.isEmpty()) {
      throw new WharfException.NotFound("ResourceNotFoundException", "Domain " + domainName + " not found in account " + owner,
          "domain", domainName);
    }
    return tokens.issue(caller, owner, domainName, expires);
  }
}
