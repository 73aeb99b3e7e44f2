package dev.wharf.policy;

import java.util.Objects;

/**
 * The answer of the {@link PolicyEvaluator}, with the statement that decided it for audit.
 *
 * @param outcome allow, explicit deny or implicit deny
 * @param policyName the name of the deciding policy; {@code null} for an implicit deny or a root caller's allow
 * @param statementSid the {@code Sid} of the deciding statement; {@code null} when it has none or as above
 */
public record Decision(Outcome outcome, String policyName, String statementSid) {

    static final Decision IMPLICIT_DENY = new Decision(Outcome.IMPLICIT_DENY, null, null);
    static final Decision ROOT_ALLOW = new Decision(Outcome.ALLOW, null, null);

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether the request may proceed. */
    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }
}
