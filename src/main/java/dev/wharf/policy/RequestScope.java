package dev.wharf.policy;

import java.util.List;

/**
 * The condition keys and policy variables of one evaluation: the request's context, plus the few keys that follow
 * from the caller itself ({@code aws:PrincipalAccount}, {@code aws:PrincipalArn}, {@code aws:username}) when the
 * context does not carry them.
 */
final class RequestScope implements PolicyPattern.VariableSource {

    private final AuthorizationRequest request;

    RequestScope(AuthorizationRequest request) {
        this.request = request;
    }

    /** Whether the request asks about any resource under its resource, a prefix ({@link AuthorizationRequest}). */
    boolean resourceIsPrefix() {
        return request.resourceIsPrefix();
    }

    /** The values of a lower-cased condition key; empty if absent. */
    List<String> values(String lowerCaseKey) {
        List<String> values = request.context().valuesOfLowerCaseKey(lowerCaseKey);
        return values.isEmpty() ? derived(lowerCaseKey) : values;
    }

    @Override
    public String variable(String lowerCaseKey) {
        List<String> values = values(lowerCaseKey);
        // A multivalued key cannot stand for a single string.
        return values.size() == 1 ? values.get(0) : null;
    }

    private List<String> derived(String lowerCaseKey) {
        CallerPrincipal caller = request.principal();
        return switch (lowerCaseKey) {
            case "aws:principalaccount" -> List.of(caller.accountId());
            case "aws:principalarn" -> List.of(principalArn(caller));
            case "aws:username" -> {
                String name = userName(caller.arn());
                yield name == null ? List.of() : List.of(name);
            }
            default -> List.of();
        };
    }

    /** For a role session AWS reports the role's ARN, not the session's. */
    private static String principalArn(CallerPrincipal caller) {
        if (caller.arn().contains(":assumed-role/")) {
            for (String arn : caller.matchingArns()) {
                if (arn.contains(":role/")) {
                    return arn;
                }
            }
        }
        return caller.arn();
    }

    /** The user name of an IAM user ARN ({@code arn:aws:iam::ACCT:user/PATH/NAME}), otherwise null. */
    private static String userName(String arn) {
        int user = arn.indexOf(":user/");
        if (user < 0 || !arn.startsWith("arn:") || !arn.contains(":iam::")) {
            return null;
        }
        return arn.substring(arn.lastIndexOf('/') + 1);
    }
}
