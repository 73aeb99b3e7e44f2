package dev.wharf.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The condition keys a request's policies read that its context does not hold, as IAM's policy simulator
 * reports them ({@code MissingContextValues}): only statements whose action and resource match the request
 * count, since only their conditions could change the answer.
 */
public final class MissingContextKeys {
    private MissingContextKeys() {}

    /** The missing keys, each once, in the order the policies name them. */
    public static List<String> of(AuthorizationRequest request, List<List<AttachedPolicy>> policySets) {
        RequestScope scope = new RequestScope(request);
        Set<String> keys = new LinkedHashSet<>();
        for (List<AttachedPolicy> policies : policySets) {
            for (AttachedPolicy policy : policies) {
                for (Statement statement : policy.document().statements()) {
                    statement.conditionKeysFor(request.action(), request.resource(), scope, keys);
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        return keys.stream()
                .filter(key -> seen.add(key.toLowerCase(Locale.ROOT)))
                .filter(key -> scope.values(key.toLowerCase(Locale.ROOT)).isEmpty())
                .toList();
    }
}
