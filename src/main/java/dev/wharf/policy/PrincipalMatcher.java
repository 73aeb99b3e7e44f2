package dev.wharf.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The compiled {@code Principal} (or {@code NotPrincipal}) element of a resource or trust policy statement. */
final class PrincipalMatcher {

    /** How a principal element names a caller. */
    enum Match {
        /** Does not name the caller. */
        NONE,
        /** Names only the caller's account (its id or its root ARN): enough across accounts, not within one. */
        ACCOUNT,
        /** Names one of the caller's matching ARNs (for a role session, the role), or everyone ({@code *}). */
        SPECIFIC,
        /**
         * Names the caller's own ARN (the user, or the role session itself): a grant to it is not limited by the
         * caller's permissions boundary or session policy, as in AWS. Otherwise treated as {@link #SPECIFIC}.
         */
        SELF
    }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ROOT_ARN = Pattern.compile("arn:[a-z-]+:iam::(\\d{12}):root");
    private static final Pattern PRINCIPAL_ARN = Pattern.compile("arn:[a-z-]+:(iam|sts)::\\d{12}:[^*?]+");

    private final boolean everyone;
    private final String[] arns;
    private final String[] accounts;
    private final List<String> services;
    private final List<String> federated;

    private PrincipalMatcher(
            boolean everyone, List<String> arns, List<String> accounts, List<String> services, List<String> federated) {
        this.everyone = everyone;
        this.arns = arns.toArray(String[]::new);
        this.accounts = accounts.toArray(String[]::new);
        this.services = List.copyOf(services);
        this.federated = List.copyOf(federated);
    }

    static PrincipalMatcher everyone() {
        return new PrincipalMatcher(true, List.of(), List.of(), List.of(), List.of());
    }

    /** Builds a matcher from the parsed {@code AWS}, {@code Service} and {@code Federated} values. */
    static PrincipalMatcher of(List<String> aws, List<String> services, List<String> federated, String element)
            throws MalformedPolicyException {
        boolean everyone = false;
        Set<String> arns = new LinkedHashSet<>();
        Set<String> accounts = new LinkedHashSet<>();
        for (String value : aws) {
            if (value.equals("*")) {
                everyone = true;
            } else if (ACCOUNT_ID.matcher(value).matches()) {
                accounts.add(value);
            } else {
                var root = ACCOUNT_ROOT_ARN.matcher(value);
                if (root.matches()) {
                    accounts.add(root.group(1));
                } else if (PRINCIPAL_ARN.matcher(value).matches()) {
                    arns.add(value);
                } else {
                    throw new MalformedPolicyException("Invalid principal \"" + value + "\" in " + element
                            + ": expected *, a 12-digit account id, or an IAM/STS ARN without wildcards");
                }
            }
        }
        return new PrincipalMatcher(
                everyone, new ArrayList<>(arns), new ArrayList<>(accounts), services, federated);
    }

    /**
     * How this element names {@code caller}. Service principals never match; a federated principal matches only a
     * web identity of that provider, and a web identity matches nothing else but {@code *}.
     */
    Match match(CallerPrincipal caller) {
        if (everyone) {
            return Match.SPECIFIC;
        }
        if (caller.federatedProvider() != null) {
            return federated.contains(caller.federatedProvider()) ? Match.SPECIFIC : Match.NONE;
        }
        Match named = Match.NONE;
        for (String arn : arns) {
            if (arn.equals(caller.arn())) {
                return Match.SELF;
            }
            if (caller.matchingArns().contains(arn)) {
                named = Match.SPECIFIC;
            }
        }
        if (named != Match.NONE) {
            return named;
        }
        for (String account : accounts) {
            if (account.equals(caller.accountId())) {
                return caller.root() ? Match.SPECIFIC : Match.ACCOUNT;
            }
        }
        return Match.NONE;
    }

    @Override
    public String toString() {
        return everyone
                ? "*"
                : "{AWS=" + List.of(arns) + " accounts=" + List.of(accounts) + " Service=" + services + " Federated="
                        + federated + "}";
    }
}
