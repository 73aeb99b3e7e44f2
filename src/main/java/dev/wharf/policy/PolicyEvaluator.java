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
     * Evaluates one request.
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
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(identityPolicies, "identityPolicies");
        Objects.requireNonNull(resourcePolicies, "resourcePolicies");
        Objects.requireNonNull(resourceAccountId, "resourceAccountId");
        CallerPrincipal caller = request.principal();
        String action = request.action();
        String resource = request.resource();
        RequestScope scope = new RequestScope(request);

        AttachedPolicy identityAllowPolicy = null;
        Statement identityAllow = null;
        if (!caller.root()) {
            for (int p = 0, policies = identityPolicies.size(); p < policies; p++) {
                AttachedPolicy policy = identityPolicies.get(p);
                List<Statement> statements = policy.document().statements();
                for (int s = 0, count = statements.size(); s < count; s++) {
                    Statement statement = statements.get(s);
                    boolean deny = statement.effect() == Statement.Effect.DENY;
                    if (!deny && identityAllow != null) {
                        continue; // Already allowed; only a Deny can still change the answer.
                    }
                    if (statement.hasPrincipal()
                            && statement.principalMatch(caller) == PrincipalMatcher.Match.NONE) {
                        continue;
                    }
                    if (!statement.applies(action, resource, scope)) {
                        continue;
                    }
                    if (deny) {
                        return new Decision(Outcome.EXPLICIT_DENY, policy.name(), statement.sid());
                    }
                    identityAllowPolicy = policy;
                    identityAllow = statement;
                }
            }
        }

        AttachedPolicy specificAllowPolicy = null;
        Statement specificAllow = null;
        AttachedPolicy accountAllowPolicy = null;
        Statement accountAllow = null;
        for (int p = 0, policies = resourcePolicies.size(); p < policies; p++) {
            AttachedPolicy policy = resourcePolicies.get(p);
            List<Statement> statements = policy.document().statements();
            for (int s = 0, count = statements.size(); s < count; s++) {
                Statement statement = statements.get(s);
                boolean deny = statement.effect() == Statement.Effect.DENY;
                if (!deny && specificAllow != null) {
                    continue;
                }
                // A statement without a principal (an identity policy passed here by mistake) grants nothing.
                PrincipalMatcher.Match match = statement.principalMatch(caller);
                if (match == PrincipalMatcher.Match.NONE) {
                    continue;
                }
                if (!deny && match == PrincipalMatcher.Match.ACCOUNT && accountAllow != null) {
                    continue;
                }
                if (!statement.applies(action, resource, scope)) {
                    continue;
                }
                if (deny) {
                    return new Decision(Outcome.EXPLICIT_DENY, policy.name(), statement.sid());
                }
                if (match == PrincipalMatcher.Match.SPECIFIC) {
                    specificAllowPolicy = policy;
                    specificAllow = statement;
                } else {
                    accountAllowPolicy = policy;
                    accountAllow = statement;
                }
            }
        }

        boolean sameAccount = resourceAccountId.equals(caller.accountId());
        boolean trustRequired = requiresTrustPolicy(action);
        if (sameAccount && !trustRequired) {
            if (caller.root()) {
                return Decision.ROOT_ALLOW;
            }
            if (identityAllow != null) {
                return new Decision(Outcome.ALLOW, identityAllowPolicy.name(), identityAllow.sid());
            }
            if (specificAllow != null) {
                return new Decision(Outcome.ALLOW, specificAllowPolicy.name(), specificAllow.sid());
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
        if (identityAllow != null) {
            return new Decision(Outcome.ALLOW, identityAllowPolicy.name(), identityAllow.sid());
        }
        if (sameAccount && specificAllow != null) {
            return new Decision(Outcome.ALLOW, specificAllowPolicy.name(), specificAllow.sid());
        }
        return Decision.IMPLICIT_DENY;
    }

    /** The actions a role's trust policy governs: without its grant, no identity policy can allow them. */
    private static boolean requiresTrustPolicy(String action) {
        return action.regionMatches(true, 0, "sts:AssumeRole", 0, "sts:AssumeRole".length())
                || action.equalsIgnoreCase("sts:TagSession")
                || action.equalsIgnoreCase("sts:SetSourceIdentity");
    }
}
