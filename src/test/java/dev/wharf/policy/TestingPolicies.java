package dev.wharf.policy;

import java.util.Set;

/** Callers, resources and JSON helpers shared by the policy tests. */
final class TestingPolicies {

    static final String ACCOUNT_A = "111111111111";
    static final String ACCOUNT_B = "222222222222";

    static final String REPOSITORY = "arn:aws:codeartifact:us-east-1:111111111111:repository/corp/releases";
    static final String PACKAGE = "arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases/npm//left-pad";
    static final String TARGET_ROLE = "arn:aws:iam::111111111111:role/Target";

    static final CallerPrincipal ALICE = user(ACCOUNT_A, "engineering/", "alice");
    static final CallerPrincipal CAROL = user(ACCOUNT_A, "", "carol");
    static final CallerPrincipal BOB_FROM_B = user(ACCOUNT_B, "", "bob");
    static final CallerPrincipal ROOT_A = root(ACCOUNT_A);
    static final CallerPrincipal ROOT_B = root(ACCOUNT_B);
    static final CallerPrincipal DEPLOYER_SESSION = session(ACCOUNT_A, "ci/", "Deployer", "build-42");

    private TestingPolicies() {}

    static CallerPrincipal user(String account, String path, String name) {
        String arn = "arn:aws:iam::" + account + ":user/" + path + name;
        return new CallerPrincipal(account, arn, false, Set.of(arn));
    }

    static CallerPrincipal root(String account) {
        String arn = "arn:aws:iam::" + account + ":root";
        return new CallerPrincipal(account, arn, true, Set.of(arn));
    }

    static CallerPrincipal session(String account, String path, String role, String session) {
        String arn = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session;
        String roleArn = "arn:aws:iam::" + account + ":role/" + path + role;
        return new CallerPrincipal(account, arn, false, Set.of(arn, roleArn));
    }

    /** A 2012-10-17 policy of the given statements, written with ' for " to keep the tables readable. */
    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + json(String.join(",", statements)) + "]}";
    }

    /** The same with Version 2008-10-17, where policy variables are plain text. */
    static String policy2008(String... statements) {
        return "{\"Version\":\"2008-10-17\",\"Statement\":[" + json(String.join(",", statements)) + "]}";
    }

    /** A document without Version (treated as 2008-10-17). */
    static String unversioned(String... statements) {
        return "{\"Statement\":[" + json(String.join(",", statements)) + "]}";
    }

    /** Replaces ' by " and then ` by ' (for the rare real single quote, as in a policy variable default). */
    static String json(String text) {
        return text.replace('\'', '"').replace('`', '\'');
    }
}
