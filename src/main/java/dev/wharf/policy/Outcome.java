package dev.wharf.policy;

/** The result of a policy evaluation. */
public enum Outcome {
    /** An applicable statement allows the request (and nothing denies it). */
    ALLOW,
    /** An applicable {@code Deny} statement refuses the request; nothing can override it. */
    EXPLICIT_DENY,
    /** No statement allows the request (or a cross-account request lacks one of the two required allows). */
    IMPLICIT_DENY
}
