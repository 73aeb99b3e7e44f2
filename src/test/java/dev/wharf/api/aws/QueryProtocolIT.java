package dev.wharf.api.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import dev.wharf.testing.TestingSigner.AwsError;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * The query protocol (IAM, STS) at the HTTP level: SigV4 as AWS checks it, with raw requests signed
 * by the SDK's own signer, and bad input of every kind answered with an AWS-shaped 4xx error.
 */
class QueryProtocolIT {
  private static final String LIST_USERS = "Action=ListUsers&Version=2010-05-08";
  private static final String CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";

  @TempDir static Path data;
  static TestingServer wharf;
  static AwsBasicCredentials root;
  static AwsBasicCredentials user;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(data);
    root = wharf.rootCredentials();
    account = wharf.managementAccountId();
    var iam = wharf.iam(root);
    iam.createUser(b -> b.userName("eks-node"));
    AccessKey key = iam.createAccessKey(b -> b.userName("eks-node")).accessKey();
    user = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
  }

  @AfterAll
  static void stop() {
    wharf.close();
  }

  private static TestingSigner signer() {
    return wharf.signer();
  }

  private static Instant now() {
    return wharf.clock().instant();
  }

  /** Asserts the response is the AWS query-protocol error with this status and code, and nothing internal leaks. */
  private static AwsError assertError(TestingSigner.Response response, int status, String code) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.wharf").doesNotContain("java.");
    assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/xml"));
    AwsError error = response.error();
    assertThat(error.code()).isEqualTo(code);
    assertThat(error.type()).isEqualTo("Sender");
    assertThat(error.message()).isNotBlank();
    assertThat(response.header("x-amzn-RequestId")).contains(error.requestId());
    return error;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ SigV4

  @Test
  void aPresignedGetCallerIdentityUrlWorksAsAnEksTokenDoes() {
    TestingSigner.Request get = signer().get(CALLER_IDENTITY).header("x-k8s-aws-id", "my-cluster");
    URI presigned = get.presignedAt(user, "sts", now(), Duration.ofSeconds(60));
    assertThat(presigned.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Credential=")
        .contains("x-k8s-aws-id");

    TestingSigner.Response response = get.sendPresigned(presigned);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.xmlText("Arn")).contains("arn:aws:iam::" + account + ":user/eks-node");
    assertThat(response.xmlText("Account")).contains(account);
  }

  @Test
  void aPresignedUrlIsRefusedAfterItExpiresOrWithoutItsSignedHeader() {
    TestingSigner.Request get = signer().get(CALLER_IDENTITY).header("x-k8s-aws-id", "my-cluster");
    URI expired = get.presignedAt(user, "sts", now().minusSeconds(120), Duration.ofSeconds(60));
    assertError(get.sendPresigned(expired), 403, "SignatureDoesNotMatch");

    URI fresh = get.presignedAt(user, "sts", now(), Duration.ofSeconds(60));
    assertError(signer().get(CALLER_IDENTITY).sendPresigned(fresh), 403, "SignatureDoesNotMatch");
  }

  @Test
  void aRequestSignedFourteenMinutesAwayFromTheServerClockIsAccepted() {
    TestingSigner.Request request = signer().form(CALLER_IDENTITY);
    assertThat(request.signedAt(user, "sts", now().minus(Duration.ofMinutes(14))).status()).isEqualTo(200);
    assertThat(request.signedAt(user, "sts", now().plus(Duration.ofMinutes(14))).status()).isEqualTo(200);
  }

  @Test
  void aRequestSignedSixteenMinutesAwayFromTheServerClockIsASignatureMismatchSayingWhy() {
    TestingSigner.Request request = signer().form(CALLER_IDENTITY);
    assertThat(assertError(request.signedAt(user, "sts", now().minus(Duration.ofMinutes(16))), 403, "SignatureDoesNotMatch")
        .message()).startsWith("Signature expired");
    assertThat(assertError(request.signedAt(user, "sts", now().plus(Duration.ofMinutes(16))), 403, "SignatureDoesNotMatch")
        .message()).startsWith("Signature not yet current");
  }

  @Test
  void aRequestWithoutAuthenticationIsMissingAuthenticationToken() {
    assertError(signer().form(CALLER_IDENTITY).unsigned(), 403, "MissingAuthenticationToken");
    assertError(signer().get(CALLER_IDENTITY).unsigned(), 403, "MissingAuthenticationToken");
  }

  @Test
  void aGarbledAuthorizationHeaderIsAnIncompleteSignature() {
    TestingSigner.Request request = signer().form(CALLER_IDENTITY);
    assertError(request.signedWithAuthorization(user, "sts", a -> "AWS4-HMAC-SHA256 garbage"), 400, "IncompleteSignature");
    assertError(request.signedWithAuthorization(user, "sts", a -> a.replace("SignedHeaders=", "Signed=")), 400,
        "IncompleteSignature");
    assertError(request.signedWithAuthorization(user, "sts", a -> a.replaceAll("Credential=[^,]+", "Credential=" + user.accessKeyId())),
        400, "IncompleteSignature");
    assertError(request.signedWithAuthorization(user, "sts", a -> a.replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")), 400,
        "IncompleteSignature");
  }

  @Test
  void aWrongSecretOrATamperedSignatureIsASignatureMismatchAndAnUnknownKeyAnInvalidClientTokenId() {
    TestingSigner.Request request = signer().form(CALLER_IDENTITY);
    assertError(request.signed(AwsBasicCredentials.create(user.accessKeyId(), "x".repeat(40)), "sts"), 403,
        "SignatureDoesNotMatch");
    assertError(request.signedWithAuthorization(user, "sts", a -> a.substring(0, a.length() - 4) + "0000"), 403,
        "SignatureDoesNotMatch");
    assertError(request.signed(AwsBasicCredentials.create("AKIA0000000000000000", "x".repeat(40)), "sts"), 403,
        "InvalidClientTokenId");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void malformedPercentEncodingIsRefused() {
    assertError(signer().form(LIST_USERS + "&PathPrefix=%zz").signed(root, "iam"), 400, "MalformedQueryString");
    assertError(signer().form(LIST_USERS + "&PathPrefix=%").signed(root, "iam"), 400, "MalformedQueryString");
  }

  @Test
  void aRepeatedParameterIsRefused() {
    assertThat(assertError(signer().form(LIST_USERS + "&MaxItems=1&MaxItems=2").signed(root, "iam"), 400,
        "MalformedQueryString").message()).contains("MaxItems");
  }

  @Test
  void aBodyOver256KibIsRequestEntityTooLarge() {
    String padding = "&Description=" + "a".repeat(256 * 1024);
    assertError(signer().form(LIST_USERS + padding).signed(root, "iam"), 413, "RequestEntityTooLarge");
    assertError(signer().form(LIST_USERS + padding).unsigned(), 413, "RequestEntityTooLarge");
  }

  @Test
  void anUnknownActionIsInvalidActionAndAMissingOneMissingAction() {
    assertThat(assertError(signer().form("Action=StealEverything&Version=2010-05-08").signed(root, "iam"), 400,
        "InvalidAction").message()).contains("StealEverything");
    // an action of another query service: the signature is scoped to the wrong service (CredentialScopeIT)
    assertThat(assertError(signer().form("Action=ListUsers&Version=2010-05-08").signed(root, "sts"), 403,
        "SignatureDoesNotMatch").message()).isEqualTo("Credential should be scoped to correct service: 'iam'.");
    assertError(signer().form("Version=2010-05-08").signed(root, "iam"), 400, "MissingAction");
    assertError(signer().form("").signed(root, "iam"), 400, "MissingAction");
  }

  @Test
  void aBodyThatIsNotFormEncodedIsRefused() {
    TestingSigner.Request json = signer().form("").body("application/json", "{\"Action\":\"ListUsers\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(assertError(json.signed(root, "iam"), 400, "MalformedQueryString").message()).contains("application/json");
  }

  @Test
  void aPolicyDocumentOver20KbIsLimitExceededAndANonJsonOneMalformed() {
    signer().form("Action=CreateUser&Version=2010-05-08&UserName=bad-input").signed(root, "iam");
    String actions = IntStream.range(0, 1600).mapToObj(i -> "\"iam:Get" + i + "\"").collect(Collectors.joining(","));
    String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions + "],\"Resource\":\"*\"}]}";
    assertThat(big.length()).isGreaterThan(20_000);
    String put = "Action=PutUserPolicy&Version=2010-05-08&UserName=bad-input&PolicyName=p&PolicyDocument=";

    assertError(signer().form(put + encode(big)).signed(root, "iam"), 409, "LimitExceeded");
    assertError(signer().form(put + encode("<Policy/>")).signed(root, "iam"), 400, "MalformedPolicyDocument");
    assertError(signer().form(put + encode("{\"Statement\": [")).signed(root, "iam"), 400, "MalformedPolicyDocument");
    assertError(signer().form(put).signed(root, "iam"), 400, "ValidationError");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "<script>&amp;", "name\u0001with\u0000controls", "\uD83D\uDE00", "ünïcödé", "a/b",
      "%", "name\u007f", "\uFFFE"})
  void oddUserNamesAreValidationErrorsInWellFormedXml(String name) {
    assertError(signer().form("Action=CreateUser&Version=2010-05-08&UserName=" + encode(name)).signed(root, "iam"), 400,
        "ValidationError");
    assertError(signer().form("Action=GetUser&Version=2010-05-08&UserName=" + encode(name)).signed(root, "iam"), 400,
        "ValidationError");
  }

  @Test
  void aHugeUserNameIsAValidationError() {
    String huge = "n".repeat(100_000);
    assertError(signer().form("Action=CreateUser&Version=2010-05-08&UserName=" + huge).signed(root, "iam"), 400,
        "ValidationError");
    assertError(signer().form("Action=CreateRole&Version=2010-05-08&RoleName=" + huge + "&AssumeRolePolicyDocument=x")
        .signed(root, "iam"), 400, "ValidationError");
  }

  @Test
  void badNumbersAndBooleansAreValidationErrors() {
    assertError(signer().form(LIST_USERS + "&MaxItems=lots").signed(root, "iam"), 400, "ValidationError");
    assertError(signer().form(LIST_USERS + "&MaxItems=99999999999999999999").signed(root, "iam"), 400, "ValidationError");
    assertError(signer().form("Action=ListPolicies&Version=2010-05-08&OnlyAttached=maybe").signed(root, "iam"), 400,
        "ValidationError");
    assertError(signer().form("Action=ListPolicies&Version=2010-05-08&Scope=Everything").signed(root, "iam"), 400,
        "ValidationError");
  }

  @Test
  void aRefusedCreateLeavesNothingBehind() {
    assertError(signer().form("Action=CreateUser&Version=2010-05-08&UserName=tagged&Tags.member.1.Key=team&Tags.member.1.Value=%7Bbraces%7D")
        .signed(root, "iam"), 400, "ValidationError");
    assertError(signer().form("Action=GetUser&Version=2010-05-08&UserName=tagged").signed(root, "iam"), 404, "NoSuchEntity");
    assertError(signer().form("Action=CreateRole&Version=2010-05-08&RoleName=half&MaxSessionDuration=10&AssumeRolePolicyDocument="
        + encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + account
        + "\"},\"Action\":\"sts:AssumeRole\"}]}")).signed(root, "iam"), 400, "ValidationError");
    assertError(signer().form("Action=GetRole&Version=2010-05-08&RoleName=half").signed(root, "iam"), 404, "NoSuchEntity");
  }
}
