package dev.wharf.policy;

import java.util.Objects;

/**
 * One question for the {@link PolicyEvaluator}: may {@code principal} perform {@code action} on {@code resource}?
 *
 * @param action the IAM action, e.g. {@code codeartifact:ReadFromRepository}
 * @param resource the ARN of the resource acted on
 * @param principal the caller
 * @param context the request's condition keys; {@code null} means none
 */
public record AuthorizationRequest(String action, String resource, CallerPrincipal principal, ConditionContext context) {

    public AuthorizationRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(principal, "principal");
        context = context == null ? ConditionContext.empty() : context;
    }
}
