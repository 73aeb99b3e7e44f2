package dev.wharf.policy;

/**
 * Where a policy document is attached, which decides the elements it may contain.
 *
 * <ul>
 *   <li>{@link #IDENTITY}: attached to a user or role; no {@code Principal}, {@code Resource} required.
 *   <li>{@link #RESOURCE}: attached to a resource (a domain, a repository); {@code Principal} or
 *       {@code NotPrincipal} required, and {@code Resource} or {@code NotResource}.
 *   <li>{@link #TRUST}: a role's trust policy; {@code Principal} or {@code NotPrincipal} required, no
 *       {@code Resource}/{@code NotResource}, and every action must be an {@code sts:} action.
 * </ul>
 */
public enum PolicyKind {
    IDENTITY,
    RESOURCE,
    TRUST
}
