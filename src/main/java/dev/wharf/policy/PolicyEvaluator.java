package dev.wharf.policy;

import java.util.List;
import java.util.Objects;

/**
 * Decides requests the way AWS IAM does, from the caller's identity policies and the resource's policies.
 *
 * <ol>
 *   <li>An applicable {@code Deny} in any identity or resource policy wins: {@link Outcome#EXPLICIT_DENY}.
 *   <li>The root user acting in its own account is allowed everything else (identity policies do not govern it).
 *   <li>Within one account, an identity policy {@code Allow} suffices, and so does a resource policy {@code Allow}
 *       whose principal names the caller itself (or {@code *}); naming only the account does not.
 *   <li>Across accounts, both are needed: an identity policy {@code Allow} (the root user counts as having one) and
 *       a resource policy {@code Allow} whose principal names the caller, {@code *}, or the caller's account.
 *   <li>Otherwise {@link Outcome#IMPLICIT_DENY}.
 * </ol>
 *
 * <p>A trust policy is evaluated as a resource policy, for the action {@code sts:AssumeRole} on the role's ARN, with
 * one difference AWS makes: the trust policy is always required, in the same account too. An identity {@code Allow}
 * alone never lets a caller assume a role whose trust policy does not name it, its account or {@code *}; a trust
 * policy naming the caller itself needs no identity {@code Allow} in the same account.
 * Stateless and thread-safe; an evaluation builds no patterns and allocates little.
 */
public final class PolicyEvaluator {

    /**
     * Evaluates one request without limiting policies: {@code evaluate(request, identityPolicies, List.of(),
     * resourcePolicies, resourceAccountId)}.
     *
     * @param request the action, resource, caller and condition context
     * @param identityPolicies the policies attached to the caller (ignored for the root user)
     * @param resourcePolicies the policies attached to the resource, or the role's trust policy
     * @param resourceAccountId the account that owns the resource
     * @return the outcome, naming the deciding policy and statement: the first applicable {@code Deny} for an
     *     explicit deny; for an allow, the identity policy statement that allowed it, or the resource policy
     *     statement when no identity statement was needed (a same-account grant naming the caller, or a root
     *     caller across accounts); nothing for a root caller in its own account or an implicit deny
     */
    public Decision evaluate(
            AuthorizationRequest request,
            List<AttachedPolicy> identityPolicies,
            List<AttachedPolicy> resourcePolicies,
            String resourceAccountId) {
        return evaluate(request, identityPolicies, List.of(), resourcePolicies, resourceAccountId);
    }

    /**
     * Evaluates one request with limiting policies, such as a permissions boundary or (later) an STS session
     * policy. Each element of {@code limits} is one set of policies that must itself allow the request for an
     * identity-based grant to count; a {@code Deny} applying in any set denies the request outright. A
     * resource-policy grant naming the caller's own ARN (the user, or the role session itself) within its account
     * is not limited, as in AWS; a grant naming the role, {@code *} or only the account is. Limits do not apply to
     * the root user. An empty {@code limits} list limits nothing; an empty set inside it allows nothing.
     *
     * @param request the action, resource, caller and condition context
     * @param identityPolicies the policies attached to the caller (ignored for the root user)
     * @param limits the limiting policy sets of the caller, each of which must allow (ignored for the root user)
     * @param resourcePolicies the policies attached to the resource, or the role's trust policy
     * @param resourceAccountId the account that owns the resource
     * @return as {@link #evaluate(AuthorizationRequest, List, List, String)}; an explicit deny may name a
     *     limiting policy
     */
    public Decision evaluate(
            AuthorizationRequest request,
            List<AttachedPolicy> identityPolicies,
            List<List<AttachedPolicy>> limits,
            List<AttachedPolicy> resourcePolicies,
            String resourceAccountId) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(identityPolicies, "identityPolicies");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(resourcePolicies, "resourcePolicies");
        Objects.requireNonNull(resourceAccountId, "resourceAccountId");
        CallerPrincipal caller = request.principal();
        String action = request.action();
        String resource = request.resource();
        RequestScope scope = new RequestScope(request);

        Decision identity = Decision.IMPLICIT_DENY;
        boolean limited = false;
        boolean limitsAllow = true;
        if (!caller.root()) {
            identity = decide(identityPolicies, caller, action, resource, scope);
            if (identity.outcome() == Outcome.EXPLICIT_DENY) {
                return identity;
            }
            for (int l = 0, sets = limits.size(); l < sets; l++) {
                limited = true;
                Decision limit = decide(limits.get(l), caller, action, resource, scope);
                if (limit.outcome() == Outcome.EXPLICIT_DENY) {
                    return limit;
                }
                limitsAllow &= limit.allowed();
            }
        }

