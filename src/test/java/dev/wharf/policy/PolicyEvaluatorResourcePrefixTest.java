package dev.wharf.policy;

import static dev.wharf.policy.TestingPolicies.ACCOUNT_A;
import static dev.wharf.policy.TestingPolicies.ALICE;
import static dev.wharf.policy.TestingPolicies.json;
import static dev.wharf.policy.TestingPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Questions about any resource under a prefix (may this caller publish some NuGet package in this repository?):
 * allowed when an Allow may take one in and no Deny takes them all, so that a refusal means none could be allowed.
 */
class PolicyEvaluatorResourcePrefixTest {
    private static final String PUBLISH = "codeartifact:PublishPackageVersion";
    private static final String NUGET = "arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases/nuget/";

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    private boolean mayPublishSome(String... statements) throws MalformedPolicyException {
        List<AttachedPolicy> identity = statements.length == 0 ? List.of() : List.of(new AttachedPolicy("p",
                PolicyDocument.parse(json(policy(statements)), PolicyKind.IDENTITY)));
        return evaluator.evaluate(new AuthorizationRequest(PUBLISH, NUGET, ALICE, null, true), identity, List.of(),
                ACCOUNT_A).allowed();
    }

    private static String allow(String resource) {
        return "{'Effect':'Allow','Action':'codeartifact:PublishPackageVersion','Resource':'" + resource + "'}";
    }

    private static String deny(String resource) {
        return "{'Effect':'Deny','Action':'codeartifact:*','Resource':'" + resource + "'}";
    }

    @Test
    void anAllowOnSomePackagesOfTheRepositoryMayAllowOne() throws MalformedPolicyException {
        assertThat(mayPublishSome(allow("*"))).isTrue();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases/*")))
                .isTrue();
        assertThat(mayPublishSome(allow(NUGET + "/contoso.*"))).isTrue();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:*:*:package/corp/*/nuget/*/contoso.?tils")))
                .isTrue();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases")))
                .as("the repository, not a package in it").isFalse();
    }

    @Test
    void anAllowOnlyElsewhereAllowsNone() throws MalformedPolicyException {
        assertThat(mayPublishSome()).isFalse();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:us-east-1:111111111111:package/corp/staging/*")))
                .isFalse();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases/npm/*")))
                .isFalse();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:*:111111111111:package/corp/staging/nuget/*")))
                .as("a region wildcard does not reach another repository: a package adds one path segment")
                .isFalse();
        assertThat(mayPublishSome("{'Effect':'Allow','Action':'codeartifact:ReadFromRepository','Resource':'*'}"))
                .as("another action").isFalse();
    }

    @Test
    void aDenyCountsOnlyWhenItTakesInEveryPackage() throws MalformedPolicyException {
        assertThat(mayPublishSome(allow("*"), deny("*"))).isFalse();
        assertThat(mayPublishSome(allow("*"), deny(NUGET + "*"))).isFalse();
        assertThat(mayPublishSome(allow("*"), deny("arn:aws:codeartifact:*:*:package/corp/*"))).isFalse();
        assertThat(mayPublishSome(allow("*"), deny(NUGET + "/contoso.*"))).as("other packages stay").isTrue();
        assertThat(mayPublishSome(allow("*"), deny(NUGET + "?"))).as("one character only").isTrue();
        assertThat(mayPublishSome(allow("*"), "{'Effect':'Deny','Action':'codeartifact:*','NotResource':'" + NUGET
                + "/contoso.*'}")).as("a NotResource deny spares what it names").isTrue();
        assertThat(mayPublishSome(allow("*"), "{'Effect':'Deny','Action':'codeartifact:*','NotResource':"
                + "'arn:aws:codeartifact:us-east-1:111111111111:package/corp/staging/*'}")).isFalse();
    }

    @Test
    void aNotResourceAllowMayAllowWhatItDoesNotName() throws MalformedPolicyException {
        assertThat(mayPublishSome("{'Effect':'Allow','Action':'codeartifact:*','NotResource':'" + NUGET + "*'}"))
                .isFalse();
        assertThat(mayPublishSome("{'Effect':'Allow','Action':'codeartifact:*','NotResource':'" + NUGET
                + "/secret'}")).isTrue();
    }

    @Test
    void policyVariablesAreResolvedBeforeTheQuestion() throws MalformedPolicyException {
        assertThat(mayPublishSome(allow(NUGET + "/${aws:username}.*"))).isTrue();
        assertThat(mayPublishSome(allow("arn:aws:codeartifact:us-east-1:111111111111:package/corp/${aws:username}/*")))
                .as("alice's repository, not releases").isFalse();
    }
}
