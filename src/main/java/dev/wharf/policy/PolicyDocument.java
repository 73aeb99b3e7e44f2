package dev.wharf.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed and validated IAM policy.
 *
 * @param version {@code 2012-10-17} or {@code 2008-10-17} (the latter also when the document omits it, in which
 *     case policy variables are not substituted)
 * @param id the optional {@code Id}, or null
 * @param statements the compiled statements, in document order
 */
public record PolicyDocument(String version, String id, List<Statement> statements) {

    /** The version that enables policy variables. */
    public static final String VERSION_2012_10_17 = "2012-10-17";

    /** The older version, also assumed when a document has no {@code Version}. */
    public static final String VERSION_2008_10_17 = "2008-10-17";

    public PolicyDocument {
        Objects.requireNonNull(version, "version");
        statements = List.copyOf(statements);
    }

    /**
     * Parses and validates a policy document of the given kind.
     *
     * @throws MalformedPolicyException if the text is not JSON or breaks the policy grammar; the message says what
     *     is wrong and, for a statement, which one (counted from 1)
     */
    public static PolicyDocument parse(String json, PolicyKind kind) throws MalformedPolicyException {
        return PolicyParser.parse(json, kind);
    }

    /** Parses a policy that was validated when it was stored. */
    public static PolicyDocument parseStored(String json, PolicyKind kind) {
        try {
            return parse(json, kind);
        } catch (MalformedPolicyException e) {
            throw new IllegalStateException("a stored policy no longer parses: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a policy about to be stored: besides {@link #parse}, refuses what AWS refuses but older stored
     * policies may hold (they keep parsing): {@code NotPrincipal} with {@code Allow}, and {@code NotPrincipal} in a
     * role's trust policy.
     */
    public static PolicyDocument parseNew(String json, PolicyKind kind) throws MalformedPolicyException {
        PolicyDocument document = parse(json, kind);
        for (Statement statement : document.statements()) {
            if (statement.notPrincipal() && kind == PolicyKind.TRUST) {
                throw new MalformedPolicyException("NotPrincipal is not allowed in a trust policy (statement "
                        + statement.index() + ")");
            }
            if (statement.notPrincipal() && statement.effect() == Statement.Effect.ALLOW) {
                throw new MalformedPolicyException("NotPrincipal can only be used with \"Effect\": \"Deny\" (statement "
                        + statement.index() + ")");
            }
        }
        return document;
    }
}
