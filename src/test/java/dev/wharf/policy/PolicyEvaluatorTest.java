package dev.wharf.policy;

import static dev.wharf.policy.TestingPolicies.ACCOUNT_A;
import static dev.wharf.policy.TestingPolicies.ALICE;
import static dev.wharf.policy.TestingPolicies.BOB_FROM_B;
import static dev.wharf.policy.TestingPolicies.CAROL;
import static dev.wharf.policy.TestingPolicies.DEPLOYER_SESSION;
import static dev.wharf.policy.TestingPolicies.PACKAGE;
import static dev.wharf.policy.TestingPolicies.REPOSITORY;
import static dev.wharf.policy.TestingPolicies.ROOT_A;
import static dev.wharf.policy.TestingPolicies.ROOT_B;
import static dev.wharf.policy.TestingPolicies.TARGET_ROLE;
import static dev.wharf.policy.TestingPolicies.json;
import static dev.wharf.policy.TestingPolicies.policy;
import static dev.wharf.policy.TestingPolicies.policy2008;
import static dev.wharf.policy.TestingPolicies.unversioned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyEvaluatorTest {

    private static final String ALLOW_READ =
            "{'Sid':'AllowRead','Effect':'Allow','Action':'codeartifact:ReadFromRepository','Resource':'*'}";
    private static final String ALLOW_ALL = "{'Sid':'AllowAll','Effect':'Allow','Action':'*','Resource':'*'}";
    private static final String ALLOW_CODEARTIFACT =
            "{'Sid':'AllowCodeArtifact','Effect':'Allow','Action':'codeartifact:*','Resource':'*'}";
    private static final String DENY_READ =
            "{'Sid':'DenyRead','Effect':'Deny','Action':'codeartifact:ReadFromRepository','Resource':'*'}";
    private static final String REVOKE_OLDER_SESSIONS = "{'Sid':'RevokeOlderSessions','Effect':'Deny','Action':'*',"
            + "'Resource':'*','Condition':{'DateLessThan':{'aws:TokenIssueTime':'2026-11-25T12:00:00Z'}}}";

    private static final String WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";
    private static final String GITHUB_HOST = "token.actions.githubusercontent.com";
    private static final String GITHUB_ARN = "arn:aws:iam::111111111111:oidc-provider/" + GITHUB_HOST;
    private static final CallerPrincipal GITHUB = CallerPrincipal.federated(ACCOUNT_A, GITHUB_ARN);

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    /** A trust policy letting GitHub's OIDC provider assume the role, with a Condition block or none. */
    private static String trustGithub(String condition) {
        return policy("{'Sid':'TrustGithub','Effect':'Allow','Principal':{'Federated':'" + GITHUB_ARN
                + "'},'Action':'sts:AssumeRoleWithWebIdentity'" + (condition == null ? "" : ",'Condition':" + condition)
                + "}");
    }

    /** An identity policy allowing codeartifact:* on everything when the given Condition block holds. */
    private static String allowWhen(String condition) {
        return policy("{'Sid':'Conditional','Effect':'Allow','Action':'codeartifact:*','Resource':'*','Condition':"
                + condition + "}");
    }

    /** A resource policy allowing codeartifact:* on everything to the given Principal element. */
    private static String grantTo(String principal) {
        return policy("{'Sid':'Grant','Effect':'Allow','Principal':" + principal
                + ",'Action':'codeartifact:*','Resource':'*'}");
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- Basic allow and deny ---
                when("an identity policy allowing the action allows it")
                        .identity(policy(ALLOW_READ)).allowedBy("identity-1", "AllowRead"),
                when("a caller without any policy is implicitly denied").implicitlyDenied(),
                when("an allow for another action does not allow")
                        .identity(policy(ALLOW_READ)).action("codeartifact:PublishPackageVersion")
                        .implicitlyDenied(),
                when("a deny overrides an allow in the same policy")
                        .identity(policy(ALLOW_ALL, DENY_READ)).explicitlyDeniedBy("identity-1", "DenyRead"),
                when("a deny in one policy overrides an allow in another")
                        .identity(policy(ALLOW_ALL)).identity(policy(DENY_READ))
                        .explicitlyDeniedBy("identity-2", "DenyRead"),
                when("a deny in a resource policy overrides an identity allow")
                        .identity(policy(ALLOW_ALL))
                        .resource(policy("{'Sid':'NoReads','Effect':'Deny','Principal':'*',"
                                + "'Action':'codeartifact:Read*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "NoReads"),
                when("an allow decision names the first allowing policy and statement")
                        .identity(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .identity(policy(ALLOW_CODEARTIFACT, ALLOW_ALL))
                        .allowedBy("identity-2", "AllowCodeArtifact"),

                // --- Actions ---
                when("a trailing * in an action matches any action with that prefix")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:Get*','Resource':'*'}"))
                        .action("codeartifact:GetAuthorizationToken").allowed(),
                when("? in an action matches exactly one character")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:ReadFromRepositor?','Resource':'*'}"))
                        .allowed(),
                when("? in an action does not match two characters")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:ReadFromReposit?','Resource':'*'}"))
                        .implicitlyDenied(),
                when("* alone as the action matches any action of any service")
                        .identity(policy(ALLOW_ALL)).action("sts:GetServiceBearerToken").allowed(),
                when("actions match case-insensitively")
                        .identity(policy("{'Effect':'Allow','Action':'CodeArtifact:readfromrepository','Resource':'*'}"))
                        .allowed(),
                when("a service wildcard does not match another service")
                        .identity(policy(ALLOW_CODEARTIFACT)).action("sts:GetServiceBearerToken").implicitlyDenied(),
                when("NotAction allows every action except those listed")
                        .identity(policy("{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}")).allowed(),
                when("NotAction does not allow a listed action")
                        .identity(policy("{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}"))
                        .action("iam:CreateUser").implicitlyDenied(),
                when("a Deny with NotAction denies every action except those listed")
                        .identity(policy(ALLOW_ALL,
                                "{'Sid':'ReadOnly','Effect':'Deny','NotAction':'codeartifact:Read*','Resource':'*'}"))
                        .action("codeartifact:PublishPackageVersion").explicitlyDeniedBy("identity-1", "ReadOnly"),
                when("a Deny with NotAction leaves the listed actions alone")
                        .identity(policy(ALLOW_ALL,
                                "{'Sid':'ReadOnly','Effect':'Deny','NotAction':'codeartifact:Read*','Resource':'*'}"))
                        .allowed(),

                // --- Resources ---
                when("* in a resource spans slashes and colons")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:111111111111:package/corp/*'}"))
                        .on(PACKAGE).allowed(),
                when("? in a resource matches exactly one character")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:us-east-?:111111111111:repository/corp/releases'}"))
                        .allowed(),
                when("resources match case-sensitively")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:us-east-1:111111111111:repository/corp/Releases'}"))
                        .implicitlyDenied(),
                when("any entry of a resource list may match")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*','Resource':["
                                + "'arn:aws:codeartifact:us-east-1:111111111111:repository/corp/snapshots',"
                                + "'arn:aws:codeartifact:us-east-1:111111111111:repository/corp/releases']}"))
                        .allowed(),
                when("NotResource allows every resource except those listed")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'NotResource':'arn:aws:codeartifact:*:*:repository/corp/snapshots'}"))
                        .allowed(),
                when("NotResource does not allow a listed resource")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'NotResource':'arn:aws:codeartifact:*:*:repository/corp/*'}"))
                        .implicitlyDenied(),

                // --- String operators ---
                when("StringEquals holds when the value is equal")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "corp").allowed(),
                when("StringEquals fails when the value differs")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "other").implicitlyDenied(),
                when("StringEquals compares case-sensitively")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "CORP").implicitlyDenied(),
                when("StringEquals fails when the key is missing")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'}}"))
                        .implicitlyDenied(),
                when("condition keys are case-insensitive")
                        .identity(allowWhen("{'StringEquals':{'CodeArtifact:Namespace':'corp'}}"))
                        .with("codeartifact:namespace", "corp").allowed(),
                when("StringNotEquals holds when the value differs")
                        .identity(allowWhen("{'StringNotEquals':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "other").allowed(),
                when("StringNotEquals fails when the value is equal")
                        .identity(allowWhen("{'StringNotEquals':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "corp").implicitlyDenied(),
                when("StringNotEquals holds when the key is missing")
                        .identity(allowWhen("{'StringNotEquals':{'codeartifact:namespace':'corp'}}"))
                        .allowed(),
                when("StringEqualsIgnoreCase ignores case")
                        .identity(allowWhen("{'StringEqualsIgnoreCase':{'codeartifact:namespace':'Corp'}}"))
                        .with("codeartifact:namespace", "CORP").allowed(),
                when("StringNotEqualsIgnoreCase fails for a value equal but for case")
                        .identity(allowWhen("{'StringNotEqualsIgnoreCase':{'codeartifact:namespace':'Corp'}}"))
                        .with("codeartifact:namespace", "cORP").implicitlyDenied(),
                when("StringNotEqualsIgnoreCase holds for a different value")
                        .identity(allowWhen("{'StringNotEqualsIgnoreCase':{'codeartifact:namespace':'Corp'}}"))
                        .with("codeartifact:namespace", "other").allowed(),
                when("StringLike matches wildcards")
                        .identity(allowWhen("{'StringLike':{'codeartifact:packageName':'left-*'}}"))
                        .with("codeartifact:packageName", "left-pad").allowed(),
                when("StringLike fails when the pattern does not match")
                        .identity(allowWhen("{'StringLike':{'codeartifact:packageName':'right-?ad'}}"))
                        .with("codeartifact:packageName", "left-pad").implicitlyDenied(),
                when("StringNotLike fails when the pattern matches")
                        .identity(allowWhen("{'StringNotLike':{'codeartifact:packageName':'*-pad'}}"))
                        .with("codeartifact:packageName", "left-pad").implicitlyDenied(),
                when("StringNotLike holds when the pattern does not match")
                        .identity(allowWhen("{'StringNotLike':{'codeartifact:packageName':'*-pad'}}"))
                        .with("codeartifact:packageName", "lodash").allowed(),
                when("several values for one key are ORed")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':['corp','oss']}}"))
                        .with("codeartifact:namespace", "oss").allowed(),
                when("several values of a negated operator are NORed")
                        .identity(allowWhen("{'StringNotEquals':{'codeartifact:namespace':['corp','oss']}}"))
                        .with("codeartifact:namespace", "oss").implicitlyDenied(),
                when("several keys in one operator are ANDed")
                        .identity(allowWhen(
                                "{'StringEquals':{'codeartifact:namespace':'corp','codeartifact:format':'npm'}}"))
                        .with("codeartifact:namespace", "corp").with("codeartifact:format", "pypi")
                        .implicitlyDenied(),
                when("several operators are ANDed")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'},"
                                + "'Bool':{'aws:SecureTransport':'true'}}"))
                        .with("codeartifact:namespace", "corp").with("aws:SecureTransport", "false")
                        .implicitlyDenied(),
                when("several operators all holding allow")
                        .identity(allowWhen("{'StringEquals':{'codeartifact:namespace':'corp'},"
                                + "'Bool':{'aws:SecureTransport':'true'}}"))
                        .with("codeartifact:namespace", "corp").with("aws:SecureTransport", "true")
                        .allowed(),

                // --- Numeric operators ---
                when("NumericEquals holds for an equal number written differently")
                        .identity(allowWhen("{'NumericEquals':{'codeartifact:durationSeconds':900}}"))
                        .with("codeartifact:durationSeconds", "900.0").allowed(),
                when("NumericEquals fails for another number")
                        .identity(allowWhen("{'NumericEquals':{'codeartifact:durationSeconds':'900'}}"))
                        .with("codeartifact:durationSeconds", "901").implicitlyDenied(),
                when("NumericNotEquals holds for another number")
                        .identity(allowWhen("{'NumericNotEquals':{'codeartifact:durationSeconds':'900'}}"))
                        .with("codeartifact:durationSeconds", "901").allowed(),
                when("NumericLessThan holds for a smaller number")
                        .identity(allowWhen("{'NumericLessThan':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "900").allowed(),
                when("NumericLessThan fails for an equal number")
                        .identity(allowWhen("{'NumericLessThan':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "3600").implicitlyDenied(),
                when("NumericLessThanEquals holds for an equal number")
                        .identity(allowWhen("{'NumericLessThanEquals':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "3600").allowed(),
                when("NumericGreaterThan fails for a smaller number")
                        .identity(allowWhen("{'NumericGreaterThan':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "900").implicitlyDenied(),
                when("NumericGreaterThanEquals holds for a larger decimal number")
                        .identity(allowWhen("{'NumericGreaterThanEquals':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "3600.5").allowed(),
                when("a numeric operator fails for a request value that is not a number")
                        .identity(allowWhen("{'NumericLessThan':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "soon").implicitlyDenied(),

                // --- Date operators ---
                when("DateEquals compares an ISO policy date with an epoch request date")
                        .identity(allowWhen("{'DateEquals':{'aws:CurrentTime':'2026-11-25T12:00:00Z'}}"))
                        .with("aws:CurrentTime", "1795608000").allowed(),
                when("DateNotEquals holds for another instant")
                        .identity(allowWhen("{'DateNotEquals':{'aws:CurrentTime':'2026-11-25T12:00:00Z'}}"))
                        .with("aws:CurrentTime", "2026-11-25T12:00:01Z").allowed(),
                when("DateLessThan holds for an earlier ISO date with an offset")
                        .identity(allowWhen("{'DateLessThan':{'aws:CurrentTime':'2026-11-25T12:00:00Z'}}"))
                        .with("aws:CurrentTime", "2026-11-25T12:30:00+01:00").allowed(),
                when("DateLessThanEquals accepts an epoch policy date")
                        .identity(allowWhen("{'DateLessThanEquals':{'aws:CurrentTime':1795608000}}"))
                        .with("aws:CurrentTime", "2026-11-25T12:00:00Z").allowed(),
                when("DateGreaterThan fails for an earlier date")
                        .identity(allowWhen("{'DateGreaterThan':{'aws:CurrentTime':'2026-11-25'}}"))
                        .with("aws:CurrentTime", "2026-11-24T23:59:59Z").implicitlyDenied(),
                when("DateGreaterThanEquals holds for the same instant with milliseconds")
                        .identity(allowWhen("{'DateGreaterThanEquals':{'aws:CurrentTime':'2026-11-25T00:00:00Z'}}"))
                        .with("aws:CurrentTime", "2026-11-25T00:00:00.000Z").allowed(),

                // --- Bool, Binary, Null ---
                when("Bool holds for the same boolean, JSON true included")
                        .identity(allowWhen("{'Bool':{'aws:SecureTransport':true}}"))
                        .with("aws:SecureTransport", "TRUE").allowed(),
                when("Bool fails for the other boolean")
                        .identity(allowWhen("{'Bool':{'aws:MultiFactorAuthPresent':'true'}}"))
                        .with("aws:MultiFactorAuthPresent", "false").implicitlyDenied(),
                when("BinaryEquals holds for the same base64 value")
                        .identity(allowWhen("{'BinaryEquals':{'codeartifact:digest':'QmluYXJ5'}}"))
                        .with("codeartifact:digest", "QmluYXJ5").allowed(),
                when("BinaryEquals fails for another base64 value")
                        .identity(allowWhen("{'BinaryEquals':{'codeartifact:digest':'QmluYXJ5'}}"))
                        .with("codeartifact:digest", "T3RoZXI=").implicitlyDenied(),
                when("Null true holds when the key is missing")
                        .identity(allowWhen("{'Null':{'aws:TokenIssueTime':'true'}}")).allowed(),
                when("Null true fails when the key is present")
                        .identity(allowWhen("{'Null':{'aws:TokenIssueTime':'true'}}"))
                        .with("aws:TokenIssueTime", "2026-11-25T12:00:00Z").implicitlyDenied(),
                when("Null false holds when the key is present")
                        .identity(allowWhen("{'Null':{'aws:TokenIssueTime':false}}"))
                        .with("aws:TokenIssueTime", "2026-11-25T12:00:00Z").allowed(),

                // --- IP addresses ---
                when("IpAddress holds for an IPv4 address inside the block")
                        .identity(allowWhen("{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}"))
                        .with("aws:SourceIp", "203.0.113.77").allowed(),
                when("IpAddress fails for an IPv4 address outside the block")
                        .identity(allowWhen("{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}"))
                        .with("aws:SourceIp", "203.0.114.1").implicitlyDenied(),
                when("IpAddress holds for an IPv6 address inside the block")
                        .identity(allowWhen("{'IpAddress':{'aws:SourceIp':['203.0.113.0/24','2001:db8:1234::/48']}}"))
                        .with("aws:SourceIp", "2001:db8:1234:ffff::1").allowed(),
                when("IpAddress fails for an IPv6 address outside the block")
                        .identity(allowWhen("{'IpAddress':{'aws:SourceIp':'2001:db8:1234::/48'}}"))
                        .with("aws:SourceIp", "2001:db8:1235::1").implicitlyDenied(),
                when("IpAddress with a bare address means that address only")
                        .identity(allowWhen("{'IpAddress':{'aws:SourceIp':'198.51.100.7'}}"))
                        .with("aws:SourceIp", "198.51.100.8").implicitlyDenied(),
                when("NotIpAddress holds for an address outside every block")
                        .identity(allowWhen("{'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','::1/128']}}"))
                        .with("aws:SourceIp", "192.0.2.1").allowed(),
                when("NotIpAddress fails for an address inside a block")
                        .identity(allowWhen("{'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','::1/128']}}"))
                        .with("aws:SourceIp", "10.20.30.40").implicitlyDenied(),

                // --- ARN operators ---
                when("ArnEquals holds for the same ARN")
                        .identity(allowWhen("{'ArnEquals':{'aws:SourceArn':'" + REPOSITORY + "'}}"))
                        .with("aws:SourceArn", REPOSITORY).allowed(),
                when("ArnLike matches wildcards within each ARN component")
                        .identity(allowWhen("{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/ci/*'}}"))
                        .with("aws:PrincipalArn", "arn:aws:iam::111111111111:role/ci/Deployer").allowed(),
                when("ArnLike does not let a wildcard cross into another ARN component")
                        .identity(allowWhen("{'ArnLike':{'aws:SourceArn':'arn:aws:*:111111111111:repository/*'}}"))
                        .with("aws:SourceArn", REPOSITORY).implicitlyDenied(),
                when("ArnNotEquals fails for the same ARN")
                        .identity(allowWhen("{'ArnNotEquals':{'aws:SourceArn':'" + REPOSITORY + "'}}"))
                        .with("aws:SourceArn", REPOSITORY).implicitlyDenied(),
                when("ArnNotLike holds for an ARN outside the pattern")
                        .identity(allowWhen("{'ArnNotLike':{'aws:SourceArn':'arn:aws:codeartifact:*:*:domain/*'}}"))
                        .with("aws:SourceArn", REPOSITORY).allowed(),

                // --- IfExists ---
                when("an IfExists operator holds when the key is missing")
                        .identity(allowWhen("{'StringEqualsIfExists':{'codeartifact:namespace':'corp'}}")).allowed(),
                when("an IfExists operator still checks a present key")
                        .identity(allowWhen("{'StringEqualsIfExists':{'codeartifact:namespace':'corp'}}"))
                        .with("codeartifact:namespace", "other").implicitlyDenied(),
                when("NumericLessThanIfExists holds for a smaller present value")
                        .identity(allowWhen("{'NumericLessThanIfExists':{'codeartifact:durationSeconds':'3600'}}"))
                        .with("codeartifact:durationSeconds", "60").allowed(),

                // --- Set qualifiers ---
                when("ForAnyValue holds when one request value matches")
                        .identity(allowWhen("{'ForAnyValue:StringEquals':{'aws:TagKeys':['team','cost']}}"))
                        .with("aws:TagKeys", "owner", "cost").allowed(),
                when("ForAnyValue fails when no request value matches")
                        .identity(allowWhen("{'ForAnyValue:StringEquals':{'aws:TagKeys':['team','cost']}}"))
                        .with("aws:TagKeys", "owner").implicitlyDenied(),
                when("ForAnyValue fails when the key is missing")
                        .identity(allowWhen("{'ForAnyValue:StringLike':{'aws:TagKeys':'*'}}")).implicitlyDenied(),
                when("ForAllValues holds when every request value is in the set")
                        .identity(allowWhen("{'ForAllValues:StringEquals':{'aws:TagKeys':['team','cost']}}"))
                        .with("aws:TagKeys", "team", "cost").allowed(),
                when("ForAllValues fails when one request value is outside the set")
                        .identity(allowWhen("{'ForAllValues:StringEquals':{'aws:TagKeys':['team','cost']}}"))
                        .with("aws:TagKeys", "team", "owner").implicitlyDenied(),
                when("ForAllValues holds when the key is missing")
                        .identity(allowWhen("{'ForAllValues:StringEquals':{'aws:TagKeys':['team']}}")).allowed(),
                when("ForAnyValue with a negated operator holds when one request value is outside the set")
                        .identity(allowWhen("{'ForAnyValue:StringNotEquals':{'aws:TagKeys':['team']}}"))
                        .with("aws:TagKeys", "team", "owner").allowed(),
                when("a single-valued operator on a multivalued key holds when any value matches")
                        .identity(allowWhen("{'StringLike':{'aws:TagKeys':'co*'}}"))
                        .with("aws:TagKeys", "team", "cost").allowed(),

                // --- Policy variables ---
                when("${aws:username} in a resource matches the caller's own name")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/home/${aws:username}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/home/alice").allowed(),
                when("${aws:username} in a resource does not match another user's name")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/home/${aws:username}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/home/carol").implicitlyDenied(),
                when("a variable's value is taken literally, not as a wildcard")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/home/${codeartifact:team}'}"))
                        .with("codeartifact:team", "*")
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/home/ops").implicitlyDenied(),
                when("a variable with a missing key uses its default")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*','Resource':"
                                + "'arn:aws:codeartifact:*:*:repository/team/${aws:PrincipalTag/team, `shared`}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/team/shared").allowed(),
                when("a variable with a missing key and no default makes the resource not match")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/team/${aws:PrincipalTag/team}*'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/team/shared").implicitlyDenied(),
                when("the ${*} escape is a literal asterisk")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/corp/${*}'}"))
                        .implicitlyDenied(),
                when("the ${*} escape matches an asterisk in the resource")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/corp/${*}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/corp/*").allowed(),
                when("the ${?} and ${$} escapes are literal in condition values")
                        .identity(allowWhen("{'StringLike':{'codeartifact:packageName':'what${?}${$}'}}"))
                        .with("codeartifact:packageName", "what?$").allowed(),
                when("a variable in a condition value is substituted from the context")
                        .identity(allowWhen(
                                "{'StringEquals':{'codeartifact:namespace':'${aws:PrincipalTag/team}'}}"))
                        .with("aws:PrincipalTag/team", "ops").with("codeartifact:namespace", "ops").allowed(),
                when("${aws:PrincipalAccount} comes from the caller when the context lacks it")
                        .identity(policy("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:${aws:PrincipalAccount}:*'}"))
                        .allowed(),
                when("Version 2008-10-17 does not substitute variables")
                        .identity(policy2008("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/home/${aws:username}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/home/alice").implicitlyDenied(),
                when("a document without Version takes ${...} as plain text")
                        .identity(unversioned("{'Effect':'Allow','Action':'codeartifact:*',"
                                + "'Resource':'arn:aws:codeartifact:*:*:repository/home/${aws:username}'}"))
                        .on("arn:aws:codeartifact:us-east-1:111111111111:repository/home/${aws:username}")
                        .allowed(),

                // --- Same account: resource policies ---
                when("a same-account resource policy naming the user allows without an identity policy")
                        .resource(grantTo("{'AWS':'arn:aws:iam::111111111111:user/engineering/alice'}"))
                        .allowedBy("resource-1", "Grant"),
                when("a same-account resource policy naming only the account needs an identity allow")
                        .resource(grantTo("{'AWS':'111111111111'}")).implicitlyDenied(),
                when("a same-account resource policy naming the account root ARN needs an identity allow")
                        .resource(grantTo("{'AWS':'arn:aws:iam::111111111111:root'}")).implicitlyDenied(),
                when("a same-account resource policy naming the account plus an identity allow allows")
                        .identity(policy(ALLOW_READ)).resource(grantTo("{'AWS':'111111111111'}"))
                        .allowedBy("identity-1", "AllowRead"),
                when("a resource policy for * allows a same-account caller")
                        .resource(grantTo("'*'")).allowed(),
                when("a resource policy naming another user does not allow")
                        .caller(CAROL).resource(grantTo("{'AWS':'arn:aws:iam::111111111111:user/engineering/alice'}"))
                        .implicitlyDenied(),
                when("a resource policy naming a role allows that role's sessions")
                        .caller(DEPLOYER_SESSION).resource(grantTo("{'AWS':'arn:aws:iam::111111111111:role/ci/Deployer'}"))
                        .allowed(),
                when("a service principal does not match an IAM user")
                        .resource(grantTo("{'Service':'codeartifact.amazonaws.com'}")).implicitlyDenied(),

                // --- Root ---
                when("the root user is allowed everything in its own account")
                        .caller(ROOT_A).action("iam:DeleteAccount").allowed(),
                when("the root user is not governed by identity policies")
                        .caller(ROOT_A).identity(policy(DENY_READ)).allowed(),
                when("the root user is denied by a resource policy's explicit deny")
                        .caller(ROOT_A)
                        .resource(policy("{'Sid':'Freeze','Effect':'Deny','Principal':{'AWS':'111111111111'},"
                                + "'Action':'codeartifact:*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "Freeze"),
                when("a root user from another account needs the resource policy")
                        .caller(ROOT_B).ownedBy(ACCOUNT_A).implicitlyDenied(),
                when("a root user from another account is allowed when the resource policy names its account")
                        .caller(ROOT_B).ownedBy(ACCOUNT_A).resource(grantTo("{'AWS':'222222222222'}"))
                        .allowedBy("resource-1", "Grant"),

                // --- Cross-account ---
                when("across accounts an identity allow alone is not enough")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A).identity(policy(ALLOW_READ)).implicitlyDenied(),
                when("across accounts a resource allow alone is not enough")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A)
                        .resource(grantTo("{'AWS':'arn:aws:iam::222222222222:user/bob'}")).implicitlyDenied(),
                when("across accounts an identity allow and a resource allow naming the user allow")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A).identity(policy(ALLOW_READ))
                        .resource(grantTo("{'AWS':'arn:aws:iam::222222222222:user/bob'}"))
                        .allowedBy("identity-1", "AllowRead"),
                when("across accounts a resource allow naming the caller's account suffices with an identity allow")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A).identity(policy(ALLOW_READ))
                        .resource(grantTo("{'AWS':['333333333333','222222222222']}")).allowed(),
                when("across accounts a resource allow naming another account does not allow")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A).identity(policy(ALLOW_READ))
                        .resource(grantTo("{'AWS':'333333333333'}")).implicitlyDenied(),
                when("across accounts a resource allow for * with an identity allow allows")
                        .caller(BOB_FROM_B).ownedBy(ACCOUNT_A).identity(policy(ALLOW_READ))
                        .resource(grantTo("{'AWS':'*'}")).allowed(),

                // --- NotPrincipal ---
                when("a Deny with NotPrincipal spares the named principal")
                        .identity(policy(ALLOW_READ))
                        .resource(policy("{'Effect':'Deny','NotPrincipal':{'AWS':"
                                + "'arn:aws:iam::111111111111:user/engineering/alice'},'Action':'*','Resource':'*'}"))
                        .allowed(),
                when("a Deny with NotPrincipal denies everyone else")
                        .caller(CAROL).identity(policy(ALLOW_READ))
                        .resource(policy("{'Sid':'OnlyAlice','Effect':'Deny','NotPrincipal':{'AWS':"
                                + "'arn:aws:iam::111111111111:user/engineering/alice'},'Action':'*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "OnlyAlice"),
                when("a Deny with NotPrincipal naming only an account still denies that account's users (AWS checks"
                        + " the user itself)")
                        .identity(policy(ALLOW_READ))
                        .resource(policy("{'Sid':'OnlyAccountRoot','Effect':'Deny','NotPrincipal':{'AWS':"
                                + "'arn:aws:iam::111111111111:root'},'Action':'*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "OnlyAccountRoot"),
                when("a Deny with NotPrincipal naming another account denies its users too")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_READ))
                        .resource(policy("{'Sid':'OnlyB','Effect':'Deny','NotPrincipal':{'AWS':'222222222222'},"
                                + "'Action':'*','Resource':'*'}", "{'Effect':'Allow','Principal':{'AWS':'222222222222'},"
                                + "'Action':'*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "OnlyB"),
                when("an Allow with NotPrincipal (which AWS does not support) grants nothing")
                        .caller(CAROL)
                        .resource(policy("{'Effect':'Allow','NotPrincipal':{'AWS':"
                                + "'arn:aws:iam::111111111111:user/engineering/alice'},'Action':'*','Resource':'*'}"))
                        .implicitlyDenied(),
                when("an Allow with NotPrincipal grants nothing across accounts either")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_READ))
                        .resource(policy("{'Effect':'Allow','NotPrincipal':{'AWS':'111111111111'},'Action':'*',"
                                + "'Resource':'*'}"))
                        .implicitlyDenied(),

                // --- Trust policies ---
                when("a trust policy naming a role lets a session of that role assume the target role")
                        .caller(DEPLOYER_SESSION).action("sts:AssumeRole").on(TARGET_ROLE)
                        .trust(policy("{'Sid':'TrustDeployer','Effect':'Allow','Principal':{'AWS':"
                                + "'arn:aws:iam::111111111111:role/ci/Deployer'},'Action':'sts:AssumeRole'}"))
                        .allowedBy("trust", "TrustDeployer"),
                when("a trust policy naming only the account needs an identity allow in that account")
                        .caller(DEPLOYER_SESSION).action("sts:AssumeRole").on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .implicitlyDenied(),
                when("a trust policy naming the account plus an identity allow lets the caller assume the role")
                        .caller(ALICE).action("sts:AssumeRole").on(TARGET_ROLE)
                        .identity(policy("{'Sid':'MayAssume','Effect':'Allow','Action':'sts:AssumeRole',"
                                + "'Resource':'arn:aws:iam::111111111111:role/*'}"))
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .allowedBy("identity-1", "MayAssume"),
                when("a trust policy trusting another account needs that caller's identity allow")
                        .caller(BOB_FROM_B).action("sts:AssumeRole").on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::222222222222:root'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .implicitlyDenied(),
                when("a trust policy trusting another account with the caller's identity allow allows")
                        .caller(BOB_FROM_B).action("sts:AssumeRole").on(TARGET_ROLE)
                        .identity(policy("{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*'}"))
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::222222222222:root'},"
                                + "'Action':'sts:AssumeRole'}"))
                        .allowed(),
                when("an identity allow alone does not let a caller assume a role whose trust policy names someone else")
                        .caller(ALICE).action("sts:AssumeRole").on(TARGET_ROLE)
                        .identity(policy("{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*'}"))
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':"
                                + "'arn:aws:iam::111111111111:role/ci/Deployer'},'Action':'sts:AssumeRole'}"))
                        .implicitlyDenied(),
                when("an identity allow alone does not let a caller assume a role without a trust policy")
                        .caller(ALICE).action("sts:AssumeRole").on(TARGET_ROLE)
                        .identity(policy("{'Effect':'Allow','Action':'sts:AssumeRole','Resource':'*'}"))
                        .implicitlyDenied(),
                when("a trust policy does not allow another sts action")
                        .caller(DEPLOYER_SESSION).action("sts:TagSession").on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':"
                                + "'arn:aws:iam::111111111111:role/ci/Deployer'},'Action':'sts:AssumeRole'}"))
                        .implicitlyDenied(),

                // --- Federated principals (AssumeRoleWithWebIdentity) ---
                when("a trust policy naming the OIDC provider lets its web identity assume the role")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringEquals':{'" + GITHUB_HOST + ":aud':'sts.amazonaws.com'}}"))
                        .with(GITHUB_HOST + ":aud", "sts.amazonaws.com").allowedBy("trust", "TrustGithub"),
                when("a web identity of another provider does not match the Federated principal")
                        .caller(CallerPrincipal.federated(ACCOUNT_A,
                                "arn:aws:iam::111111111111:oidc-provider/gitlab.com"))
                        .action(WEB_IDENTITY).on(TARGET_ROLE).trust(trustGithub(null)).implicitlyDenied(),
                when("a sub pattern with StringLike admits the main branch")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'" + GITHUB_HOST + ":sub':'repo:org/app:ref:refs/heads/main'}}"))
                        .with(GITHUB_HOST + ":sub", "repo:org/app:ref:refs/heads/main").allowed(),
                when("a sub pattern with StringLike refuses another branch")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'" + GITHUB_HOST + ":sub':'repo:org/app:ref:refs/heads/main'}}"))
                        .with(GITHUB_HOST + ":sub", "repo:org/app:ref:refs/heads/feature").implicitlyDenied(),
                when("a sub wildcard over the repository admits every branch and tag of it")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'" + GITHUB_HOST + ":sub':'repo:org/app:*'}}"))
                        .with(GITHUB_HOST + ":sub", "repo:org/app:ref:refs/tags/v1.0.0").allowed(),
                when("a sub wildcard over the repository refuses a repository whose name only starts alike")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'" + GITHUB_HOST + ":sub':'repo:org/app:*'}}"))
                        .with(GITHUB_HOST + ":sub", "repo:org/app-fork:ref:refs/heads/main").implicitlyDenied(),
                when("a trust policy without an aud condition still matches (the token's aud is checked against the"
                        + " provider's client IDs before)")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'" + GITHUB_HOST + ":sub':'repo:org/*'}}"))
                        .with(GITHUB_HOST + ":sub", "repo:org/app:ref:refs/heads/main").allowed(),
                when("a condition on a claim the token lacks refuses")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringEquals':{'" + GITHUB_HOST + ":amr':'mfa'}}")).implicitlyDenied(),
                when("ForAnyValue over amr admits a token with mfa among its methods")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'ForAnyValue:StringEquals':{'" + GITHUB_HOST + ":amr':'mfa'}}"))
                        .with(GITHUB_HOST + ":amr", "pwd", "mfa").allowed(),
                when("a session name condition on the web identity applies")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(trustGithub("{'StringLike':{'sts:RoleSessionName':'gha-*'}}"))
                        .with("sts:RoleSessionName", "laptop").implicitlyDenied(),
                when("a Deny for the provider in the trust policy wins over its Allow")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Sid':'TrustGithub','Effect':'Allow','Principal':{'Federated':'" + GITHUB_ARN
                                + "'},'Action':'sts:AssumeRoleWithWebIdentity'}",
                                "{'Sid':'NoForks','Effect':'Deny','Principal':{'Federated':'" + GITHUB_ARN
                                + "'},'Action':'sts:AssumeRoleWithWebIdentity','Condition':{'StringLike':{'"
                                + GITHUB_HOST + ":sub':'repo:fork/*'}}}"))
                        .with(GITHUB_HOST + ":sub", "repo:fork/app:ref:refs/heads/main")
                        .explicitlyDeniedBy("trust", "NoForks"),
                when("a trust policy for sts:AssumeRole does not let a web identity in")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'Federated':'" + GITHUB_ARN
                                + "'},'Action':'sts:AssumeRole'}")).implicitlyDenied(),
                when("a trust policy naming an IAM principal does not let a web identity in")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                                + "'Action':'sts:AssumeRoleWithWebIdentity'}")).implicitlyDenied(),
                when("a Federated principal never matches an IAM caller")
                        .caller(ALICE).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .identity(policy(ALLOW_ALL)).trust(trustGithub(null)).implicitlyDenied(),
                when("a trust policy with Principal * lets a web identity in, as in AWS (the conditions must narrow it)")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRoleWithWebIdentity'}"))
                        .allowed(),
                when("a provider of another account trusted by a role across accounts is not enough without the"
                        + " role's account")
                        .caller(CallerPrincipal.federated("222222222222",
                                "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"))
                        .action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':{'Federated':"
                                + "'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com'},"
                                + "'Action':'sts:AssumeRoleWithWebIdentity'}")).implicitlyDenied(),
                when("the aws:FederatedProvider key can pin the provider in a condition")
                        .caller(GITHUB).action(WEB_IDENTITY).on(TARGET_ROLE)
                        .trust(policy("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRoleWithWebIdentity',"
                                + "'Condition':{'StringEquals':{'aws:FederatedProvider':'" + GITHUB_ARN + "'}}}"))
                        .with("aws:FederatedProvider", "arn:aws:iam::111111111111:oidc-provider/gitlab.com")
                        .implicitlyDenied(),

                // --- Revoking older sessions ---
                when("the revoke-older-sessions deny refuses a session issued before the cut-off")
                        .caller(DEPLOYER_SESSION).identity(policy(ALLOW_ALL)).identity(policy(REVOKE_OLDER_SESSIONS))
                        .with("aws:TokenIssueTime", "2026-11-25T11:59:59Z")
                        .explicitlyDeniedBy("identity-2", "RevokeOlderSessions"),
                when("the revoke-older-sessions deny spares a session issued after the cut-off")
                        .caller(DEPLOYER_SESSION).identity(policy(ALLOW_ALL)).identity(policy(REVOKE_OLDER_SESSIONS))
                        .with("aws:TokenIssueTime", "2026-11-25T12:00:01Z").allowedBy("identity-1", "AllowAll"),
                when("the revoke-older-sessions deny does not apply to long-term credentials without an issue time")
                        .identity(policy(ALLOW_ALL)).identity(policy(REVOKE_OLDER_SESSIONS)).allowed(),

                // --- Groups: PermissionService passes a user's own policies first, then each group's,
                // all as identity policies (IAM evaluates them alike) ---
                when("a group's Allow is enough for its user without a policy of its own")
                        .identity(policy(ALLOW_CODEARTIFACT)).allowedBy("identity-1", "AllowCodeArtifact"),
                when("a group's Deny overrides the user's own Allow")
                        .identity(policy(ALLOW_ALL)).identity(policy(DENY_READ))
                        .explicitlyDeniedBy("identity-2", "DenyRead"),
                when("the user's own Deny overrides a group's Allow")
                        .identity(policy(DENY_READ)).identity(policy(ALLOW_CODEARTIFACT))
                        .explicitlyDeniedBy("identity-1", "DenyRead"),
                when("a Deny in one group overrides an Allow in another group")
                        .identity(policy(ALLOW_READ)).identity(policy(ALLOW_ALL)).identity(policy(DENY_READ))
                        .explicitlyDeniedBy("identity-3", "DenyRead"),
                when("a group's Allow for another action does not allow")
                        .identity(policy(ALLOW_READ)).action("codeartifact:PublishPackageVersion").implicitlyDenied(),
                when("a group's Allow conditioned on aws:username allows the member it names")
                        .identity(allowWhen("{'StringEquals':{'aws:username':'alice'}}"))
                        .with("aws:username", "alice").allowed(),
                when("a group's Allow conditioned on aws:username does not allow another member")
                        .identity(allowWhen("{'StringEquals':{'aws:username':'alice'}}"))
                        .with("aws:username", "carol").caller(CAROL).implicitlyDenied(),
                when("a group's Allow does not override a repository policy's Deny")
                        .identity(policy(ALLOW_CODEARTIFACT))
                        .resource(policy("{'Sid':'NoReads','Effect':'Deny','Principal':'*',"
                                + "'Action':'codeartifact:Read*','Resource':'*'}"))
                        .explicitlyDeniedBy("resource-1", "NoReads"),
                when("a group's Allow does not reach another account's repository without its resource policy")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_CODEARTIFACT)).implicitlyDenied(),

                // --- Permissions boundaries and other limits (session policies) ---
                when("an identity allow within the boundary allows, reported by the identity statement")
                        .identity(policy(ALLOW_CODEARTIFACT)).boundary(policy(ALLOW_READ))
                        .allowedBy("identity-1", "AllowCodeArtifact"),
                when("an identity allow outside the boundary is implicitly denied")
                        .identity(policy(ALLOW_CODEARTIFACT)).boundary(policy(ALLOW_READ))
                        .action("codeartifact:PublishPackageVersion").implicitlyDenied(),
                when("a boundary that does not mention codeartifact cuts off an identity allow-all")
                        .identity(policy(ALLOW_ALL)).boundary(policy(
                                "{'Effect':'Allow','Action':'s3:*','Resource':'*'}")).implicitlyDenied(),
                when("a boundary allow alone grants nothing")
                        .boundary(policy(ALLOW_ALL)).implicitlyDenied(),
                when("a Deny in the boundary denies explicitly, named after the boundary")
                        .identity(policy(ALLOW_ALL)).boundary(policy(ALLOW_ALL, DENY_READ))
                        .explicitlyDeniedBy("boundary-1", "DenyRead"),
                when("a Deny in the identity policy still wins under an allowing boundary")
                        .identity(policy(ALLOW_ALL, DENY_READ)).boundary(policy(ALLOW_ALL))
                        .explicitlyDeniedBy("identity-1", "DenyRead"),
                when("a resource policy naming the user itself is not limited by the boundary")
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("{'AWS':'" + ALICE.arn() + "'}")).allowedBy("resource-1", "Grant"),
                when("a resource policy naming the user does not override a Deny in the boundary")
                        .boundary(policy(ALLOW_ALL, DENY_READ))
                        .resource(grantTo("{'AWS':'" + ALICE.arn() + "'}")).explicitlyDeniedBy("boundary-1", "DenyRead"),
                when("a resource policy granting Principal * is limited by the boundary")
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("'*'")).implicitlyDenied(),
                when("a resource policy granting Principal * within the boundary allows")
                        .boundary(policy(ALLOW_READ)).resource(grantTo("'*'")).allowedBy("resource-1", "Grant"),
                when("a resource policy naming the role is limited by the session's boundary")
                        .caller(DEPLOYER_SESSION)
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("{'AWS':'arn:aws:iam::111111111111:role/ci/Deployer'}")).implicitlyDenied(),
                when("a resource policy naming the role session itself is not limited by the boundary")
                        .caller(DEPLOYER_SESSION)
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("{'AWS':'" + DEPLOYER_SESSION.arn() + "'}")).allowedBy("resource-1", "Grant"),
                when("a session named by the resource policy and by its role is granted through its own ARN")
                        .caller(DEPLOYER_SESSION).boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("{'AWS':'arn:aws:iam::111111111111:role/ci/Deployer'}"))
                        .resource(policy("{'Sid':'Own','Effect':'Allow','Principal':{'AWS':'" + DEPLOYER_SESSION.arn()
                                + "'},'Action':'codeartifact:*','Resource':'*'}"))
                        .allowedBy("resource-2", "Own"),
                when("across accounts a grant naming the caller does not lift its boundary")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_ALL))
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .resource(grantTo("{'AWS':'" + BOB_FROM_B.arn() + "'}")).implicitlyDenied(),
                when("across accounts an identity allow within the boundary and the domain grant allow")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_ALL)).boundary(policy(ALLOW_CODEARTIFACT))
                        .resource(grantTo("{'AWS':'222222222222'}")).allowedBy("identity-1", "AllowAll"),
                when("across accounts a Deny in the caller's boundary wins over both grants")
                        .caller(BOB_FROM_B).identity(policy(ALLOW_ALL)).boundary(policy(ALLOW_ALL, DENY_READ))
                        .resource(grantTo("{'AWS':'222222222222'}")).explicitlyDeniedBy("boundary-1", "DenyRead"),
                when("the root user is not limited (it cannot have a boundary)")
                        .caller(ROOT_A).boundary(policy(DENY_READ)).allowed(),
                when("a same-account trust policy naming the user lets it assume the role outside its boundary")
                        .action("sts:AssumeRole").on(TARGET_ROLE)
                        .boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .trust(policy("{'Sid':'TrustAlice','Effect':'Allow','Principal':{'AWS':'" + ALICE.arn()
                                + "'},'Action':'sts:AssumeRole'}")).allowedBy("trust", "TrustAlice"),
                when("a cross-account assume-role needs the identity allow within the caller's boundary")
                        .caller(BOB_FROM_B).action("sts:AssumeRole").on(TARGET_ROLE).identity(policy(ALLOW_ALL))
                        .boundary(policy(ALLOW_CODEARTIFACT))
                        .trust(policy("{'Effect':'Allow','Principal':{'AWS':'" + BOB_FROM_B.arn()
                                + "'},'Action':'sts:AssumeRole'}")).implicitlyDenied(),
                when("every limit must allow: a boundary allows but a session policy does not")
                        .identity(policy(ALLOW_ALL)).boundary(policy(ALLOW_ALL))
                        .sessionPolicy(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}")).implicitlyDenied(),
                when("every limit allowing lets the identity allow through")
                        .identity(policy(ALLOW_ALL)).boundary(policy(ALLOW_CODEARTIFACT)).sessionPolicy(policy(ALLOW_READ))
                        .allowedBy("identity-1", "AllowAll"),
                when("a Deny in a later limit denies even when an earlier one does not allow")
                        .identity(policy(ALLOW_ALL)).boundary(policy("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))
                        .sessionPolicy(policy(DENY_READ)).explicitlyDeniedBy("session-1", "DenyRead"),
                when("a boundary with a condition on a principal tag allows a caller with that tag")
                        .identity(policy(ALLOW_ALL)).boundary(allowWhen("{'StringEquals':{'aws:PrincipalTag/team':'build'}}"))
                        .with("aws:PrincipalTag/team", "build").allowedBy("identity-1", "AllowAll"),
                when("a boundary with a condition on a principal tag cuts off a caller without it")
                        .identity(policy(ALLOW_ALL)).boundary(allowWhen("{'StringEquals':{'aws:PrincipalTag/team':'build'}}"))
                        .implicitlyDenied(),

                // --- Principal, resource and request tags ---
                when("aws:PrincipalTag decides an identity allow when the tag matches")
                        .identity(allowWhen("{'StringEquals':{'aws:PrincipalTag/Team':'build'}}"))
                        .with("aws:PrincipalTag/team", "build").allowedBy("identity-1", "Conditional"),
                when("aws:PrincipalTag with another value does not allow")
                        .identity(allowWhen("{'StringEquals':{'aws:PrincipalTag/team':'build'}}"))
                        .with("aws:PrincipalTag/team", "web").implicitlyDenied(),
                when("aws:PrincipalTag of a caller without tags does not allow")
                        .identity(allowWhen("{'StringEquals':{'aws:PrincipalTag/team':'build'}}")).implicitlyDenied(),
                when("a Deny on iam:ResourceTag protects a tagged IAM user")
                        .action("iam:DeleteUser").on("arn:aws:iam::111111111111:user/admin").identity(policy(ALLOW_ALL,
                                "{'Sid':'KeepProtected','Effect':'Deny','Action':'iam:*','Resource':'*',"
                                        + "'Condition':{'StringEquals':{'iam:ResourceTag/protected':'true'}}}"))
                        .with("iam:ResourceTag/protected", "true").explicitlyDeniedBy("identity-1", "KeepProtected"),
                when("aws:TagKeys with ForAllValues refuses a tag key outside the list")
                        .action("iam:TagUser").on("arn:aws:iam::111111111111:user/bob")
                        .identity(policy("{'Effect':'Allow','Action':'iam:TagUser','Resource':'*','Condition':"
                                + "{'ForAllValues:StringEquals':{'aws:TagKeys':['team']}}}"))
                        .with("aws:TagKeys", "team", "cost-center").implicitlyDenied(),
                when("aws:RequestTag with aws:TagKeys within the list allows")
                        .action("iam:TagUser").on("arn:aws:iam::111111111111:user/bob")
                        .identity(policy("{'Sid':'TeamOnly','Effect':'Allow','Action':'iam:TagUser','Resource':'*',"
                                + "'Condition':{'ForAllValues:StringEquals':{'aws:TagKeys':['team']},"
                                + "'StringEquals':{'aws:RequestTag/team':'build'}}}"))
                        .with("aws:TagKeys", "team").with("aws:RequestTag/team", "build")
                        .allowedBy("identity-1", "TeamOnly"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesLikeAws(Case given) throws MalformedPolicyException {
        Decision decision = given.evaluate(evaluator);

        assertThat(decision.outcome()).isEqualTo(given.expected);
        assertThat(decision.allowed()).isEqualTo(given.expected == Outcome.ALLOW);
        if (given.expectedPolicy != null) {
            assertThat(decision.policyName()).isEqualTo(given.expectedPolicy);
            assertThat(decision.statementSid()).isEqualTo(given.expectedSid);
        }
        if (given.expected == Outcome.IMPLICIT_DENY) {
            assertThat(decision.policyName()).isNull();
            assertThat(decision.statementSid()).isNull();
        }
    }

    @Test
    void theCaseTableIsLargeEnoughToCoverTheLanguage() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aRootCallerInItsOwnAccountIsAllowedWithoutANamedStatement() {
        Decision decision = evaluator.evaluate(
                new AuthorizationRequest("codeartifact:DeleteDomain", REPOSITORY, ROOT_A, null),
                List.of(),
                List.of(),
                ACCOUNT_A);

        assertThat(decision).isEqualTo(new Decision(Outcome.ALLOW, null, null));
    }

    @Test
    void anIdentityPolicyPassedAsAResourcePolicyGrantsNothing() throws MalformedPolicyException {
        PolicyDocument identity = PolicyDocument.parse(json(policy(ALLOW_ALL)), PolicyKind.IDENTITY);

        Decision decision = evaluator.evaluate(
                new AuthorizationRequest("codeartifact:ReadFromRepository", REPOSITORY, ALICE, null),
                List.of(),
                List.of(new AttachedPolicy("misplaced", identity)),
                ACCOUNT_A);

        assertThat(decision.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    void theConditionContextLooksUpKeysCaseInsensitively() {
        ConditionContext context = ConditionContext.builder()
                .put("aws:SourceIp", "192.0.2.1")
                .put("aws:TagKeys", List.of("a", "b"))
                .build();

        assertThat(context.values("AWS:SOURCEIP")).containsExactly("192.0.2.1");
        assertThat(context.values("aws:tagkeys")).containsExactly("a", "b");
        assertThat(context.values("aws:username")).isEmpty();
    }

    private static Case when(String description) {
        return new Case(description);
    }

    /** One row of the table: the policies, the request, and the expected decision. */
    static final class Case {
        private final String description;
        private final List<String> identityPolicies = new ArrayList<>();
        private final List<String> resourcePolicies = new ArrayList<>();
        private final List<String> boundaryPolicies = new ArrayList<>();
        private final List<String> sessionPolicies = new ArrayList<>();
        private String trustPolicy;
        private CallerPrincipal caller = ALICE;
        private String action = "codeartifact:ReadFromRepository";
        private String resource = REPOSITORY;
        private String resourceAccount = ACCOUNT_A;
        private final ConditionContext.Builder context = ConditionContext.builder();
        private Outcome expected;
        private String expectedPolicy;
        private String expectedSid;

        Case(String description) {
            this.description = description;
        }

        Case identity(String json) {
            identityPolicies.add(json);
            return this;
        }

        Case resource(String json) {
            resourcePolicies.add(json);
            return this;
        }

        /** A policy of the caller's permissions boundary (the first limit). */
        Case boundary(String json) {
            boundaryPolicies.add(json);
            return this;
        }

        /** A session policy (a second limit, as STS session policies will be). */
        Case sessionPolicy(String json) {
            sessionPolicies.add(json);
            return this;
        }

        Case trust(String json) {
            trustPolicy = json;
            return this;
        }

        Case caller(CallerPrincipal principal) {
            caller = principal;
            return this;
        }

        Case action(String name) {
            action = name;
            return this;
        }

        Case on(String arn) {
            resource = arn;
            return this;
        }

        Case ownedBy(String account) {
            resourceAccount = account;
            return this;
        }

        Case with(String key, String... values) {
            context.put(key, values);
            return this;
        }

        Case allowed() {
            expected = Outcome.ALLOW;
            return this;
        }

        Case allowedBy(String policy, String sid) {
            expectedPolicy = policy;
            expectedSid = sid;
            return allowed();
        }

        Case explicitlyDeniedBy(String policy, String sid) {
            expected = Outcome.EXPLICIT_DENY;
            expectedPolicy = policy;
            expectedSid = sid;
            return this;
        }

        Case implicitlyDenied() {
            expected = Outcome.IMPLICIT_DENY;
            return this;
        }

        Decision evaluate(PolicyEvaluator evaluator) throws MalformedPolicyException {
            List<AttachedPolicy> identity = new ArrayList<>();
            for (String json : identityPolicies) {
                identity.add(new AttachedPolicy(
                        "identity-" + (identity.size() + 1), PolicyDocument.parse(json, PolicyKind.IDENTITY)));
            }
            List<AttachedPolicy> resources = new ArrayList<>();
            for (String json : resourcePolicies) {
                resources.add(new AttachedPolicy(
                        "resource-" + (resources.size() + 1), PolicyDocument.parse(json, PolicyKind.RESOURCE)));
            }
            if (trustPolicy != null) {
                resources.add(new AttachedPolicy("trust", PolicyDocument.parse(trustPolicy, PolicyKind.TRUST)));
            }
            List<List<AttachedPolicy>> limits = new ArrayList<>();
            for (List<String> set : List.of(boundaryPolicies, sessionPolicies)) {
                String prefix = set == boundaryPolicies ? "boundary-" : "session-";
                List<AttachedPolicy> parsed = new ArrayList<>();
                for (String json : set) {
                    parsed.add(new AttachedPolicy(prefix + (parsed.size() + 1), PolicyDocument.parse(json, PolicyKind.IDENTITY)));
                }
                if (!parsed.isEmpty()) {
                    limits.add(parsed);
                }
            }
            return evaluator.evaluate(
                    new AuthorizationRequest(action, resource, caller, context.build()),
                    identity,
                    limits,
                    resources,
                    resourceAccount);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
