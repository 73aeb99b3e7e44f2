package dev.wharf.bench;

import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.AuthorizationRequest;
import dev.wharf.policy.CallerPrincipal;
import dev.wharf.policy.ConditionContext;
import dev.wharf.policy.Decision;
import dev.wharf.policy.MalformedPolicyException;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyEvaluator;
import dev.wharf.policy.PolicyKind;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one authorization: a user with 5 identity policies (20 statements: wildcards, conditions, a
 * NotAction) reading a package whose repository has a resource policy. The allowing statement sits in the fourth
 * policy, so most statements are looked at; the denied request looks at all of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyEvaluationBenchmark {

    private static final String ACCOUNT = "111111111111";
    private static final String PACKAGE =
            "arn:aws:codeartifact:us-east-1:111111111111:package/corp/releases/npm//left-pad";

    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private List<AttachedPolicy> identityPolicies;
    private List<AttachedPolicy> resourcePolicies;
    /** A permissions boundary and a session policy, the two limits of a role session under a boundary. */
    private List<List<AttachedPolicy>> limits;
    private AuthorizationRequest allowedRequest;
    private AuthorizationRequest deniedRequest;

    @Setup
    public void setUp() throws MalformedPolicyException {
        identityPolicies = List.of(
                identity("BaselineDenies", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"DenyInsecure","Effect":"Deny","Action":"*","Resource":"*",
                           "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                          {"Sid":"DenyOutsideNetwork","Effect":"Deny","Action":"codeartifact:*","Resource":"*",
                           "Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24","2001:db8::/32"]}}},
                          {"Sid":"DenyIam","Effect":"Deny","Action":["iam:*","organizations:*"],"Resource":"*"},
                          {"Sid":"RevokeOlderSessions","Effect":"Deny","Action":"*","Resource":"*",
                           "Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-11-25T12:00:00Z"}}}]}
                        """),
                identity("S3Access", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"ListBuckets","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],
                           "Resource":"*"},
                          {"Sid":"HomeFolder","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
                           "Resource":"arn:aws:s3:::corp-home/${aws:username}/*"},
                          {"Sid":"SharedRead","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::corp-shared/*"},
                          {"Sid":"NoDeletes","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]}
                        """),
                identity("SelfService", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"OwnKeys","Effect":"Allow","Action":["iam:*AccessKey*","iam:GetUser"],
                           "Resource":"arn:aws:iam::*:user/${aws:username}"},
                          {"Sid":"OwnMfa","Effect":"Allow","Action":"iam:*MFADevice",
                           "Resource":"arn:aws:iam::*:mfa/${aws:username}"},
                          {"Sid":"Everything","Effect":"Allow","NotAction":["iam:*","codeartifact:*","sts:*"],
                           "Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}},
                          {"Sid":"Logs","Effect":"Allow","Action":"logs:*","Resource":"arn:aws:logs:*:*:log-group:/corp/*"}]}
                        """),
                identity("CodeArtifactRead", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"Token","Effect":"Allow","Action":["codeartifact:GetAuthorizationToken",
                           "sts:GetServiceBearerToken"],"Resource":"*"},
                          {"Sid":"Describe","Effect":"Allow","Action":["codeartifact:Describe*","codeartifact:List*"],
                           "Resource":"arn:aws:codeartifact:*:111111111111:*"},
                          {"Sid":"Read","Effect":"Allow","Action":["codeartifact:ReadFromRepository",
                           "codeartifact:GetPackageVersion?sset"],
                           "Resource":"arn:aws:codeartifact:us-east-1:111111111111:package/corp/*",
                           "Condition":{"StringLike":{"codeartifact:namespace":["","corp-*"]}}},
                          {"Sid":"Repository","Effect":"Allow","Action":"codeartifact:ReadFromRepository",
                           "Resource":"arn:aws:codeartifact:us-east-1:111111111111:repository/corp/*"}]}
                        """),
                identity("CodeArtifactPublish", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"Publish","Effect":"Allow","Action":["codeartifact:PublishPackageVersion",
                           "codeartifact:PutPackageMetadata"],
                           "Resource":"arn:aws:codeartifact:*:111111111111:package/corp/snapshots/*"},
                          {"Sid":"NoProdPublish","Effect":"Deny","Action":"codeartifact:Publish*",
                           "Resource":"arn:aws:codeartifact:*:*:package/corp/releases/*",
                           "Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"release"}}},
                          {"Sid":"Tagging","Effect":"Allow","Action":"codeartifact:TagResource","Resource":"*",
                           "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","cost-center"]}}},
                          {"Sid":"DisposeOwn","Effect":"Allow","Action":"codeartifact:DisposePackageVersions",
                           "Resource":"arn:aws:codeartifact:*:111111111111:package/corp/snapshots/*"}]}
                        """));
        resourcePolicies = List.of(new AttachedPolicy("repository/corp/releases", PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"OrgRead","Effect":"Allow","Principal":{"AWS":["111111111111","222222222222"]},
                   "Action":["codeartifact:ReadFromRepository","codeartifact:Describe*","codeartifact:List*"],
                   "Resource":"*"},
                  {"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"codeartifact:Delete*","Resource":"*"}]}
                """, PolicyKind.RESOURCE)));

        limits = List.of(
                List.of(identity("Boundary", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"WithinCodeArtifact","Effect":"Allow","Action":["codeartifact:*","sts:GetServiceBearerToken"],
                           "Resource":"*"},
                          {"Sid":"NoDomainChanges","Effect":"Deny","Action":["codeartifact:*Domain*"],"Resource":"*"}]}
                        """)),
                List.of(identity("SessionPolicy", """
                        {"Version":"2012-10-17","Statement":[
                          {"Sid":"ReadOnly","Effect":"Allow","Action":["codeartifact:Read*","codeartifact:Get*",
                           "codeartifact:Describe*","codeartifact:List*"],"Resource":"*"}]}
                        """)));
        String arn = "arn:aws:iam::111111111111:user/engineering/alice";
        CallerPrincipal alice = new CallerPrincipal(ACCOUNT, arn, false, Set.of(arn));
        ConditionContext context = ConditionContext.builder()
                .put("aws:SecureTransport", "true")
                .put("aws:SourceIp", "10.1.2.3")
                .put("aws:username", "alice")
                .put("aws:CurrentTime", "2026-11-25T18:00:00Z")
                .put("codeartifact:namespace", "")
                .build();
        allowedRequest = new AuthorizationRequest("codeartifact:ReadFromRepository", PACKAGE, alice, context);
        deniedRequest = new AuthorizationRequest("codeartifact:CopyPackageVersions", PACKAGE, alice, context);
        if (!allow().allowed() || denied().allowed() || !allowWithinLimits().allowed()) {
            throw new IllegalStateException("The benchmark's policies do not decide as intended");
        }
    }

    private static AttachedPolicy identity(String name, String json) throws MalformedPolicyException {
        return new AttachedPolicy(
                "arn:aws:iam::111111111111:policy/" + name, PolicyDocument.parse(json, PolicyKind.IDENTITY));
    }

    @Benchmark
    public Decision allow() {
        return evaluator.evaluate(allowedRequest, identityPolicies, resourcePolicies, ACCOUNT);
    }

    @Benchmark
    public Decision denied() {
        return evaluator.evaluate(deniedRequest, identityPolicies, resourcePolicies, ACCOUNT);
    }

    @Benchmark
    public Decision allowWithinLimits() {
        return evaluator.evaluate(allowedRequest, identityPolicies, limits, resourcePolicies, ACCOUNT);
    }
}
