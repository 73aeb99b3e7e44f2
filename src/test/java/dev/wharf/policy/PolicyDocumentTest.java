package dev.wharf.policy;

import static dev.wharf.policy.TestingPolicies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDocumentTest {

    private static final String V = "'Version':'2012-10-17',";

    /** A document that must be refused, with the words its message must contain. */
    record Malformed(String description, PolicyKind kind, String json, String expectedMessage) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static Malformed refuses(String description, PolicyKind kind, String json, String expectedMessage) {
        return new Malformed(description, kind, json(json), expectedMessage);
    }

    static Stream<Malformed> malformedDocuments() {
        PolicyKind identity = PolicyKind.IDENTITY;
        PolicyKind resource = PolicyKind.RESOURCE;
        PolicyKind trust = PolicyKind.TRUST;
        return Stream.of(
                refuses("text that is not JSON", identity, "{'Version':", "not valid JSON"),
                refuses("an empty document", identity, "", "Policy document is empty"),
                refuses("a JSON array instead of an object", identity, "[]", "must be a JSON object"),
                refuses("trailing content after the document", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}} {}", "not valid JSON"),
                refuses("a duplicate field", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Effect':'Deny','Action':'*','Resource':'*'}}",
                        "Duplicate field 'Effect'"),
                refuses("a missing Statement", identity, "{" + V + "'Id':'x'}", "Missing required field Statement"),
                refuses("an empty Statement list", identity, "{" + V + "'Statement':[]}",
                        "Statement must not be an empty list"),
                refuses("a Statement that is a string", identity, "{" + V + "'Statement':'Allow'}",
                        "Statement must be an object or a list of objects"),
                refuses("an unknown top-level field", identity,
                        "{" + V + "'Statment':[],'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}",
                        "Unknown top-level field Statment"),
                refuses("an unsupported Version", identity,
                        "{'Version':'2012-10-18','Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}",
                        "Unsupported Version \"2012-10-18\""),
                refuses("an Id that is not a string", identity,
                        "{" + V + "'Id':7,'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}",
                        "Id must be a string"),
                refuses("a statement without Effect", identity,
                        "{" + V + "'Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},"
                                + "{'Action':'*','Resource':'*'}]}",
                        "Statement 2: missing required field Effect"),
                refuses("an Effect in the wrong case", identity,
                        "{" + V + "'Statement':{'Effect':'allow','Action':'*','Resource':'*'}}",
                        "Statement 1: Effect must be \"Allow\" or \"Deny\", not \"allow\""),
                refuses("both Action and NotAction", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','NotAction':'iam:*','Resource':'*'}}",
                        "Statement 1: has both Action and NotAction"),
                refuses("neither Action nor NotAction", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Resource':'*'}}",
                        "Statement 1: missing required field Action (or NotAction)"),
                refuses("an empty action list", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':[],'Resource':'*'}}",
                        "Statement 1: Action must not be an empty list"),
                refuses("an action without a service prefix", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'GetObject','Resource':'*'}}",
                        "Statement 1: invalid action \"GetObject\""),
                refuses("an action that is not a string", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':[true],'Resource':'*'}}",
                        "Action must contain only strings"),
                refuses("both Resource and NotResource", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*','NotResource':'*'}}",
                        "Statement 1: has both Resource and NotResource"),
                refuses("a missing Resource in an identity policy", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*'}}",
                        "Statement 1: missing required field Resource (or NotResource)"),
                refuses("a resource that is not an ARN", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'my-bucket'}}",
                        "Statement 1: invalid resource \"my-bucket\""),
                refuses("a Principal in an identity policy", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}}",
                        "Statement 1: Principal is not allowed in an identity policy"),
                refuses("a missing Principal in a resource policy", resource,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}",
                        "Statement 1: missing required field Principal (or NotPrincipal) in a resource policy"),
                refuses("both Principal and NotPrincipal", resource,
                        "{" + V + "'Statement':{'Effect':'Deny','Principal':'*','NotPrincipal':{'AWS':'*'},"
                                + "'Action':'*','Resource':'*'}}",
                        "Statement 1: has both Principal and NotPrincipal"),
                refuses("an unknown principal type", resource,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':{'User':'alice'},"
                                + "'Action':'*','Resource':'*'}}",
                        "Statement 1: unknown principal type User"),
                refuses("a principal that is neither account, ARN nor *", resource,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':{'AWS':'alice'},"
                                + "'Action':'*','Resource':'*'}}",
                        "Invalid principal \"alice\""),
                refuses("a wildcard inside a principal ARN", resource,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111111111111:user/*'},"
                                + "'Action':'*','Resource':'*'}}",
                        "Invalid principal \"arn:aws:iam::111111111111:user/*\""),
                refuses("a Principal string other than *", resource,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':'111111111111',"
                                + "'Action':'*','Resource':'*'}}",
                        "Statement 1: Principal must be \"*\" or an object"),
                refuses("a Resource in a trust policy", trust,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                                + "'Action':'sts:AssumeRole','Resource':'*'}}",
                        "Statement 1: Resource is not allowed in a trust policy"),
                refuses("a non-sts action in a trust policy", trust,
                        "{" + V + "'Statement':{'Effect':'Allow','Principal':{'AWS':'111111111111'},"
                                + "'Action':'codeartifact:*'}}",
                        "Statement 1: a trust policy allows only sts: actions, not \"codeartifact:*\""),
                refuses("a missing Principal in a trust policy", trust,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'sts:AssumeRole'}}",
                        "Statement 1: missing required field Principal (or NotPrincipal) in a trust policy"),
                refuses("an unknown condition operator", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'StringEqualz':{'aws:username':'alice'}}}}",
                        "Statement 1: Unknown condition operator StringEqualz"),
                refuses("Null with IfExists", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'NullIfExists':{'aws:username':'true'}}}}",
                        "Unknown condition operator NullIfExists"),
                refuses("an unknown set qualifier", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'ForSomeValues:StringEquals':{'aws:TagKeys':'a'}}}}",
                        "Unknown condition operator ForSomeValues:StringEquals"),
                refuses("an unknown operator without keys", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'StringEqualz':{}}}}",
                        "Unknown condition operator StringEqualz"),
                refuses("a condition operator without keys", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'StringEquals':{}}}}",
                        "Statement 1: condition StringEquals must be a non-empty object of condition keys"),
                refuses("a condition value that is an object", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'StringEquals':{'aws:username':{'a':1}}}}}",
                        "has a value that is not a string, number or boolean"),
                refuses("a condition with an empty list of values", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'StringEquals':{'aws:username':[]}}}}",
                        "has an empty list of values"),
                refuses("a number that is not a number", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'NumericLessThan':{'s3:max-keys':'ten'}}}}",
                        "Invalid number \"ten\""),
                refuses("a date that is not a date", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'DateLessThan':{'aws:CurrentTime':'tomorrow'}}}}",
                        "Invalid date \"tomorrow\""),
                refuses("a Bool value that is not a boolean", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'Bool':{'aws:SecureTransport':'yes'}}}}",
                        "Invalid boolean \"yes\""),
                refuses("an invalid CIDR block", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/33'}}}}",
                        "Invalid IP address or CIDR block \"10.0.0.0/33\""),
                refuses("an invalid IPv6 address", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'IpAddress':{'aws:SourceIp':'2001:db8::1::2'}}}}",
                        "Invalid IP address or CIDR block \"2001:db8::1::2\""),
                refuses("a BinaryEquals value that is not base64", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*',"
                                + "'Condition':{'BinaryEquals':{'codeartifact:digest':'not base64!'}}}}",
                        "Invalid base64 value"),
                refuses("a duplicate Sid", identity,
                        "{" + V + "'Statement':[{'Sid':'Same','Effect':'Allow','Action':'*','Resource':'*'},"
                                + "{'Sid':'Same','Effect':'Deny','Action':'*','Resource':'*'}]}",
                        "Statement 2: duplicate Sid Same"),
                refuses("a Sid that is not alphanumeric", identity,
                        "{" + V + "'Statement':{'Sid':'read only','Effect':'Allow','Action':'*','Resource':'*'}}",
                        "Statement 1: Sid \"read only\" must be a non-empty alphanumeric string"),
                refuses("an unknown statement field", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*','Resource':'*','Conditions':{}}}",
                        "Statement 1: unknown field Conditions"),
                refuses("an unterminated policy variable", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*',"
                                + "'Resource':'arn:aws:s3:::bucket/${aws:username'}}",
                        "Unterminated policy variable"),
                refuses("a policy variable default without quotes", identity,
                        "{" + V + "'Statement':{'Effect':'Allow','Action':'*',"
                                + "'Resource':'arn:aws:s3:::bucket/${aws:username, nobody}'}}",
                        "Policy variable default must be in single quotes"));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("malformedDocuments")
    void refusesMalformedDocumentsNamingTheProblem(Malformed document) {
        assertThatThrownBy(() -> PolicyDocument.parse(document.json(), document.kind()))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining(document.expectedMessage());
    }

    @Test
    void acceptsAFullIdentityPolicy() throws MalformedPolicyException {
        PolicyDocument document = PolicyDocument.parse(json("""
                {
                  'Version': '2012-10-17',
                  'Id': 'Developers',
                  'Statement': [
                    {'Sid': 'Read', 'Effect': 'Allow',
                     'Action': ['codeartifact:Get*', 'codeartifact:ReadFromRepository', 'sts:GetServiceBearerToken'],
                     'Resource': '*'},
                    {'Sid': 'NoAdmin', 'Effect': 'Deny', 'NotAction': 'codeartifact:*',
                     'NotResource': ['arn:aws:codeartifact:*:*:repository/${aws:username}/*']},
                    {'Effect': 'Allow', 'Action': 'codeartifact:PublishPackageVersion', 'Resource': '*',
                     'Condition': {
                       'ForAllValues:StringLikeIfExists': {'aws:TagKeys': ['team', 'cost*']},
                       'NumericLessThanEquals': {'codeartifact:durationSeconds': 3600},
                       'DateGreaterThan': {'aws:CurrentTime': ['2020-01-01T00:00:00Z', 1577836800]},
                       'Bool': {'aws:SecureTransport': true},
                       'IpAddress': {'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32']},
                       'ArnLike': {'aws:PrincipalArn': 'arn:aws:iam::*:role/ci/*'},
                       'Null': {'aws:TokenIssueTime': 'false'}
                     }}
                  ]
                }
                """), PolicyKind.IDENTITY);

        assertThat(document.version()).isEqualTo("2012-10-17");
        assertThat(document.id()).isEqualTo("Developers");
        assertThat(document.statements()).hasSize(3);
        Statement read = document.statements().get(0);
        assertThat(read.sid()).isEqualTo("Read");
        assertThat(read.effect()).isEqualTo(Statement.Effect.ALLOW);
        assertThat(read.actions()).containsExactly(
                "codeartifact:Get*", "codeartifact:ReadFromRepository", "sts:GetServiceBearerToken");
        Statement noAdmin = document.statements().get(1);
        assertThat(noAdmin.notAction()).isTrue();
        assertThat(noAdmin.notResource()).isTrue();
        assertThat(noAdmin.index()).isEqualTo(2);
        assertThat(document.statements().get(2).sid()).isNull();
    }

    @Test
    void acceptsASingleStatementObjectAndDefaultsTheVersionTo2008() throws MalformedPolicyException {
        PolicyDocument document = PolicyDocument.parse(
                json("{'Statement':{'Effect':'Deny','Action':'iam:*','Resource':'arn:aws:iam::111111111111:user/*'}}"),
                PolicyKind.IDENTITY);

        assertThat(document.version()).isEqualTo("2008-10-17");
        assertThat(document.statements()).singleElement().satisfies(statement -> {
            assertThat(statement.effect()).isEqualTo(Statement.Effect.DENY);
            assertThat(statement.resources()).containsExactly("arn:aws:iam::111111111111:user/*");
        });
    }

    @Test
    void acceptsAResourcePolicyWithEveryPrincipalForm() throws MalformedPolicyException {
        PolicyDocument document = PolicyDocument.parse(json("""
                {'Version': '2012-10-17', 'Statement': [
                  {'Sid': 'Everyone', 'Effect': 'Allow', 'Principal': '*', 'Action': 'codeartifact:Read*',
                   'Resource': '*'},
                  {'Sid': 'Accounts', 'Effect': 'Allow',
                   'Principal': {'AWS': ['111111111111', 'arn:aws:iam::222222222222:root',
                                         'arn:aws:iam::333333333333:user/ci/bot',
                                         'arn:aws:iam::333333333333:role/Deployer',
                                         'arn:aws:sts::333333333333:assumed-role/Deployer/s1']},
                   'Action': 'codeartifact:*', 'Resource': '*'},
                  {'Sid': 'Services', 'Effect': 'Allow',
                   'Principal': {'Service': 'codeartifact.amazonaws.com', 'Federated': 'cognito-identity.amazonaws.com'},
                   'Action': 'codeartifact:*', 'Resource': '*'},
                  {'Sid': 'AllButAdmins', 'Effect': 'Deny', 'NotPrincipal': {'AWS': '*'},
                   'Action': 'codeartifact:Delete*', 'Resource': '*'}
                ]}
                """), PolicyKind.RESOURCE);

        assertThat(document.statements()).extracting(Statement::sid)
                .containsExactly("Everyone", "Accounts", "Services", "AllButAdmins");
        assertThat(document.statements()).allSatisfy(statement -> assertThat(statement.hasPrincipal()).isTrue());
    }

    @Test
    void acceptsATrustPolicyWithoutResource() throws MalformedPolicyException {
        PolicyDocument document = PolicyDocument.parse(json("""
                {'Version': '2012-10-17', 'Statement': {'Effect': 'Allow',
                  'Principal': {'AWS': 'arn:aws:iam::111111111111:root'},
                  'Action': ['sts:AssumeRole', 'sts:TagSession'],
                  'Condition': {'StringEquals': {'sts:ExternalId': 'x-123'}}}}
                """), PolicyKind.TRUST);

        assertThat(document.statements().get(0).resources()).isEmpty();
    }

    @Test
    void acceptsAnEmptyConditionBlockAndScalarConditionValuesOfEveryJsonType() throws MalformedPolicyException {
        PolicyDocument document = PolicyDocument.parse(json("""
                {'Version': '2012-10-17', 'Statement': [
                  {'Effect': 'Allow', 'Action': '*', 'Resource': '*', 'Condition': {}},
                  {'Effect': 'Allow', 'Action': '*', 'Resource': '*',
                   'Condition': {'StringEquals': {'a:b': ['text', 12, 1.5, false]}}}]}
                """), PolicyKind.IDENTITY);

        assertThat(document.statements()).hasSize(2);
    }

    @Test
    void theMalformedTableCoversAtLeastTwentyProblems() {
        assertThat(malformedDocuments().count()).isGreaterThanOrEqualTo(20);
    }

    /**
     * Found by PolicyFuzzTest: a number whose exponent Jackson cannot read as a BigDecimal
     * ({@code 444e44444444444}) threw NumberFormatException out of the parser, which the APIs answered 500.
     */
    @Test
    void aNumberTooLargeToReadIsMalformedJson() {
        for (String json : new String[] {"444e44444444444",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"NumericEquals\":{\"k\":1e44444444444}}}}"}) {
            assertThatThrownBy(() -> PolicyDocument.parse(json, PolicyKind.IDENTITY))
                    .isInstanceOf(MalformedPolicyException.class)
                    .hasMessageStartingWith("Policy document is not valid JSON");
        }
    }

    /**
     * Found while fixing the above: a condition number was written out in full, and 1e999999999 (a 60-byte policy)
     * took a core for a minute and a gigabyte of memory to become a billion digits.
     */
    @Test
    void aConditionNumberOfMoreThanAThousandDigitsIsMalformed() throws MalformedPolicyException {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"NumericEquals\":{\"k\":1e999999999}}}}", PolicyKind.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining("has a number of more than 1024 digits");
        assertThat(PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"NumericEquals\":{\"k\":1.5e3}}}}", PolicyKind.IDENTITY).statements()).hasSize(1);
    }
}
