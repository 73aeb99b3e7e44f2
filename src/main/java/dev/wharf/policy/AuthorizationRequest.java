package dev.wharf.policy;

import java.util.Objects;

/**
 * One question for the {@link PolicyEvaluator}: may {@code principal} perform {@code action} on {@code resource}?
 * Or, when {@code resourceIsPrefix}, might it on some resource whose ARN starts with {@code resource} and goes at
 * most two path segments further (at most {@value #PREFIX_SLASHES} {@code /} after the prefix, as a package's
 * namespace and name follow its format): an Allow counts if it may take in one such resource, a Deny only if it
 * takes in all of them, so a refusal means that no resource under the prefix could be allowed (what lets a request
 * be refused before its body names the resource).
 *
 * @param action the IAM action, e.g. {@code codeartifact:ReadFromRepository}
 * @param resource the ARN of the resource acted on, or the prefix of the ARNs asked about
 * @param principal the caller
 * @param context the request's condition keys; {@code null} means none
 * @param resourceIsPrefix whether {@code resource} is a prefix of the ARNs asked about
 */
public record AuthorizationRequest(String action, String resource, CallerPrincipal principal, ConditionContext context,
        boolean resourceIsPrefix) {

    /** How many {@code /} the resources asked about by a prefix question hold after the prefix, at most. */
    public static final int PREFIX_SLASHES = 1;

    public AuthorizationRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(principal, "principal");
        context = context == null ? ConditionContext.empty() : context;
    }

    /** A question about one resource. */
    public AuthorizationRequest(String action, String resource, CallerPrincipal principal, ConditionContext context) {
        this(action, resource, principal, context, false);
    }
}
