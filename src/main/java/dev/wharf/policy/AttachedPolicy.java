package dev.wharf.policy;

import java.util.Objects;

/**
 * A parsed policy together with the name under which decisions report it.
 *
 * @param name for audit, e.g. {@code arn:aws:iam::123456789012:policy/P} or {@code user/alice/inline/P}
 * @param document the parsed policy
 */
public record AttachedPolicy(String name, PolicyDocument document) {

    public AttachedPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(document, "document");
    }
}
