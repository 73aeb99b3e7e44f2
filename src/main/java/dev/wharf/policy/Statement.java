package dev.wharf.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a {@link PolicyDocument}, compiled at parse time: its action and resource patterns, principal
 * and conditions are ready to match without building anything per request.
 */
public final class Statement {

    /** Whether a statement grants or refuses what it matches. */
    public enum Effect {
        ALLOW,
        DENY
    }

    private final int index;
    private final String sid;
    private final Effect effect;
    private final PrincipalMatcher principal;
    private final boolean notPrincipal;
    private final PolicyPattern[] actions;
    private final boolean notAction;
    private final PolicyPattern[] resources;
    private final boolean notResource;
    private final boolean anyResource;
    private final Condition[] conditions;

    Statement(
            int index,
            String sid,
            Effect effect,
            PrincipalMatcher principal,
            boolean notPrincipal,
            List<PolicyPattern> actions,
            boolean notAction,
            List<PolicyPattern> resources,
            boolean notResource,
            List<Condition> conditions) {
        this.index = index;
        this.sid = sid;
        this.effect = effect;
        this.principal = principal;
        this.notPrincipal = notPrincipal;
        this.actions = actions.toArray(PolicyPattern[]::new);
        this.notAction = notAction;
        this.resources = resources == null ? null : resources.toArray(PolicyPattern[]::new);
        this.notResource = notResource;
        this.anyResource = resources == null
                || (!notResource && resources.stream().anyMatch(PolicyPattern::isMatchAll));
        this.conditions = conditions.toArray(Condition[]::new);
    }

    /** The position of this statement in its document, from 1. */
    public int index() {
        return index;
    }

    /** The statement's {@code Sid}, or null if it has none. */
    public String sid() {
        return sid;
    }

    public Effect effect() {
        return effect;
    }

    /** Whether the statement has a {@code Principal} or {@code NotPrincipal} element. */
    public boolean hasPrincipal() {
        return principal != null;
    }

    /** Whether its principal element is {@code NotPrincipal}. */
    public boolean notPrincipal() {
        return notPrincipal;
    }

    /** The action patterns as written (of {@code NotAction} if {@link #notAction()}). */
    public List<String> actions() {
        return sources(actions);
    }

    public boolean notAction() {
        return notAction;
    }

    /** The resource patterns as written (of {@code NotResource} if {@link #notResource()}); empty for a trust policy. */
    public List<String> resources() {
        return resources == null ? List.of() : sources(resources);
    }

    public boolean notResource() {
        return notResource;
    }

    private static List<String> sources(PolicyPattern[] patterns) {
        List<String> sources = new ArrayList<>(patterns.length);
        for (PolicyPattern pattern : patterns) {
            sources.add(pattern.source());
        }
        return List.copyOf(sources);
    }

    /**
     * How this statement's principal element names the caller; {@code NONE} when the statement has none.
     * {@code NotPrincipal} is AWS's "Deny everyone except": it spares only callers it names themselves
     * (their ARN, their role's ARN, or the root user by its account). Naming an account does not spare that
     * account's IAM users and role sessions, which AWS checks one by one. AWS does not support
     * {@code NotPrincipal} with {@code Allow}; such a statement grants nothing here rather than everything
     * to everyone it does not name.
     */
    PrincipalMatcher.Match principalMatch(CallerPrincipal caller) {
        if (principal == null) {
            return PrincipalMatcher.Match.NONE;
        }
        PrincipalMatcher.Match match = principal.match(caller);
        if (notPrincipal) {
            if (effect != Effect.DENY) {
                return PrincipalMatcher.Match.NONE;
            }
            return match == PrincipalMatcher.Match.SPECIFIC || match == PrincipalMatcher.Match.SELF
                    ? PrincipalMatcher.Match.NONE
                    : PrincipalMatcher.Match.SPECIFIC;
        }
        return match;
    }

    /** Whether the action, resource and conditions of this statement all match the request. */
    boolean applies(String action, String resource, RequestScope scope) {
        return matchesAction(action) && matchesResource(resource, scope) && conditionsHold(scope);
    }

    /** The condition keys this statement reads, for a request its action and resource match (else none). */
    void conditionKeysFor(String action, String resource, RequestScope scope, java.util.Collection<String> keys) {
        if (matchesAction(action) && matchesResource(resource, scope)) {
            for (Condition condition : conditions) {
                keys.add(condition.key());
            }
        }
    }

    private boolean matchesAction(String action) {
        return PolicyPattern.anyMatches(actions, action, true, null) != notAction;
    }

    private boolean matchesResource(String resource, RequestScope scope) {
        if (anyResource) {
            return true;
        }
        if (scope.resourceIsPrefix()) {
            return effect == Effect.ALLOW ? mayMatchUnder(resource, scope) : matchesAllUnder(resource, scope);
        }
        return PolicyPattern.anyMatches(resources, resource, false, scope) != notResource;
    }

    /**
     * For a question about any resource under {@code prefix}: whether this statement's resources may take in one of
     * them. Generous where unsure (NotResource patterns that together, not one by one, cover every resource), so
     * that an Allow is never missed.
     */
    private boolean mayMatchUnder(String prefix, RequestScope scope) {
        for (PolicyPattern pattern : resources) {
            if (notResource ? pattern.coversAllUnder(prefix, false, scope)
                    : pattern.couldMatchUnder(prefix, AuthorizationRequest.PREFIX_SLASHES, false, scope)) {
                return !notResource;
            }
        }
        return notResource;
    }

    /**
     * For a question about any resource under {@code prefix}: whether this statement's resources take in every one
     * of them. Strict where unsure (Resource patterns that together, not one by one, cover every resource), so that
     * a Deny is counted only when it leaves nothing.
     */
    private boolean matchesAllUnder(String prefix, RequestScope scope) {
        for (PolicyPattern pattern : resources) {
            if (notResource ? pattern.couldMatchUnder(prefix, AuthorizationRequest.PREFIX_SLASHES, false, scope)
                    : pattern.coversAllUnder(prefix, false, scope)) {
                return !notResource;
            }
        }
        return notResource;
    }

    private boolean conditionsHold(RequestScope scope) {
        for (Condition condition : conditions) {
            if (!condition.holds(scope)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Statement " + index + (sid == null ? "" : " (" + sid + ")") + ": " + effect + " "
                + (notAction ? "NotAction " : "") + actions() + (resources == null ? "" : " on "
                + (notResource ? "NotResource " : "") + resources());
    }
}
