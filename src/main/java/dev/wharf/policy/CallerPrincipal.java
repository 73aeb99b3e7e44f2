package dev.wharf.policy;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a request.
 *
 * @param accountId the caller's 12-digit account id
 * @param arn {@code arn:aws:iam::ACCT:root}, {@code arn:aws:iam::ACCT:user/PATH/NAME} or
 *     {@code arn:aws:sts::ACCT:assumed-role/ROLE/SESSION}
 * @param root whether the caller is the account's root user
 * @param matchingArns the ARNs a resource or trust policy {@code Principal} may name to match this caller:
 *     the ARN itself and, for an assumed-role session, also the role ARN
 *     {@code arn:aws:iam::ACCT:role/PATH/ROLE}
 * @param federatedProvider for a web identity (AssumeRoleWithWebIdentity), the ARN of its OIDC provider, which a
 *     trust policy names as {@code Principal.Federated}; null for IAM principals
 */
public record CallerPrincipal(
        String accountId, String arn, boolean root, Set<String> matchingArns, String federatedProvider) {

    public CallerPrincipal {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(arn, "arn");
        matchingArns = Set.copyOf(Objects.requireNonNull(matchingArns, "matchingArns"));
    }

    /** An IAM principal: root, user or role session. */
    public CallerPrincipal(String accountId, String arn, boolean root, Set<String> matchingArns) {
        this(accountId, arn, root, matchingArns, null);
    }

    /**
     * A web identity asking to assume a role: it belongs to no account and matches only a {@code Federated}
     * principal naming its provider (or {@code *}); {@code accountId} is the provider's account.
     */
    public static CallerPrincipal federated(String accountId, String providerArn) {
        return new CallerPrincipal(accountId, providerArn, false, Set.of(), Objects.requireNonNull(providerArn));
    }
}
