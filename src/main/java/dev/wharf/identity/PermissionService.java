package dev.wharf.identity;

import com.github.benmanes.caffeine.cache.Cache;
import dev.wharf.error.WharfException;
import dev.wharf.metrics.Metrics;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.AuthorizationRequest;
import dev.wharf.policy.CallerPrincipal;
import dev.wharf.policy.ConditionContext;
import dev.wharf.policy.Decision;
import dev.wharf.policy.Outcome;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyEvaluator;
import dev.wharf.policy.PolicyKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what: builds the request context AWS policies see (principal, time, source IP,
 * token issue time) and evaluates the principal's identity policies with any resource policy.
 * Identity policies are cached per principal; any IAM change clears the cache, so a new Deny
 * applies to the very next request. It lives in identity because it joins identity's principals
 * and stored policies with the policy language, which knows no feature package.
 */
public final class PermissionService {

  private final IdentityStore store;
  private final Clock clock;
  private final PolicyEvaluator evaluator = new PolicyEvaluator();
  private final Cache<String, PrincipalPolicies> principals;
  private final Cache<SessionScope, List<AttachedPolicy>> sessionPolicies;

  /**
   * What a user or role brings to a decision, loaded once and cached.
   *
   * @param identity its inline and attached policies (and, for a user, those of its groups)
   * @param limits its permissions boundary as a one-element list of one policy set, or empty
   * @param tagContext its tags as {@code aws:PrincipalTag/KEY} condition keys
   */
  private record PrincipalPolicies(List<AttachedPolicy> identity, List<List<AttachedPolicy>> limits,
      Map<String, List<String>> tagContext) {
    static final PrincipalPolicies NONE = new PrincipalPolicies(List.of(), List.of(), Map.of());
  }

  /** Facts about the connection a request came in on. */
  public record RequestOrigin(String sourceIp, boolean secureTransport) {
    public static final RequestOrigin LOCAL = new RequestOrigin("127.0.0.1", false);
  }

  private final Metrics metrics;

  public PermissionService(IdentityStore store, Clock clock, Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.principals = IdentityCaches.newCache();
    this.sessionPolicies = IdentityCaches.newCache();
  }

  /** Its caches by metric name, for hit rates (built with {@code recordStats}). */
  public Map<String, Cache<?, ?>> caches() {
    return Map.of("permissions.principals", principals, "permissions.session-policies", sessionPolicies);
  }

  /** Drops cached identity policies, boundaries, tags and session policies (called on any IAM change). */
  public void invalidate() {
    principals.invalidateAll();
    sessionPolicies.invalidateAll();
  }

  /** The policy-language view of a principal. */
  public static CallerPrincipal callerPrincipal(Principal principal) {
    return switch (principal) {
      case Principal.Root root -> new CallerPrincipal(root.accountId(), root.arn(), true, Set.of(root.arn()));
      case Principal.User user -> new CallerPrincipal(user.accountId(), user.arn(), false, Set.of(user.arn()));
      case Principal.AssumedRole session -> new CallerPrincipal(session.accountId(), session.arn(), false,
          Set.of(session.arn(), session.roleArn()));
      case Principal.FederatedUser federated -> new CallerPrincipal(federated.accountId(), federated.arn(), false,
          Set.of(federated.arn()));
    };
  }

  /** The keys of every request, whoever makes it: time and connection. */
  private static ConditionContext.Builder requestKeys(RequestOrigin origin, Instant now) {
    return ConditionContext.builder()
        .put("aws:CurrentTime", currentTime(now))
        .put("aws:EpochTime", Long.toString(now.getEpochSecond()))
        .put("aws:SourceIp", origin.sourceIp())
        .put("aws:SecureTransport", Boolean.toString(origin.secureTransport()));
  }

  /** aws:CurrentTime as last formatted: every request of the same second has the same value. */
  private static volatile FormattedSecond lastSecond = new FormattedSecond(Long.MIN_VALUE, "");

  private record FormattedSecond(long epochSecond, String iso) {}