        AttachedPolicy specificAllowPolicy = null;
        Statement specificAllow = null;
        AttachedPolicy selfAllowPolicy = null;
        Statement selfAllow = null;
        AttachedPolicy accountAllowPolicy = null;
        Statement accountAllow = null;
        for (int p = 0, policies = resourcePolicies.size(); p < policies; p++) {
            AttachedPolicy policy = resourcePolicies.get(p);
            List<Statement> statements = policy.document().statements();
            for (int s = 0, count = statements.size(); s < count; s++) {
                Statement statement = statements.get(s);
                boolean deny = statement.effect() == Statement.Effect.DENY;
                // Under limits, a grant naming the caller itself still matters after one naming its role.
                if (!deny && specificAllow != null && (!limited || selfAllow != null)) {
                    continue;
                }
                // A statement without a principal (an identity policy passed here by mistake) grants nothing.
                PrincipalMatcher.Match match = statement.principalMatch(caller);
                if (match == PrincipalMatcher.Match.NONE) {
                    continue;
                }
                if (!deny && match != PrincipalMatcher.Match.SELF && (match == PrincipalMatcher.Match.ACCOUNT
                        ? accountAllow != null : specificAllow != null)) {
                    continue;
                }
                if (!statement.applies(action, resource, scope)) {
                    continue;
                }
                if (deny) {
                    return new Decision(Outcome.EXPLICIT_DENY, policy.name(), statement.sid());
                }
                if (match == PrincipalMatcher.Match.ACCOUNT) {
                    accountAllowPolicy = policy;
                    accountAllow = statement;
                    continue;
                }
                if (specificAllow == null) {
                    specificAllowPolicy = policy;
                    specificAllow = statement;
                }
                if (match == PrincipalMatcher.Match.SELF && selfAllow == null) {
                    selfAllowPolicy = policy;
                    selfAllow = statement;
                }
            }
        }

        // A grant limited by the caller's boundary (or session policy) counts only where every limit allows too.
        boolean identityAllowed = identity.allowed() && limitsAllow;
        boolean specificAllowed = specificAllow != null && limitsAllow;
        boolean sameAccount = resourceAccountId.equals(caller.accountId());
        boolean trustRequired = requiresTrustPolicy(action);
        if (sameAccount && !trustRequired) {
            if (caller.root()) {
                return Decision.ROOT_ALLOW;
            }
            if (identityAllowed) {
                return identity;
            }
            if (specificAllowed) {
                return new Decision(Outcome.ALLOW, specificAllowPolicy.name(), specificAllow.sid());
            }
            if (selfAllow != null) {
                return new Decision(Outcome.ALLOW, selfAllowPolicy.name(), selfAllow.sid());
            }
            return Decision.IMPLICIT_DENY;
        }
        AttachedPolicy resourceAllowPolicy = specificAllow != null ? specificAllowPolicy : accountAllowPolicy;
        Statement resourceAllow = specificAllow != null ? specificAllow : accountAllow;
        if (resourceAllow == null) {
            return Decision.IMPLICIT_DENY;
        }
        if (caller.root()) {
            return new Decision(Outcome.ALLOW, resourceAllowPolicy.name(), resourceAllow.sid());
        }
        if (identityAllowed) {
            return identity;
        }
        if (sameAccount && specificAllowed) {
            return new Decision(Outcome.ALLOW, specificAllowPolicy.name(), specificAllow.sid());
        }
        if (sameAccount && selfAllow != null) {
            return new Decision(Outcome.ALLOW, selfAllowPolicy.name(), selfAllow.sid());
        }
        return Decision.IMPLICIT_DENY;
    }

    /**
     * One set of identity-side policies (the caller's own, or one limit) on its own: the first applicable
     * {@code Deny}, else the first applicable {@code Allow}, else an implicit deny. It allocates only the
     * answer.
     */
    private static Decision decide(List<AttachedPolicy> policies, CallerPrincipal caller, String action,
            String resource, RequestScope scope) {
        AttachedPolicy allowPolicy = null;
        Statement allow = null;
        for (int p = 0, count = policies.size(); p < count; p++) {
            AttachedPolicy policy = policies.get(p);
            List<Statement> statements = policy.document().statements();
            for (int s = 0, statementCount = statements.size(); s < statementCount; s++) {
                Statement statement = statements.get(s);
                boolean deny = statement.effect() == Statement.Effect.DENY;
                if (!deny && allow != null) {
                    continue; // Already allowed; only a Deny can still change the answer.
                }
                if (statement.hasPrincipal() && statement.principalMatch(caller) == PrincipalMatcher.Match.NONE) {
                    continue;
                }
                if (!statement.applies(action, resource, scope)) {
                    continue;
                }
                if (deny) {
                    return new Decision(Outcome.EXPLICIT_DENY, policy.name(), statement.sid());
                }
                allowPolicy = policy;
                allow = statement;
            }
        }
        return allow == null ? Decision.IMPLICIT_DENY : new Decision(Outcome.ALLOW, allowPolicy.name(), allow.sid());
    }

    /** The actions a role's trust policy governs: without its grant, no identity policy can allow them. */
    private static boolean requiresTrustPolicy(String action) {
        return action.regionMatches(true, 0, "sts:AssumeRole", 0, "sts:AssumeRole".length())
                || action.equalsIgnoreCase("sts:TagSession")
                || action.equalsIgnoreCase("sts:SetSourceIdentity");
    }
}