  /** aws:CurrentTime of {@code now}, formatted once per second rather than once per request. */
  private static String currentTime(Instant now) {
    FormattedSecond last = lastSecond;
    if (last.epochSecond() != now.getEpochSecond()) {
      last = new FormattedSecond(now.getEpochSecond(),
          DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
      lastSecond = last;
    }
    return last.iso();
  }

  /** The global condition keys of a request by this principal. */
  public ConditionContext.Builder context(Principal principal, RequestOrigin origin, Instant now) {
    return principalKeys(principal, policiesOf(principal), requestKeys(origin, now));
  }

  /** The condition keys that describe the principal itself, with no request or connection keys. */
  public ConditionContext.Builder principalContext(Principal principal) {
    return principalKeys(principal, policiesOf(principal), ConditionContext.builder());
  }

  /** The principal's keys: who it is, its tags (a session's tags override its role's), its session. */
  private static ConditionContext.Builder principalKeys(Principal principal, PrincipalPolicies policies,
      ConditionContext.Builder context) {
    policies.tagContext().forEach(context::put);
    context.put("aws:PrincipalAccount", principal.accountId())
        .put("aws:PrincipalType", principal.principalType())
        .put("aws:userid", principal.userId());
    switch (principal) {
      case Principal.Root root -> context.put("aws:PrincipalArn", root.arn());
      case Principal.User user -> context.put("aws:PrincipalArn", user.arn()).put("aws:username", user.userName());
      case Principal.AssumedRole session -> context.put("aws:PrincipalArn", session.roleArn());
      case Principal.FederatedUser federated -> context.put("aws:PrincipalArn", federated.arn());
    }
    Principal.Session session = principal.session();
    if (session != null) {
      context.put("aws:TokenIssueTime",
          DateTimeFormatter.ISO_INSTANT.format(session.issuedAt().truncatedTo(ChronoUnit.SECONDS)));
      session.scope().tags().forEach((key, value) -> context.put("aws:PrincipalTag/" + key, value));
      if (session.scope().sourceIdentity() != null) {
        context.put("aws:SourceIdentity", session.scope().sourceIdentity());
      }
    }
    return context;
  }

  /**
   * Decides whether the principal may perform the action on the resource.
   *
   * @param resourceAccountId the account that owns the resource (cross-account needs both sides)
   * @param resourcePolicies the resource's own policies (domain, repository, role trust), may be empty
   * @param extraContext service-specific condition keys, e.g. sts:DurationSeconds
   */
  public Decision authorize(Principal principal, RequestOrigin origin, String action, String resource,
      String resourceAccountId, List<AttachedPolicy> resourcePolicies, Map<String, List<String>> extraContext) {
    return authorize(principal, origin, action, resource, false, resourceAccountId, resourcePolicies, extraContext);
  }

  /**
   * Decides whether the principal might perform the action on some resource whose ARN starts with
   * {@code resourcePrefix} (an Allow that may take one in, and no Deny that takes them all): a refusal means none
   * could be allowed, so a request whose body alone names the resource can be refused before it is read.
   */
  public Decision authorizeAnyUnder(Principal principal, RequestOrigin origin, String action, String resourcePrefix,
      String resourceAccountId, List<AttachedPolicy> resourcePolicies) {
    return authorize(principal, origin, action, resourcePrefix, true, resourceAccountId, resourcePolicies, Map.of());
  }

  private Decision authorize(Principal principal, RequestOrigin origin, String action, String resource,
      boolean resourceIsPrefix, String resourceAccountId, List<AttachedPolicy> resourcePolicies,
      Map<String, List<String>> extraContext) {
    PrincipalPolicies policies = policiesOf(principal); // one cache lookup per decision
    ConditionContext.Builder context = principalKeys(principal, policies, requestKeys(origin, clock.instant()));
    extraContext.forEach(context::put);
    AuthorizationRequest request = new AuthorizationRequest(action, resource, callerPrincipal(principal),
        context.build(), resourceIsPrefix);
    return counted(evaluator.evaluate(request, policies.identity(), limitsOf(principal, policies), resourcePolicies,
        resourceAccountId));
  }

  /**
   * Decides whether a web identity of an OIDC provider may assume a role: the role's trust policy
   * alone decides (a web identity has no identity policies), with the global keys a federated caller
   * has and the provider's claims as {@code extraContext}.
   */
  public Decision authorizeWebIdentity(String providerArn, String accountId, RequestOrigin origin, String roleArn,
      List<AttachedPolicy> trustPolicy, Map<String, List<String>> extraContext) {
    ConditionContext.Builder context = requestKeys(origin, clock.instant())
        .put("aws:PrincipalType", "WebIdentityUser")
        .put("aws:FederatedProvider", providerArn);
    extraContext.forEach(context::put);
    AuthorizationRequest request = new AuthorizationRequest("sts:AssumeRoleWithWebIdentity", roleArn,
        CallerPrincipal.federated(accountId, providerArn), context.build());
    return counted(evaluator.evaluate(request, List.of(), trustPolicy, accountId));
  }

  private Decision counted(Decision decision) {
    metrics.policyDecision(decision.outcome());
    return decision;
  }

  /**
   * The identity policies that apply to a principal: its inline and attached ones, and for a user
   * also those of each of its groups (IAM evaluates them all as the user's identity policies).
   */
  public List<AttachedPolicy> identityPoliciesOf(Principal principal) {
    return policiesOf(principal).identity();
  }

  private PrincipalPolicies policiesOf(Principal principal) {
    return switch (principal) {
      case Principal.Root root -> PrincipalPolicies.NONE;
      case Principal.User user -> principals.get("user/" + user.accountId() + "/" + user.userId(),
          key -> loadPrincipal(user.accountId(), PrincipalType.USER, user.userName()));
      case Principal.AssumedRole session -> principals.get("role/" + session.accountId() + "/" + session.roleId(),
          key -> loadPrincipal(session.accountId(), PrincipalType.ROLE, session.roleName()));
      // A federated user acts with its IAM user's policies and boundary; its tags are its session's alone.
      case Principal.FederatedUser federated -> {
        PrincipalPolicies user = policiesOf(federated.user());
        yield new PrincipalPolicies(user.identity(), user.limits(), Map.of());
      }
    };
  }

  private PrincipalPolicies loadPrincipal(String accountId, PrincipalType type, String name) {
    String boundaryArn = switch (type) {
      case USER -> store.findUser(accountId, name).map(IamUser::permissionsBoundary).orElse(null);
      case ROLE -> store.findRole(accountId, name).map(Role::permissionsBoundary).orElse(null);
      case GROUP -> throw new IllegalArgumentException("a group is not a principal");
    };
    List<List<AttachedPolicy>> limits = List.of();
    if (boundaryArn != null) {
      // A boundary whose policy is gone (it cannot be deleted while in use) allows nothing: fail closed.
      limits = List.of(store.findManagedPolicy(boundaryArn)
          .map(p -> List.of(new AttachedPolicy(p.arn(), PolicyDocument.parseStored(p.document(), PolicyKind.IDENTITY))))
          .orElse(List.of()));
    }
    Map<String, List<String>> tags = new HashMap<>();
    for (Tag tag : store.listTags(accountId, TaggedEntity.of(type), name)) {
      tags.put("aws:PrincipalTag/" + tag.key(), List.of(tag.value()));
    }
    List<AttachedPolicy> identity = new ArrayList<>(load(accountId, type, name));
    if (type == PrincipalType.USER) {
      for (IamGroup group : store.listGroupsForUser(accountId, name)) {
        identity.addAll(load(accountId, PrincipalType.GROUP, group.groupName()));
      }
      store.findUser(accountId, name).ifPresent(user -> passwordChangeGrant(user).ifPresent(identity::add));
    }
    return new PrincipalPolicies(List.copyOf(identity), limits, Map.copyOf(tags));
  }

  /** The name under which decisions report the grant of the account's AllowUsersToChangePassword. */
  private static final String PASSWORD_POLICY_GRANT = "account/password-policy/AllowUsersToChangePassword";

  /**
   * AllowUsersToChangePassword, as IAM applies it at the account level rather than through a policy of the user's:
   * while the account's password policy has it, every IAM user may call iam:ChangePassword on itself and
   * iam:GetAccountPasswordPolicy. It counts as one of the user's identity policies, so an explicit Deny or a
   * permissions boundary still limits it.
   */
  private Optional<AttachedPolicy> passwordChangeGrant(IamUser user) {
    return store.findPasswordPolicy(user.accountId()).filter(PasswordPolicy::allowUsersToChangePassword)
        .map(policy -> new AttachedPolicy(PASSWORD_POLICY_GRANT, PolicyDocument.parseStored(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:ChangePassword\","
                + "\"Resource\":\"" + literalJson(user.arn()) + "\"},{\"Effect\":\"Allow\","
                + "\"Action\":\"iam:GetAccountPasswordPolicy\",\"Resource\":\"*\"}]}", PolicyKind.IDENTITY)));
  }

  /**
   * The policy sets that bound what the principal's identity policies grant: its permissions boundary, and a
   * session's policies, where it was given some. A federated user is always bounded by its session policies: given none, its identity
   * policies grant nothing, as in AWS.
   */
  public List<List<AttachedPolicy>> limitsOf(Principal principal) {
    return limitsOf(principal, policiesOf(principal));
  }

  private List<List<AttachedPolicy>> limitsOf(Principal principal, PrincipalPolicies policies) {
    List<List<AttachedPolicy>> boundary = policies.limits();
    Principal.Session session = principal.session();
    if (session == null
        || !(session.scope().hasSessionPolicies() || principal instanceof Principal.FederatedUser)) {
      return boundary;
    }
    List<List<AttachedPolicy>> limits = new ArrayList<>(boundary);
    limits.add(sessionPolicies.get(session.scope(), this::loadSessionPolicies));
    return limits;
  }

  private List<AttachedPolicy> loadSessionPolicies(SessionScope scope) {
    List<AttachedPolicy> policies = new ArrayList<>();
    if (scope.policy() != null) {
      policies.add(new AttachedPolicy("session-policy", PolicyDocument.parseStored(scope.policy(), PolicyKind.IDENTITY)));
    }
    for (String arn : scope.policyArns()) {
      // A managed session policy deleted since the session began allows nothing.
      store.findManagedPolicy(arn).ifPresent(managed -> policies.add(
          new AttachedPolicy(managed.arn(), PolicyDocument.parseStored(managed.document(), PolicyKind.IDENTITY))));
    }
    return List.copyOf(policies);
  }

  private List<AttachedPolicy> load(String accountId, PrincipalType type, String name) {
    List<AttachedPolicy> policies = new ArrayList<>();
    for (IdentityStore.InlinePolicy inline : store.listInlinePolicies(accountId, type, name)) {
      policies.add(new AttachedPolicy(type.column() + "/" + name + "/inline/" + inline.policyName(),
          PolicyDocument.parseStored(inline.document(), PolicyKind.IDENTITY)));
    }
    for (ManagedPolicy managed : store.listAttachedPolicies(accountId, type, name)) {
      policies.add(new AttachedPolicy(managed.arn(), PolicyDocument.parseStored(managed.document(), PolicyKind.IDENTITY)));
    }
    return List.copyOf(policies);
  }

  /**
   * An ARN as a policy's JSON string that matches only itself: a path may hold the wildcards {@code *} and {@code ?}
   * or a {@code $}, which the policy language's escapes make literal, and JSON's special characters.
   */
  private static String literalJson(String arn) {
    StringBuilder out = new StringBuilder();
    for (char c : arn.toCharArray()) {
      switch (c) {
        case '*', '?', '$' -> out.append("${").append(c).append('}');
        case '"', '\\' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** AWS's wording of an authorization failure, for every protocol. */
  public static WharfException.AccessDenied denied(Principal principal, String action, String resource,
      Decision decision) {
    String because = decision.outcome() == Outcome.EXPLICIT_DENY
        ? " with an explicit deny"
        : " because no identity-based or resource-based policy allows the " + action + " action";
    return new WharfException.AccessDenied("User: " + principal.arn() + " is not authorized to perform: "
        + action + " on resource: " + resource + because);
  }
}
